# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# Responsibilities that are a defect of the product itself (design or
# quality): what stations learn from.
CASE_NOTE_RESPONSIBILITIES = ("manufacturing", "supplier")
# A case note tells a settled story: the claim is approved or done.
CASE_NOTE_CLAIM_STATES = ("approved", "done")


class AftersalesCaseNote(models.Model):
    """A repair case written up for the stations (seed 003 第三条 10: repair
    cases and design defects are summarised in writing and kept for
    reference).

    Made from a claim whose fault is a design or quality defect, published
    to the stations of the product's category, read in the portal.
    """

    _name = "aftersales.case.note"
    _description = "Repair Case Note"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.knowledge.mixin"]
    _order = "date_published desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        string="Claim",
        index=True,
        readonly=True,
        check_company=True,
        ondelete="set null",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        check_company=True,
    )
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part",
        string="Failed Part",
        check_company=True,
    )
    summary = fields.Text(
        required=True, help="The fault as the customer saw it, and its cause."
    )
    fix = fields.Text(required=True, help="How the station repaired it.")
    part_ids = fields.Many2many(
        comodel_name="product.product",
        relation="aftersales_case_note_product_rel",
        column1="note_id",
        column2="product_id",
        string="Parts Used",
        check_company=True,
    )

    @api.model
    def _prepare_from_claim(self, claim):
        """Values of the case note of ``claim``."""
        summary = "\n\n".join(
            text for text in (claim.fault_phenomenon, claim.cause_analysis) if text
        )
        return {
            "name": self.env._(
                "%(product)s: %(fault)s",
                product=claim.product_id.name,
                fault=(claim.fault_phenomenon or claim.name).splitlines()[0][:80],
            ),
            "claim_id": claim.id,
            "company_id": claim.company_id.id,
            "categ_id": claim.product_id.categ_id.id,
            "product_id": claim.product_id.id,
            "part_id": claim.part_id.id,
            "summary": summary or claim.name,
            "fix": claim.handling_note or claim.cause_analysis or claim.name,
            "part_ids": [
                fields.Command.set(
                    claim.line_ids.filtered(
                        lambda line: line.line_type == "part"
                    ).product_id.ids
                )
            ],
        }

    @api.model
    def _check_claim_publishable(self, claims):
        for claim in claims:
            if claim.responsibility not in CASE_NOTE_RESPONSIBILITIES:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is not a design or quality defect: only "
                        "manufacturing or supplier defects become case notes.",
                        claim=claim.name,
                    )
                )
            if claim.state not in CASE_NOTE_CLAIM_STATES:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: publish its case once it "
                        "is approved.",
                        claim=claim.name,
                        state=claim._state_label(claim.state),
                    )
                )
            if not claim.product_id.categ_id:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s has no product category to publish to.",
                        claim=claim.name,
                    )
                )
