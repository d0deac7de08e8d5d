/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const appsMenu = ".o_navbar_apps_menu button:enabled";

/**
 * The spreadsheet model of the dashboard on screen, found in the component
 * tree: its cells are drawn on a canvas, not in the DOM.
 */
function activeDashboardModel() {
    const nodes = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (nodes.length) {
        const node = nodes.pop();
        const model = node.component?.state?.activeDashboard?.model;
        if (model) {
            return model;
        }
        nodes.push(...Object.values(node.children));
    }
    return undefined;
}

registry.category("web_tour.tours").add("aftersales_insight_tour", {
    steps: () => [
        {
            content: "Open the After-Sales app",
            trigger: appsMenu,
            run: "click",
        },
        {
            trigger:
                ".o_app[data-menu-xmlid='aftersales_service.aftersales_menu_root']",
            run: "click",
        },
        {
            content: "It opens on the work to do: a claim waits for its appraisal",
            trigger:
                ".o_aftersales_overview .o_aftersales_tile[data-tile=claims_to_appraise]:not(.o_aftersales_tile_empty)",
            run: "click",
        },
        {
            content: "The tile opens the claims it counts",
            trigger: ".o_breadcrumb:contains('Claims to Appraise')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('CL/INSIGHT/TOUR')",
        },
        {
            content: "Open the dashboards",
            trigger: appsMenu,
            run: "click",
        },
        {
            trigger:
                ".o_app[data-menu-xmlid='spreadsheet_dashboard.spreadsheet_dashboard_menu_root']",
            run: "click",
        },
        {
            trigger:
                ".o_spreadsheet_dashboard_search_panel li[data-name='After-Sales']",
            run: "click",
        },
        {
            content: "The after-sales dashboard shows its figures and filters",
            trigger:
                ".o_spreadsheet_dashboard_search_panel li.active[data-name='After-Sales']",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-figure .o-scorecard",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o_filter_value_container",
        },
        {
            content: "Every cell computes once the data is loaded: no error",
            trigger: ".o_spreadsheet_dashboard_action .o-grid",
            async run() {
                const model = activeDashboardModel();
                if (!model) {
                    throw new Error("No dashboard is open.");
                }
                const {waitForDataLoaded} = odoo.loader.modules.get(
                    "@spreadsheet/helpers/model"
                );
                await waitForDataLoaded(model);
                const getters = model.getters;
                const errors = [];
                for (const sheetId of getters.getSheetIds()) {
                    for (const position of getters.getEvaluatedCellsPositions(
                        sheetId
                    )) {
                        const cell = getters.getEvaluatedCell(position);
                        if (cell.type === "error") {
                            errors.push(
                                `${getters.getSheetName(sheetId)} ` +
                                    `${position.col},${position.row}: ` +
                                    `${cell.value} ${cell.message || ""}`
                            );
                        }
                    }
                }
                if (errors.length) {
                    throw new Error(`Dashboard errors: ${errors.join("; ")}`);
                }
                const claims = getters.getEvaluatedCell({
                    sheetId: getters.getSheetIdByName("Data"),
                    col: 1,
                    row: 1,
                });
                if (!(claims.value >= 1)) {
                    throw new Error(`The dashboard counts ${claims.value} claims.`);
                }
            },
        },
        {
            content: "Go back to After-Sales for its statistics",
            trigger: appsMenu,
            run: "click",
        },
        {
            trigger:
                ".o_app[data-menu-xmlid='aftersales_service.aftersales_menu_root']",
            run: "click",
        },
        {
            trigger:
                ".o_menu_sections [data-menu-xmlid='aftersales_service.aftersales_menu_reporting']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='aftersales_service.aftersales_claim_analysis_menu']",
            run: "click",
        },
        {
            content: "The warranty claims statistics open as a pivot",
            trigger: ".o_pivot_view .o_pivot td.o_pivot_cell_value",
        },
    ],
});
