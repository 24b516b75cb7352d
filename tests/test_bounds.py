"""core.bounds: what fits a column, read from its type, and the flush that refuses what does not."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import BigInteger, Column, Date, Float, Integer, Numeric, SmallInteger, String, func, select

from addons.crm.models import Lead, Stage
from core import bounds
from core.errors import ValidationError


def test_integer_ranges_and_decimal_digits_come_from_the_type():
    assert bounds.integer_range(SmallInteger()) == (-(2**15), 2**15 - 1)
    assert bounds.integer_range(Integer()) == (-(2**31), 2**31 - 1)
    assert bounds.integer_range(BigInteger()) == (-(2**63), 2**63 - 1)
    assert bounds.integer_range(String()) is None
    assert bounds.decimal_digits(Numeric(18, 2)) == (16, 2)
    assert bounds.largest_decimal(Numeric(5, 2)) == Decimal("999.99")
    assert bounds.largest_decimal(Numeric(18, 6)) == Decimal("999999999999.999999")


@pytest.mark.parametrize("type_, value, fits", [
    (Integer(), 2**31 - 1, True), (Integer(), 2**31, False), (Integer(), -(2**31) - 1, False),
    (BigInteger(), 2**31, True), (BigInteger(), 2**63, False),
    (Numeric(5, 2), Decimal("999.99"), True), (Numeric(5, 2), Decimal("1000"), False),
    (Numeric(18, 2), Decimal("-1E+16"), False), (Numeric(18, 2), Decimal("NaN"), False),
    (Numeric(18, 2), float("inf"), False), (Date(), dt.date(1, 1, 1), False), (Date(), dt.date(2026, 5, 1), True),
    (Date(), dt.date(9999, 12, 31), False), (String(), "anything", True), (Integer(), None, True),
    (Float(), 1e300, True),
])
def test_a_value_fits_its_column_or_says_why_not(type_, value, fits):
    assert (bounds.problem(type_, value) is None) == fits


@pytest.mark.parametrize("value", ["0", "-3", "12a", "１２", 2**31, "9" * 40, [1], 1.5, True, None, ""])
def test_anything_but_a_positive_id_the_column_holds_is_refused_naming_the_field(value):
    with pytest.raises(ValidationError, match="partner_id: .* is not the id of a record") as refused:
        bounds.parse_id(value, "partner_id")
    assert refused.value.field == "partner_id"


def test_an_id_is_bounded_by_its_own_column():
    assert bounds.parse_id(" 42 ", "id") == 42
    assert bounds.parse_id(str(2**40), "id", Column(BigInteger)) == 2**40
    with pytest.raises(ValidationError):
        bounds.parse_id(str(2**40), "id", Column(Integer))


@pytest.mark.parametrize("values, field", [
    ({"sequence": 2**40}, "sequence"),
    ({"probability": Decimal("1000")}, "probability"),
])
def test_every_flush_refuses_a_value_its_column_cannot_hold_and_stores_nothing(db, values, field):
    session = db.system()
    session.add(Stage(company_id=db.main_company.id, name="Too far", **values))
    with pytest.raises(ValidationError, match=f"{field}: .* is out of range") as refused:
        session.flush()
    assert refused.value.field == field
    session.rollback()
    assert session.scalar(select(func.count(Stage.id)).where(Stage.name == "Too far")) == 0


def test_a_changed_date_outside_the_calendar_range_is_refused_at_flush(db):
    session = db.system()
    lead = Lead(company_id=db.main_company.id, name="Deadline")
    session.add(lead)
    session.flush()
    lead.date_deadline = dt.date(1, 1, 1)
    with pytest.raises(ValidationError, match="date_deadline: 0001-01-01 is out of range: a date from 1900-01-01"):
        session.flush()
