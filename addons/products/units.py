"""Units of measure: the seeded set, converting a quantity between two units, whole-unit quantities."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean
from core.transaction_cache import cached

from .models import Uom, UomCategory
from .unit_names import CATEGORIES, UNITS

DEFAULT_UNIT = "unit"


def seed_units(session: Session) -> None:
    """Create the seeded categories and units that are missing (idempotent: an upgrade adds only new ones)."""
    categories = {row.code: row for row in session.scalars(select(UomCategory))}
    for code, (name, _label) in CATEGORIES.items():
        if code not in categories:
            categories[code] = UomCategory(code=code, name=name)
            session.add(categories[code])
    session.flush()
    known = set(session.scalars(select(Uom.code)))
    session.add_all(Uom(code=code, name=name, category_id=categories[category].id, factor=Decimal(factor),
                        whole=whole)
                    for code, (category, name, _label, factor, whole) in UNITS.items() if code not in known)
    session.flush()


def unit_by_code(session: Session, code: str) -> Uom:
    """The unit with ``code``, read once per transaction."""
    def find() -> Uom:
        found = session.scalars(select(Uom).where(Uom.code == code)).one_or_none()
        if found is None:
            raise ValidationError(gettext("There is no unit of measure with the code %(code)s.", code=code), "uom_id")
        return found

    return cached(session, ("products.unit", code), find, depends_on=(Uom,))


def default_unit_id(session: Session) -> int:
    return unit_by_code(session, DEFAULT_UNIT).id


def convert(quantity: Decimal, from_unit: Uom, to_unit: Uom, field: str = "quantity") -> Decimal:
    """``quantity`` of ``from_unit`` expressed in ``to_unit`` (exact: no rounding here).

    Units of different categories (kilograms and units) have no conversion:
    that is refused naming both, on ``field``.
    """
    if from_unit.id == to_unit.id:
        return quantity
    if from_unit.category_id != to_unit.category_id:
        raise ValidationError(gettext(
            "There is no conversion from %(source)s to %(target)s: they measure different things.",
            source=from_unit.display_name, target=to_unit.display_name), field)
    return quantity * from_unit.factor / to_unit.factor


def check_quantity(quantity: Decimal, unit: Uom, field: str = "quantity") -> Decimal:
    """``quantity`` if a person may enter it in ``unit``: refused when negative, or fractional in a whole unit."""
    if quantity < 0:
        raise ValidationError(gettext("A quantity cannot be negative."), field)
    if unit.whole and quantity != quantity.to_integral_value():
        raise ValidationError(gettext(
            "%(unit)s is counted in whole units: %(quantity)s is not a whole number.",
            unit=unit.display_name, quantity=quantity), field)
    return quantity


def create_unit(session: Session, **values) -> Uom:
    unit = Uom(**clean(Uom, values, session=session))
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, unit: Uom, **values) -> Uom:
    """Rename or archive a unit; its category and factor stay as created, since stored quantities depend on them."""
    values = clean(Uom, values, record=unit, session=session)
    for name in ("category_id", "factor"):
        if name in values and values[name] != getattr(unit, name):
            raise ValidationError(gettext(
                "A unit's category and factor cannot change once it exists: quantities already counted in it "
                "would change meaning. Create another unit instead."), name)
    for key, value in values.items():
        setattr(unit, key, value)
    session.flush()
    return unit
