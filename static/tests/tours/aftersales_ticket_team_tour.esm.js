/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const OURS = "Tour: team lamp flickers";
const OTHERS = "Tour: invoice question";

registry.category("web_tour.tours").add("aftersales_ticket_team_tour", {
    steps: () => [
        {
            content: "Service Requests opens on the after-sales team, as a facet",
            trigger: ".o_searchview_facet:contains('After-Sales Service')",
        },
        {
            content: "Show the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The after-sales ticket with its customer, station and region",
            trigger: `.o_list_view .o_data_row:contains('${OURS}'):contains('Test Fleet Customer'):contains('Test Station Co.'):contains('Test East')`,
        },
        {
            content: "Another team's ticket is not listed",
            trigger: `.o_list_view .o_list_table:not(:has(.o_data_row:contains('${OTHERS}')))`,
        },
        {
            content: "No column header is cut",
            trigger: ".o_list_view thead th[data-name=region_id]",
            run() {
                const cut = [
                    ...document.querySelectorAll(
                        ".o_list_view thead th .text-truncate"
                    ),
                ].filter((span) => span.scrollWidth > span.clientWidth);
                if (cut.length) {
                    throw new Error(
                        "Truncated headers: " +
                            cut.map((span) => span.textContent).join(", ")
                    );
                }
            },
        },
        {
            content: "Open the ticket",
            trigger: `.o_list_view .o_data_row:contains('${OURS}') td[name=name]`,
            run: "click",
        },
        {
            content: "Deadlines to the minute, without seconds",
            trigger:
                ".o_form_view .o_field_widget[name=aftersales_reply_deadline]:not(:empty)",
            run() {
                for (const name of [
                    "aftersales_reply_deadline",
                    "aftersales_onsite_deadline",
                    "aftersales_resolve_deadline",
                ]) {
                    const text = document
                        .querySelector(`.o_form_view .o_field_widget[name=${name}]`)
                        .textContent.trim();
                    if (!/\d{2}:\d{2}$/.test(text) || /\d{2}:\d{2}:\d{2}/.test(text)) {
                        throw new Error(`${name} shows "${text}"`);
                    }
                }
            },
        },
        {
            content: "Back to the list, still on the team",
            trigger: ".o_breadcrumb li.o_back_button",
            run: "click",
        },
        {
            trigger: `.o_list_view .o_data_row:contains('${OURS}')`,
        },
        {
            content: "Remove the team facet",
            trigger:
                ".o_searchview_facet:contains('After-Sales Service') .o_facet_remove",
            run: "click",
        },
        {
            content: "The other teams' tickets show",
            trigger: `.o_list_view .o_data_row:contains('${OTHERS}')`,
        },
        {
            trigger: `.o_list_view .o_data_row:contains('${OURS}')`,
        },
        {
            content: "The activity view is offered",
            trigger: ".o_switch_view.o_activity",
        },
    ],
});
