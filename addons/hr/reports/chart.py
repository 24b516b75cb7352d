"""A report's figures drawn by the core's charts (:mod:`core.web.charts`), as the list views' graphs are."""
from core.web.charts import series_chart as chart

__all__ = ["chart"]
