from . import aftersales_xlsx_mixin
from . import return_register_xlsx
from . import supplier_deposit_statement_xlsx
from . import parts_plan_xlsx
