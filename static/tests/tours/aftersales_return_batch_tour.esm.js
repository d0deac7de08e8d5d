/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const firstLine = ".o_field_one2many[name=line_ids] .o_data_row:nth-child(1)";
const secondLine = ".o_field_one2many[name=line_ids] .o_data_row:nth-child(2)";

registry.category("web_tour.tours").add("aftersales_return_batch_tour", {
    steps: () => [
        {
            content: "The batch arrived: count the first line",
            trigger: `${firstLine} td[name=received_qty]`,
            run: "click",
        },
        {
            content: "One ballast less than announced",
            trigger: `${firstLine} [name=received_qty] input`,
            run: "edit 11",
        },
        {
            trigger: ".o_form_view button[name=action_receive]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Received')",
        },
        {
            content: "The first line is scrapped",
            trigger: `${firstLine} td[name=settlement]`,
            run: "click",
        },
        {
            trigger: `${firstLine} [name=settlement] select`,
            run: 'select "scrap"',
        },
        {
            content: "The second is credited",
            trigger: `${secondLine} td[name=settlement]`,
            run: "click",
        },
        {
            trigger: `${secondLine} [name=settlement] select`,
            run: 'select "credit"',
        },
        {
            trigger: ".o_form_view button[name=action_settle]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Settled')",
        },
    ],
});
