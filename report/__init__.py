from . import return_register_xlsx
