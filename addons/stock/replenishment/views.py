"""The reorder rules' generic views, writing through the rules' services (which check min <= max and the rest)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.views import ModelView

from ..models import ReorderRule
from .rules import create_rule, update_rule


class ReorderRuleView(ModelView):
    def create(self, session, actor, values):
        return create_rule(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return update_rule(session, record, **values)


def replenishment_views() -> tuple[ModelView, ...]:
    return (ReorderRuleView(ReorderRule, name="reorder_rule", slug="reorder-rules", label=_l("Reorder rule"),
                            label_plural=_l("Reorder rules"), search_fields=()),)
