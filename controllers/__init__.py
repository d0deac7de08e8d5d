from . import portal
from . import knowledge
from . import portal_appointment
