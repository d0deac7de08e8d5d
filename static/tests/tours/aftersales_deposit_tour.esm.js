/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_deposit_tour", {
    steps: () => [
        {
            content: "Finance opens the deduction the manager approved",
            trigger:
                ".o_list_view .o_data_row td[name=name]:contains('Tour chassis repair')",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
        {
            content: "Post it: the entry moves it out of the retention account",
            trigger: ".o_form_view button[name=action_post]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Posted')",
        },
        {
            trigger: ".o_form_view button[name=action_view_move]",
        },
        {
            content: "Go to the deposit",
            trigger: ".o_field_widget[name=deposit_id] a",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=partner_id]:contains('Test Chassis Maker')",
        },
        {
            content: "Print the supplier's statement",
            trigger:
                ".o_form_view .o_statusbar_buttons button:contains('Print Statement')",
            run: "click",
        },
        {
            content: "The statement lists the deduction and the balance after it",
            trigger: ":iframe .page td:contains('Tour chassis repair')",
        },
        {
            trigger: ":iframe .page h2:contains('Warranty Deposit Statement')",
        },
    ],
});
