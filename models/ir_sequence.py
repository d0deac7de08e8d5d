# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _next_many(self, count):
        """``count`` numbers of this sequence, in order.

        A delivery issues thousands of vouchers and the return schedule opens
        thousands of windows: a standard sequence is a PostgreSQL sequence,
        whose numbers come in one statement, formatted as ``_next()`` formats
        them. A no-gap sequence (a row lock per number) or one with date
        ranges keeps Odoo's own numbering, one number at a time.
        """
        self.ensure_one()
        if self.implementation != "standard" or self.use_date_range:
            return [self._next() for __ in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{self.id:03d}",
                count,
            )
        )
        numbers = sorted(row[0] for row in self.env.cr.fetchall())
        return [self.get_next_char(number) for number in numbers]
