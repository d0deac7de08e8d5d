/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_portal_claim_tour", {
    steps: () => [
        {
            content: "The station clerk types the serial of the faulty product",
            trigger: "form.o_aftersales_claim_form input[name=serial]",
            run: "edit CLM-TRUCK",
        },
        {
            trigger: "form.o_aftersales_claim_form textarea[name=fault_phenomenon]",
            run: "edit Cab light flickers",
        },
        {
            trigger: "form.o_aftersales_claim_form textarea[name=cause_analysis]",
            run: "edit Loose connector",
        },
        {
            content: "Save the claim",
            trigger: "form.o_aftersales_claim_form button[type=submit]",
            run: "click",
        },
        {
            content: "The claim is a draft of the clerk's station",
            trigger: ".o_aftersales_portal_claim:contains('Cab light flickers')",
        },
        {
            content: "Wait for the claim's chatter",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
        {
            content: "Declare the labour spent on the repair",
            trigger: "form.o_claim_line_form select[name=line_type]",
            run: "select labour",
        },
        {
            trigger: "form.o_claim_line_form input[name=name]",
            run: "edit Replace the connector",
        },
        {
            trigger: "form.o_claim_line_form input[name=unit_cost]",
            run: "edit 120",
        },
        {
            trigger: "form.o_claim_line_form button.o_claim_line_add",
            run: "click",
        },
        {
            content: "The line is on the claim",
            trigger: ".o_claim_lines:contains('Replace the connector')",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
        {
            content: "Submit it to the after-sales department",
            trigger: "button.o_claim_submit",
            run: "click",
        },
        {
            trigger: ".o_aftersales_portal_claim .o_claim_state:contains('Submitted')",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
    ],
});
