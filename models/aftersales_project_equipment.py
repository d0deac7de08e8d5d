# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesProjectEquipment(models.Model):
    """Equipment installed by an engineering project (seed 003 第四条 5:
    the equipment file and its subcontractors), with its warranty voucher."""

    _name = "aftersales.project.equipment"
    _description = "Project Equipment"
    _inherit = ["aftersales.input.mixin"]
    _order = "project_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    project_id = fields.Many2one(
        comodel_name="project.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="project_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Equipment",
        required=True,
        check_company=True,
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial/Lot",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    supplier_id = fields.Many2one(
        comodel_name="res.partner",
        string="Supplier / Subcontractor",
        check_company=True,
        help="Who supplied or installed the equipment: its defects are charged "
        "to that partner's warranty deposit.",
    )
    location = fields.Char(string="Installed At")
    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        string="Warranty Voucher",
        readonly=True,
        copy=False,
        check_company=True,
    )
    voucher_state = fields.Selection(related="voucher_id.state", string="Voucher")
    date_warranty_end = fields.Date(
        related="voucher_id.date_end", string="Warranty Until"
    )

    _sql_constraints = [
        (
            "lot_unique",
            "unique(lot_id)",
            "A serial is installed in one project only.",
        ),
    ]

    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        for line in self.filtered("lot_id"):
            if line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial %(lot)s belongs to %(lot_product)s, not to "
                        "%(product)s.",
                        lot=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("project_id")
    def _check_project(self):
        for line in self:
            if not line.project_id.is_aftersales_project:
                raise ValidationError(
                    self.env._(
                        "Equipment is recorded on after-sales projects only; "
                        "mark %(project)s as one first.",
                        project=line.project_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._link_vouchers()
        return lines

    def write(self, vals):
        if "lot_id" in vals and any(line.voucher_id for line in self):
            raise ValidationError(
                self.env._(
                    "The serial of installed equipment with a warranty voucher "
                    "cannot change; remove the line and add the new equipment."
                )
            )
        result = super().write(vals)
        if "lot_id" in vals:
            self._link_vouchers()
        return result

    def _link_vouchers(self):
        """The live voucher of each serial covers it from the project's
        formal handover (server code after the ORM's own checks)."""
        lines = self.filtered(lambda line: line.lot_id and not line.voucher_id)
        if not lines:
            return
        found = self.env["aftersales.warranty.voucher"]._find_for_documents(lines)
        for line in lines:
            voucher = found[line]
            if voucher and voucher.state in ("draft", "active"):
                voucher._link_project(line.project_id)
                line.sudo().voucher_id = voucher
