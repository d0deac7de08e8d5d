# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesClaim(models.Model):
    """Claims on an engineering project's equipment (seed 003).

    Their cost is an after-sales cost of the project: it posts to the
    project's analytic account when the claim is approved, and a claim that
    would take the project above its approved cost plan and supplements is
    refused at approval.
    """

    _inherit = "aftersales.claim"

    project_id = fields.Many2one(
        comodel_name="project.project",
        string="Engineering Project",
        compute="_compute_project_id",
        store=True,
        index="btree_not_null",
        check_company=True,
    )
    aftersales_commissioning = fields.Boolean(
        string="Commissioning",
        compute="_compute_project_id",
        store=True,
        help="A defect found before the project's formal handover: commissioning "
        "work of the project, not a warranty case.",
    )

    # The project from the request, else from the equipment line that
    # installed the serial (one query for the batch; not through the voucher,
    # which is computed alongside).
    @api.depends(
        "ticket_id.project_id",
        "lot_id",
        "failure_date",
        "ticket_id.project_id.date_formal_handover",
    )
    def _compute_project_id(self):
        installed = {
            line.lot_id: line.project_id
            for line in self.env["aftersales.project.equipment"]
            .sudo()
            .search([("lot_id", "in", self.lot_id.ids)])
        }
        for claim in self:
            project = claim.ticket_id.project_id or installed.get(
                claim.lot_id, self.env["project.project"]
            )
            claim.project_id = project
            handover = project.date_formal_handover
            claim.aftersales_commissioning = bool(
                project and (not handover or claim.failure_date < handover)
            )

    def _project_cost(self):
        """What the claim costs its project: nothing when the customer pays
        (out-of-warranty service is quoted at cost plus the surcharge)."""
        self.ensure_one()
        if not self.project_id or self.handling_method == "paid_repair":
            return 0.0
        return self.total_cost

    def action_approve(self):
        # The role first: whoever may not approve hears that, not the budget.
        self._check_manager()
        for project, claims in self.grouped("project_id").items():
            if not project:
                continue
            amount = sum(claim._project_cost() for claim in claims)
            if amount:
                project._check_aftersales_budget(
                    amount,
                    self.env._(
                        "Claim %(claims)s", claims=", ".join(claims.mapped("name"))
                    ),
                )
        result = super().action_approve()
        for claim in self.filtered(lambda c: c._project_cost()):
            claim.project_id._post_aftersales_costs(
                [
                    {
                        "cost_type": cost_type,
                        "amount": amount,
                        "name": self.env._(
                            "%(claim)s: %(what)s", claim=claim.name, what=label
                        ),
                        "claim_id": claim.id,
                        "ticket_id": claim.ticket_id.id,
                    }
                    for cost_type, amount, label in (
                        ("parts", claim.parts_cost, self.env._("parts")),
                        ("labour", claim.labour_cost, self.env._("labour")),
                    )
                ]
            )
        return result
