from flask_babel import lazy_gettext as _l

from core import MenuItem

from ..models import Production, WorkCentre
from .models import Forecast, Proposal

MENU = (
    MenuItem(id="manufacturing.planning", label=_l("Requirements planning"), parent="manufacturing.root",
             endpoint="manufacturing.planning", model=Proposal, sequence=60),
    MenuItem(id="manufacturing.forecasts", label=_l("Forecasts"), parent="manufacturing.root",
             endpoint="manufacturing.forecast_list", model=Forecast, sequence=65),
    MenuItem(id="manufacturing.load", label=_l("Work-centre load"), parent="manufacturing.root",
             endpoint="manufacturing.load", model=WorkCentre, sequence=70),
    MenuItem(id="manufacturing.dashboard", label=_l("Production dashboard"), parent="manufacturing.root",
             endpoint="manufacturing.production_dashboard", model=Production, sequence=5),
)
