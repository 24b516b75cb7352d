"""Reorder rules: create and change them, with the rules between their fields checked once, here."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean

from ..models import ReorderRule, Warehouse


def _check(session: Session, rule: ReorderRule) -> None:
    errors = {}
    if (rule.max_quantity or Decimal(0)) < (rule.min_quantity or Decimal(0)):
        errors["max_quantity"] = gettext("The maximum (%(max)s) is below the minimum (%(min)s).",
                                         max=f"{rule.max_quantity.normalize():f}",
                                         min=f"{rule.min_quantity.normalize():f}")
    warehouse = session.get(Warehouse, rule.warehouse_id) if rule.warehouse_id is not None else None
    if warehouse is not None and warehouse.company_id != rule.company_id:
        errors["warehouse_id"] = gettext("The warehouse belongs to another company.")
    taken = select(ReorderRule.id).where(ReorderRule.product_id == rule.product_id,
                                         ReorderRule.warehouse_id == rule.warehouse_id)
    if rule.id is not None:
        taken = taken.where(ReorderRule.id != rule.id)
    if session.scalar(taken) is not None:
        errors["product_id"] = gettext("This product already has a reorder rule in this warehouse.")
    if errors:
        raise ValidationError(" ".join(errors.values()), next(iter(errors)), errors=errors)


def create_rule(session: Session, company_id: int, **values) -> ReorderRule:
    """A reorder rule of ``company_id``; every wrong field is named at once, and nothing is written."""
    values = clean(ReorderRule, values, session=session, creating=True)
    rule = ReorderRule(company_id=company_id, min_quantity=Decimal(0), max_quantity=Decimal(0),
                       multiple=Decimal(1), lead_days=0)
    for key, value in values.items():
        setattr(rule, key, value)
    with session.no_autoflush:
        _check(session, rule)
    session.add(rule)
    session.flush()
    return rule


def update_rule(session: Session, rule: ReorderRule, **values) -> ReorderRule:
    values = clean(ReorderRule, values, record=rule, session=session)
    with session.no_autoflush:
        for key, value in values.items():
            setattr(rule, key, value)
        try:
            _check(session, rule)
        except ValidationError:
            session.expire(rule)
            raise
    session.flush()
    return rule
