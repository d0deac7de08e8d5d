/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_voucher_search_tour", {
    steps: () => [
        {
            content: "Type the serial the customer reads on the nameplate",
            trigger: ".o_searchview_input",
            run: "edit TOUR-RT80-0077",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only the voucher of that serial is left",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2)))",
        },
        {
            content: "Open it",
            trigger: ".o_data_row .o_data_cell[name=serial]:contains('TOUR-RT80-0077')",
            run: "click",
        },
        {
            content: "The voucher form shows the holder and its coverage",
            trigger:
                ".o_form_view .o_field_widget[name=partner_id]:contains('Tour Fleet')",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Active')",
        },
        {
            trigger:
                ".o_form_view .o_field_one2many[name=coverage_line_ids] .o_data_row",
        },
    ],
});
