# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from .aftersales_return_batch import OPEN_STATES

USER_GROUP = "aftersales_service.group_aftersales_user"
# base_tier_validation's statuses of a document waiting for its reviewers.
UNDER_REVIEW = ("waiting", "pending")
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"
FINANCE_GROUP = "aftersales_service.group_aftersales_finance"

# One tile of the landing page: the work of one kind waiting for someone.
# ``late``: the work is past a deadline, the tile turns red while it counts any.
Tile = namedtuple("Tile", "key model group action icon late")

TILES = (
    Tile(
        "tickets_overdue",
        "helpdesk.ticket",
        USER_GROUP,
        "aftersales_service.helpdesk_ticket_action_aftersales",
        "fa-clock-o",
        True,
    ),
    Tile(
        "claims_to_appraise",
        "aftersales.claim",
        USER_GROUP,
        "aftersales_service.aftersales_claim_action",
        "fa-stethoscope",
        False,
    ),
    Tile(
        "claims_to_approve",
        "aftersales.claim",
        MANAGER_GROUP,
        "aftersales_service.aftersales_claim_action",
        "fa-check-square-o",
        False,
    ),
    Tile(
        "batches_in_window",
        "aftersales.return.batch",
        USER_GROUP,
        "aftersales_service.aftersales_return_batch_action",
        "fa-truck",
        False,
    ),
    Tile(
        "batches_settlement_overdue",
        "aftersales.return.batch",
        USER_GROUP,
        "aftersales_service.aftersales_return_batch_action",
        "fa-balance-scale",
        True,
    ),
    Tile(
        "deposits_due",
        "aftersales.supplier.deposit",
        FINANCE_GROUP,
        "aftersales_service.aftersales_supplier_deposit_action_due",
        "fa-unlock",
        False,
    ),
    Tile(
        "retentions_due",
        "aftersales.supplier.deposit",
        FINANCE_GROUP,
        "aftersales_service.aftersales_customer_retention_action",
        "fa-money",
        False,
    ),
    Tile(
        "plans_to_approve",
        "aftersales.parts.plan",
        MANAGER_GROUP,
        "aftersales_service.aftersales_parts_plan_action",
        "fa-cubes",
        False,
    ),
)
TILES_BY_KEY = {tile.key: tile for tile in TILES}


class AftersalesOverview(models.AbstractModel):
    """The work waiting in after-sales, counted for the landing page.

    Everything is read with the user's own rights: a tile counts what its
    list shows to this user, and tiles of work the user may not do are left
    out.
    """

    _name = "aftersales.overview"
    _description = "After-Sales Overview"

    @api.model
    def get_work_overview(self):
        """The tiles this user may see, in order, each with its count."""
        self._check_overview_access()
        titles = self._tile_titles()
        result = []
        for tile in self._visible_tiles():
            count = self.env[tile.model].search_count(self._tile_domain(tile.key))
            result.append(
                {
                    "key": tile.key,
                    "title": titles[tile.key],
                    "count": count,
                    "icon": tile.icon,
                    "late": tile.late,
                    "alert": tile.late and count > 0,
                }
            )
        return result

    @api.model
    def action_open_tile(self, key):
        """The list behind a tile: its action, filtered as the tile counts."""
        self._check_overview_access()
        tile = TILES_BY_KEY.get(key)
        if not tile:
            raise UserError(
                self.env._(
                    "The overview has no tile %(key)s: reload the page.", key=key
                )
            )
        if tile not in self._visible_tiles():
            raise AccessError(self.env._("You are not allowed to see this work."))
        action = self.env["ir.actions.actions"]._for_xml_id(tile.action)
        context = {
            name: value
            for name, value in self._action_context(action).items()
            if not name.startswith("search_default_")
        }
        views = [view for view in action.get("views") or [] if view[1] != "form"]
        views.sort(key=lambda view: view[1] != "list")
        views += [view for view in action.get("views") or [] if view[1] == "form"]
        return {
            "type": "ir.actions.act_window",
            "name": self._tile_titles()[key],
            "res_model": tile.model,
            "views": views or [(False, "list"), (False, "form")],
            "domain": self._tile_domain(key),
            "context": context,
            "target": "current",
            "help": action.get("help"),
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _check_overview_access(self):
        if self.env.su or self.env.user.has_group(USER_GROUP):
            return
        raise AccessError(
            self.env._("Only after-sales users see the after-sales overview.")
        )

    def _visible_tiles(self):
        user = self.env.user
        return [
            tile
            for tile in TILES
            if (self.env.su or user.has_group(tile.group))
            and self.env[tile.model].has_access("read")
        ]

    def _tile_titles(self):
        return {
            "tickets_overdue": self.env._("Service Requests Past a Deadline"),
            "claims_to_appraise": self.env._("Claims to Appraise"),
            "claims_to_approve": self.env._("Claims to Approve"),
            "batches_in_window": self.env._("Return Batches in Their Window"),
            "batches_settlement_overdue": self.env._("Return Batches Past Settlement"),
            "deposits_due": self.env._("Deposits Due for Release"),
            "retentions_due": self.env._("Retentions Due for Collection"),
            "plans_to_approve": self.env._("Spare-Parts Plans to Approve"),
        }

    def _tile_domain(self, key):
        # As strings: the domain also travels to the browser with the action.
        today = fields.Date.to_string(fields.Date.context_today(self))
        now = fields.Datetime.to_string(fields.Datetime.now())
        domains = {
            "tickets_overdue": [
                ("aftersales_next_deadline", "<", now),
                ("stage_id.closed", "=", False),
            ],
            "claims_to_appraise": [("state", "=", "submitted")],
            # Not those waiting for their reviewers: the manager cannot
            # approve them yet (under review is the reviewers' queue).
            "claims_to_approve": [
                ("state", "=", "appraised"),
                ("validation_status", "not in", UNDER_REVIEW),
            ],
            "batches_in_window": [
                ("state", "in", OPEN_STATES),
                ("window_start", "<=", today),
                ("window_end", ">=", today),
            ],
            "batches_settlement_overdue": [
                ("state", "=", "received"),
                ("settlement_deadline", "<", today),
            ],
            "deposits_due": [("is_due", "=", True), ("side", "=", "supplier")],
            "retentions_due": [("is_due", "=", True), ("side", "=", "customer")],
            "plans_to_approve": [("state", "=", "submitted")],
        }
        return domains[key]

    def _action_context(self, action):
        """The action's context as a dict (our actions' are plain literals)."""
        context = action.get("context") or {}
        if isinstance(context, str):
            eval_context = self.env["ir.actions.actions"]._get_eval_context()
            eval_context["context"] = dict(self.env.context)
            context = safe_eval(context, eval_context)
        return dict(context)
