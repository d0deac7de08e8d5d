# pytest imports this file under a name of its own while it collects the pure
# rules; Odoo model classes only load under odoo.addons.
if __name__.startswith("odoo.addons."):
    from . import controllers
    from . import models
    from . import report
    from . import wizards
    from .hooks import post_init_hook
