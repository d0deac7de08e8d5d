from . import portal
from . import knowledge
