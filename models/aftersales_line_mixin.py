# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError


class AftersalesLineMixin(models.AbstractModel):
    """A line of a document: it follows its document's finality and never
    moves to another document (which would change that one's figures)."""

    _name = "aftersales.line.mixin"
    _description = "After-Sales Document Line"
    _inherit = ["aftersales.input.mixin"]

    # The many2one to the document the line belongs to.
    _document_field = None

    @api.model_create_multi
    def create(self, vals_list):
        # Whoever may not create at all hears that first.
        self.browse().check_access("create")
        lines = super().create(vals_list)
        lines._check_editable()
        return lines

    def write(self, vals):
        self.check_access("write")
        field = self._document_field
        if field in vals and any(line[field].id != vals[field] for line in self):
            raise UserError(
                self.env._(
                    "A line cannot move to another %(document)s.",
                    document=self.env["ir.model"]
                    ._get(self._fields[field].comodel_name)
                    .name,
                )
            )
        self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_editable(self):
        self._check_editable()

    def _check_editable(self):
        """Refuse, naming the document's state, when it is final."""
        raise NotImplementedError
