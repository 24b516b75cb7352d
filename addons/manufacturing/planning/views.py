"""Forecasts through the generic views (list, form, import, export), created through the forecast service."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.views import ModelView

from .forecasts import create_forecast, update_forecast
from .models import Forecast


class ForecastView(ModelView):
    def create(self, session, actor, values):
        return create_forecast(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return update_forecast(session, record, **values)


def planning_views() -> tuple[ModelView, ...]:
    return (ForecastView(Forecast, name="forecast", slug="forecasts", label=_l("Forecast"),
                         label_plural=_l("Forecasts"), search_fields=("note",), default_order="date",
                         form_fields=("product_id", "date", "quantity", "note")),)
