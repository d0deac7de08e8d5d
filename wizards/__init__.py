from . import aftersales_warranty_voucher_void
from . import aftersales_warranty_check
