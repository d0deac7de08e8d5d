/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const readings = ".o_field_one2many[name=mileage_reading_ids]";

registry.category("web_tour.tours").add("aftersales_inspection_reading_tour", {
    steps: () => [
        {
            content: "The voucher's inspections",
            trigger: ".o_notebook .nav-link:contains('Inspections')",
            run: "click",
        },
        {
            content: "Planned by the half-yearly plan, no reading yet",
            trigger:
                ".o_field_widget[name=service_plan_id]:contains('Tour half-yearly')",
        },
        {
            trigger: `${readings} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "The customer phones in the odometer",
            trigger: `${readings} .o_selected_row [name=km] input`,
            run: "edit 6000",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the average since the start, and the plan follows it",
            trigger: ".o_form_saved .o_field_widget[name=km_per_day]:contains('200.0')",
        },
    ],
});
