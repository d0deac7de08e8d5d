/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_claim_tour", {
    steps: () => [
        {
            content: "Open the customer's request",
            trigger: ".o_kanban_record:contains('Tour: compartment warms up')",
            run: "click",
        },
        {
            content: "The ticket shows the warranty answer",
            trigger: ".o_form_view .alert-success:contains('Covered')",
        },
        {
            content: "Raise a claim from the ticket",
            trigger: ".o_form_view button[name=action_create_claim]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=lot_id]:contains('CLM-TRUCK'), .o_form_view .o_field_widget[name=lot_id] input",
        },
        {
            content: "Appraise: manufacturing defect, repaired",
            trigger: ".o_form_view .o_field_widget[name=responsibility] select",
            run: 'select "manufacturing"',
        },
        {
            trigger: ".o_form_view .o_field_widget[name=handling_method] select",
            run: 'select "repair"',
        },
        {
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_appraise]",
            run: "click",
        },
        {
            content: "check_warranty answered at appraisal",
            trigger: ".o_form_view .alert-success:contains('Covered')",
        },
        {
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});
