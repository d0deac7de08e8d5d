/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_approval_tour", {
    steps: () => [
        {
            content: "Open the After-Sales app",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            trigger:
                ".o_app[data-menu-xmlid='aftersales_service.aftersales_menu_root']",
            run: "click",
        },
        {
            content: "The reviewer's menu",
            trigger:
                ".o_menu_sections [data-menu-xmlid='aftersales_service.aftersales_menu_review']",
            run: "click",
        },
        {
            content: "Claims waiting for my review",
            trigger:
                ".dropdown-item[data-menu-xmlid='aftersales_service.aftersales_claim_to_review_menu']",
            run: "click",
        },
        {
            content: "Open the claim the quality manager validated",
            trigger: ".o_data_row td:contains('Tour Approval Customer')",
            run: "click",
        },
        {
            content: "The quality manager's review is done, mine is next",
            trigger:
                ".o_form_view .o_field_widget[name=next_review]:contains('General manager')",
        },
        {
            content: "Validate",
            trigger: ".o_form_view button[name=validate_tier]",
            run: "click",
        },
        {
            content: "The claim is validated",
            trigger: ".o_form_view .alert-success:contains('validated')",
        },
        {
            content: "The chatter records my validation",
            trigger: ".o-mail-Message:contains('validated by Test General Manager')",
        },
    ],
});
