/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {Component, onWillStart, useState} from "@odoo/owl";
import {Layout} from "@web/search/layout";
import {registry} from "@web/core/registry";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {useService} from "@web/core/utils/hooks";

/**
 * The landing page of After-Sales: the work waiting for the user, one tile
 * per kind, each opening the list it counts. The server decides which tiles
 * the user sees, what they count and what they open.
 */
export class AftersalesOverview extends Component {
    static template = "aftersales_service.AftersalesOverview";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({tiles: [], loaded: false});
        onWillStart(() => this.loadTiles());
    }

    async loadTiles() {
        this.state.tiles = await this.orm.call(
            "aftersales.overview",
            "get_work_overview",
            []
        );
        this.state.loaded = true;
    }

    async openTile(tile) {
        const action = await this.orm.call("aftersales.overview", "action_open_tile", [
            tile.key,
        ]);
        await this.action.doAction(action);
    }
}

registry.category("actions").add("aftersales_service.overview", AftersalesOverview);
