/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_portal_appointment_tour", {
    steps: () => [
        {
            content: "The customer books a service appointment",
            trigger: "a.o_appointment_book",
            run: "click",
        },
        {
            content: "At the station near them",
            trigger: "form.o_appointment_search_form select[name=station_id]",
            run: "selectByLabel Test Station Co.",
        },
        {
            content: "Tomorrow (the station's clock is UTC in this test)",
            trigger: "form.o_appointment_search_form input[name=date]",
            run() {
                const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
                this.anchor.value = tomorrow.toISOString().slice(0, 10);
            },
        },
        {
            content: "At nine",
            trigger: "form.o_appointment_search_form input[name=time]",
            run() {
                this.anchor.value = "09:00";
            },
        },
        {
            trigger: "form.o_appointment_search_form button.o_appointment_find",
            run: "click",
        },
        {
            content: "Nine is taken: the nearest free times are proposed",
            trigger: ".o_appointment_wanted_taken",
        },
        {
            content: "The customer takes the second one",
            trigger: "form.o_appointment_book_form input#slot_1",
            run: "click",
        },
        {
            trigger: "form.o_appointment_book_form input[name=phone]",
            run: "edit +86 139 0591 7788",
        },
        {
            trigger: "form.o_appointment_book_form textarea[name=fault_description]",
            run: "edit Tail lift does not fold",
        },
        {
            content: "Book it",
            trigger: "form.o_appointment_book_form button.o_appointment_confirm",
            run: "click",
        },
        {
            content: "The appointment is confirmed, with its duration",
            trigger:
                ".o_aftersales_portal_appointment .o_appointment_state:contains('Confirmed')",
        },
        {
            trigger: ".o_aftersales_portal_appointment .o_appointment_duration",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
    ],
});
