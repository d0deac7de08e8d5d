/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_project_tour", {
    steps: () => [
        {
            content: "The plant went into production: record the provisional handover",
            trigger: ".o_form_view button[name=action_provisional_handover]",
            run: "click",
        },
        {
            content: "Today, as signed with the owner",
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The formal handover is next",
            trigger: ".o_form_view button[name=action_formal_handover]",
        },
        {
            content: "Draw up the after-sales cost plan",
            trigger: ".o_form_view button[name=action_view_aftersales_cost_plans]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Budget the travel to site",
            trigger: ".o_field_one2many[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".o_field_one2many[name=line_ids] .o_selected_row [name=cost_type] select",
            run: 'select "travel"',
        },
        {
            trigger:
                ".o_field_one2many[name=line_ids] .o_selected_row [name=amount] input",
            run: "edit 4800",
        },
        {
            content: "Submit the plan",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            trigger:
                ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "As after-sales manager, approve it",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});
