# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from .aftersales_warranty_voucher import AftersalesWarrantyVoucher as Base


class AftersalesWarrantyVoucher(models.Model):
    """Vouchers of an engineering project's equipment (seed 003).

    The equipment of a project is covered from the project's formal handover
    (正式移交生产), not from its delivery: until then the voucher waits
    (``awaiting_handover``; check_warranty answers ``not_started``) and the
    project handles defects as commissioning work. Recording the formal
    handover starts the project's vouchers on that day.
    """

    _inherit = "aftersales.warranty.voucher"

    # The project and its handover decide the start: written by the link of
    # the project's equipment and by the handover, never typed.
    _workflow_fields = Base._workflow_fields | {"project_id", "awaiting_handover"}

    project_id = fields.Many2one(
        comodel_name="project.project",
        string="Engineering Project",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    awaiting_handover = fields.Boolean(
        string="Awaiting Formal Handover",
        readonly=True,
        copy=False,
        help="The voucher covers equipment of an engineering project that has "
        "not been formally handed over yet: its warranty starts on the formal "
        "handover.",
    )

    @api.model
    def _start_for_project(self, project, date_delivery):
        """A project's equipment is covered from the formal handover; what is
        delivered after it (a replacement), from its own delivery."""
        handover = project.date_formal_handover
        if not handover:
            return None
        return max(handover, date_delivery) if date_delivery else handover

    def _link_project(self, project):
        """Put the vouchers under ``project`` and (re)start them by its
        handover (server code: the equipment lines call it after their
        checks). A voucher already under another project is refused."""
        for voucher in self.sudo():
            if voucher.project_id and voucher.project_id != project:
                raise UserError(
                    self.env._(
                        "Voucher %(voucher)s already covers equipment of project "
                        "%(project)s.",
                        voucher=voucher.name,
                        project=voucher.project_id.display_name,
                    )
                )
        self.sudo()._workflow_write({"project_id": project.id})
        self._restart_for_project()

    def _restart_for_project(self):
        """Dates of the project's live vouchers from its formal handover."""
        for voucher in self.sudo().filtered(
            lambda v: v.project_id and v.state in ("draft", "active")
        ):
            start = self._start_for_project(voucher.project_id, voucher.date_delivery)
            if not start:
                if not voucher.awaiting_handover:
                    voucher._workflow_write({"awaiting_handover": True})
                continue
            values = {"awaiting_handover": False, "date_start": start}
            if voucher.policy_id:
                values["date_end"] = self._end_for(
                    voucher.policy_id, voucher.holder_type, start
                )
            else:
                values["date_end"] = max(voucher.date_end, start)
            voucher._workflow_write(values)

    @api.model
    def _link_project_equipment(self, vouchers):
        """Vouchers just issued for serials installed in a project (its
        equipment lines name them): one query for the whole delivery."""
        with_lot = vouchers.filtered(lambda v: v.lot_id and not v.project_id)
        if not with_lot:
            return
        lines = (
            self.env["aftersales.project.equipment"]
            .sudo()
            .search([("lot_id", "in", with_lot.lot_id.ids)])
        )
        by_lot = {line.lot_id: line for line in lines}
        for voucher in with_lot:
            line = by_lot.get(voucher.lot_id)
            if line and line.product_id == voucher.product_id:
                voucher._link_project(line.project_id)
                line.sudo().voucher_id = voucher
