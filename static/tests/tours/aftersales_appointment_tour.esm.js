/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_appointment_tour", {
    steps: () => [
        {
            content: "The service advisor looks for a time the customer can have",
            trigger: ".o_form_view button[name=action_find_slots]",
            run: "click",
        },
        {
            content: "The wanted time is taken: the nearest free slots are listed",
            trigger: ".modal .alert-warning",
        },
        {
            content: "The customer takes the first one",
            trigger: ".modal .o_data_row:first button.o_appointment_book_slot",
            run: "click",
        },
        {
            content: "Booked: confirmed, with its technician, bay and calendar event",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Confirmed')",
        },
        {
            trigger: ".o_form_view button[name=action_view_calendar_event]",
        },
        {
            content: "The customer came on time",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});
