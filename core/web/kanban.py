"""What the kanban shows besides the cards' titles: each column's total (the card count and the sum of the view's
money field, ``kanban_sum``, counted in SQL over every row the board's search and filters select, not only the
cards shown) and each card's fields (``kanban_fields``) and badges (``ModelView.card_badges``)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from core.models import Company, User

from .context import system_session
from .i18n import money

#: a priority field's choices are the digits 0 to MAX_STARS
MAX_STARS = 3


@dataclass(frozen=True)
class CardField:
    """One field on a card: its text, and whether it is a person (shown as an initial with the name as title) or a
    priority (``stars`` of :data:`MAX_STARS`, for a choice field declared with ``widget="priority"``)."""
    name: str
    label: str
    text: str
    person: bool = False
    stars: int | None = None

    @property
    def star_marks(self) -> list[bool]:
        """Each of the :data:`MAX_STARS` stars, lit or not."""
        return [number < (self.stars or 0) for number in range(MAX_STARS)]


@dataclass(frozen=True)
class CardBadge:
    """Something an addon adds to a card (CRM: the next activity); ``late`` shows it as overdue."""
    text: str
    title: str = ""
    late: bool = False


def card_fields(view, record, currency: str) -> list[CardField]:
    """The card's fields that have a value: the summed money field in the company's currency, the others as the
    record page shows them (:meth:`ModelView.display`)."""
    shown = []
    fields = view.fields()
    for name in view.card_field_names:
        found = fields.get(name)
        if name == view.kanban_sum:
            text = money(view.value(record, name), currency)
        else:
            text = view.display(record, name)
        if text:
            stars = int(view.value(record, name)) if found is not None and found.widget == "priority" else None
            shown.append(CardField(name, view.label_of(name), text,
                                   person=found is not None and found.target is User, stars=stars))
    return shown


@dataclass(frozen=True)
class ColumnTotal:
    count: int = 0
    amount: Decimal | None = None  # None: the view sums no field

    def formatted(self, currency: str) -> str:
        return money(self.amount, currency) if self.amount is not None else ""

    def as_json(self, currency: str) -> dict:
        """What the stage answer returns per column: the sum formatted on the server (no float arithmetic in JS)."""
        return {"count": self.count, "sum": self.formatted(currency)}


def column_totals(session, view, params, actor) -> dict[str, ColumnTotal]:
    """Each stage's total, by the stage's value as a string (the columns' ``data-stage``); empty stages too."""
    stage = getattr(view.model, view.stage_field)
    measures = [func.count()]
    if view.kanban_sum:
        measures.append(func.coalesce(func.sum(getattr(view.model, view.kanban_sum)), 0))
    statement = select(stage, *measures).where(*view.conditions(params, actor)).group_by(stage)
    found = {str(value): ColumnTotal(count, Decimal(amount[0]) if amount else None)
             for value, count, *amount in session.execute(statement)}
    empty = ColumnTotal(0, Decimal(0) if view.kanban_sum else None)
    return {str(value): found.get(str(value), empty) for value, _label in view.stages(session)}


def company_currency(actor) -> str:
    """The currency the board's sums are in: the user's company's (read whatever groups may read companies)."""
    return system_session().get(Company, actor.company_id).currency_code
