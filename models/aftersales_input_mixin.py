# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..aftersales_service import money, periods

# What PostgreSQL's integer columns hold.
INT_MAX = 2**31 - 1
# Days a business document can name.
YEARS = (1900, 2999)


class AftersalesInputMixin(models.AbstractModel):
    """Values checked before the database sees them.

    An RPC client may send anything: NaN or infinity (which the ORM cannot
    round), text in a number or a link, a day no calendar has, a year 10000.
    The ORM answers those with a traceback at best, an ERROR-logged failed
    query at worst; this answers a ``ValidationError`` in words, before
    anything is written. ``_positive_fields`` and ``_nonnegative_fields``
    name the numbers whose database CHECK would otherwise fail the same way.
    """

    _name = "aftersales.input.mixin"
    _description = "After-Sales Checked Input"

    _positive_fields = frozenset()
    _nonnegative_fields = frozenset()
    _percent_fields = frozenset()
    # field -> the largest value that makes sense (months of a warranty…)
    _maximum_fields = {}

    @api.model_create_multi
    def create(self, vals_list):
        self._check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input([vals])
        return super().write(vals)

    @api.model
    def _check_input(self, vals_list):
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or value is None or value is False:
                    continue
                check = getattr(self, f"_check_input_{field.type}", None)
                if check:
                    check(field, value)

    def _input_error(self, field, message, value):
        return ValidationError(
            self.env._(
                "%(field)s: %(problem)s, not %(value)s.",
                field=field.get_description(self.env)["string"],
                problem=message,
                value=repr(value),
            )
        )

    def _check_input_float(self, field, value):
        number = value
        if isinstance(value, str):  # data files write numbers as text
            try:
                number = float(value)
            except ValueError:
                number = None
        number = money.as_number(number)
        if number is None:
            raise self._input_error(field, self.env._("a number is expected"), value)
        if field.name in self._positive_fields and number <= 0:
            raise self._input_error(field, self.env._("it must be positive"), value)
        if field.name in self._nonnegative_fields and number < 0:
            raise self._input_error(field, self.env._("it cannot be negative"), value)
        maximum = self._maximum_fields.get(field.name)
        if maximum is not None and number > maximum:
            raise self._input_error(
                field,
                self.env._("at most %(maximum)s is expected", maximum=maximum),
                value,
            )
        if field.name in self._percent_fields and not 0 <= number <= 100:
            raise self._input_error(
                field, self.env._("a percentage from 0 to 100 is expected"), value
            )
        return number

    _check_input_monetary = _check_input_float

    def _check_input_integer(self, field, value):
        number = self._check_input_float(field, value)
        if number != int(number) or abs(number) > INT_MAX:
            raise self._input_error(
                field, self.env._("a whole number is expected"), value
            )

    def _check_input_many2one(self, field, value):
        if isinstance(value, models.BaseModel):
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (0 < value <= INT_MAX)
        ):
            raise self._input_error(field, self.env._("a record id is expected"), value)

    def _check_input_date(self, field, value):
        try:
            day = periods.parse_day(value)
        except ValueError as error:
            problem = (
                self.env._("no calendar has this day")
                if str(error) == periods.NOT_A_REAL_DAY
                else self.env._("a day (YYYY-MM-DD) is expected")
            )
            raise self._input_error(field, problem, value) from None
        self._check_input_year(field, day, value)

    def _check_input_datetime(self, field, value):
        try:
            moment = (
                value if isinstance(value, date) else fields.Datetime.to_datetime(value)
            )
        except (ValueError, TypeError):
            moment = None
        if not isinstance(moment, date):
            raise self._input_error(
                field,
                self.env._("a moment (YYYY-MM-DD HH:MM:SS) is expected"),
                value,
            )
        self._check_input_year(field, moment, value)

    def _check_input_year(self, field, day, value):
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise self._input_error(
                field,
                self.env._(
                    "a year between %(first)s and %(last)s is expected",
                    first=YEARS[0],
                    last=YEARS[1],
                ),
                value,
            )
