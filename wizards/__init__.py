from . import aftersales_station_deposit
from . import aftersales_station_state_change
from . import aftersales_warranty_check
from . import aftersales_warranty_voucher_void
from . import helpdesk_ticket_return_visit
from . import aftersales_claim_reject
from . import aftersales_return_batch_exception
from . import aftersales_statistics_wizard
