"""Saving salary rules: a formula is checked when it is saved (its syntax, and that it reads only the rules
before it), so a batch meets no surprise but a missing rate or a division by zero."""
from __future__ import annotations

from flask_babel import gettext

from core.errors import ValidationError
from core.fields import clean

from .compute import compile_rules, rules_of
from .models import PayrollStructure, SalaryRule


def create_rule(session, company_id: int, **values) -> SalaryRule:
    values = clean(SalaryRule, values, session=session)
    rule = SalaryRule(company_id=company_id, **values)
    _check(session, rule)
    session.add(rule)
    session.flush()
    return rule


def update_rule(session, rule: SalaryRule, **values) -> SalaryRule:
    values = clean(SalaryRule, values, record=rule, session=session)
    with session.no_autoflush:
        for key, value in values.items():
            setattr(rule, key, value)
        _check(session, rule)
    session.flush()
    return rule


def _check(session, rule: SalaryRule) -> None:
    structure = session.get(PayrollStructure, rule.structure_id)
    if structure is None or structure.company_id != rule.company_id:
        raise ValidationError(gettext("Choose a salary structure of the company."), "structure_id")
    if not (rule.code or "").replace("_", "").isalnum() or not rule.code.isupper() or rule.code[0].isdigit():
        raise ValidationError(gettext("A code is upper-case letters, digits and _, starting with a letter."),
                              "code")
    others = [other for other in rules_of(session, structure) if other is not rule and other.id != rule.id]
    if any(other.code == rule.code for other in others):
        raise ValidationError(gettext("The structure already has a rule %(code)s.", code=rule.code), "code")
    ordered = sorted([*others, rule], key=lambda found: (found.sequence, found.id or 0))
    compile_rules(structure.name, ordered)
