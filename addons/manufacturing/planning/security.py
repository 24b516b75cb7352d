"""Who may do what in planning: a manufacturing user reads forecasts and proposals; a manager keeps forecasts,
runs the requirements and confirms or discards proposals (always within the user's companies)."""
from core import ModelAccess

from ..security import MANAGER, USER
from .models import Forecast, PlanningState, ProductPlanning, Proposal

ACCESS = (
    *(ModelAccess(model, USER, read=True) for model in (Forecast, Proposal, PlanningState)),
    ModelAccess(ProductPlanning, "products.group_user", read=True),
    ModelAccess(ProductPlanning, MANAGER, read=True, create=True, write=True),
    ModelAccess(Forecast, MANAGER, read=True, create=True, write=True, delete=True),
    ModelAccess(Proposal, MANAGER, read=True, create=True, write=True, delete=True),
    ModelAccess(PlanningState, MANAGER, read=True, create=True, write=True),
)
