"""Stock reports, each one SQL query through the user's session (access and company rules apply);
``core.reports`` writes any of them as CSV or XLSX."""
from .forecast import forecast
from .history import move_history
from .on_hand import stock_on_hand
from .over_time import stock_over_time
from .scope import Scope
from .valuation import valuation_at

__all__ = ["Scope", "forecast", "move_history", "stock_on_hand", "stock_over_time",
           "valuation_at"]
