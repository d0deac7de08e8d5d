/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const springRow =
    ".o_field_one2many[name=line_ids] .o_data_row:has(td[name=product_id]:contains('Test spring'))";

registry.category("web_tour.tours").add("aftersales_parts_plan_tour", {
    steps: () => [
        {
            content: "Propose the month from the last three months' consumption",
            trigger: ".o_form_view button[name=action_propose]",
            run: "click",
        },
        {
            trigger: `${springRow} td[name=proposal_note]:contains('/month over 3 months')`,
        },
        {
            content: "The planner expects more trucks: raise the springs",
            trigger: `${springRow} td[name=product_qty]`,
            run: "click",
        },
        {
            trigger:
                ".o_field_one2many[name=line_ids] .o_selected_row [name=product_qty] input",
            run: "edit 20",
        },
        {
            content: "Submit the plan for approval",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            trigger:
                ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
    ],
});
