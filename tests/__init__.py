from . import test_access
from . import test_check_warranty
from . import test_ui
from . import test_voucher_cron
from . import test_voucher_issue
from . import test_voucher_manual
from . import test_network
from . import test_tickets
