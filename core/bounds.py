"""What a value must be to fit its column, read from the column's SQLAlchemy type.

PostgreSQL refuses an integer or a decimal its column cannot hold, and
SQLite an integer past 64 bits: the user would get an error page. Checking
input against the column's own bounds first turns that into a message
naming the field. The bounds come from the type alone: ``SmallInteger``,
``Integer`` and ``BigInteger`` hold 16, 32 and 64-bit integers, and
``Numeric(p, s)`` holds ``p - s`` digits before the point and ``s`` after.
A ``Date`` or ``DateTime`` is kept within :data:`DATE_RANGE`, away from the
ends of the calendar, so that date arithmetic (90 days earlier, the end of
the next month) never overflows.

The generic forms, JSON input and imports check their values here, and
:func:`install_bounds` checks every flushed object, the last barrier for a
path that forgot.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Date, DateTime, Float, Integer, Numeric, SmallInteger, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ValidationError

#: bits of each integer type, the most specific first (BigInteger and SmallInteger derive from Integer)
INTEGER_BITS = ((BigInteger, 64), (SmallInteger, 16), (Integer, 32))
#: Numeric without a precision is taken as the money type, Numeric(18, 2)
DEFAULT_PRECISION, DEFAULT_SCALE = 18, 2
#: the dates a record or a report may name
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(9990, 12, 31))


def integer_range(type_) -> tuple[int, int] | None:
    """The smallest and largest integer a column of ``type_`` holds (None: not an integer type)."""
    for kind, bits in INTEGER_BITS:
        if isinstance(type_, kind):
            return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return None


def decimal_digits(type_) -> tuple[int, int] | None:
    """(digits before the point, digits after) of a Numeric column type (None: not a decimal type)."""
    if not isinstance(type_, Numeric) or isinstance(type_, (Integer, Float)):
        return None
    precision = type_.precision or DEFAULT_PRECISION
    scale = type_.scale if type_.scale is not None else DEFAULT_SCALE
    return precision - scale, scale


def largest_decimal(type_) -> Decimal | None:
    """The largest magnitude a Numeric column type holds, e.g. 9999999999999999.99 for Numeric(18, 2)."""
    digits = decimal_digits(type_)
    if digits is None:
        return None
    before, after = digits
    return Decimal(10) ** before - Decimal(10) ** -after


def has_bounds(type_) -> bool:
    """Whether a column of ``type_`` has bounds to check (integers, decimals, dates)."""
    return integer_range(type_) is not None or decimal_digits(type_) is not None or isinstance(type_, (Date, DateTime))


def date_problem(value: dt.date) -> str | None:
    """Why ``value`` (a date or a datetime) is no date a record or a report may name, or None."""
    day = value.date() if isinstance(value, dt.datetime) else value
    low, high = DATE_RANGE
    if low <= day <= high:
        return None
    return str(_l("%(value)s is out of range: a date from %(low)s to %(high)s.", value=day.isoformat(),
                  low=low.isoformat(), high=high.isoformat()))


def check_date(value: dt.date, field: str) -> dt.date:
    """``value``, or a :class:`ValidationError` naming ``field`` when it is outside :data:`DATE_RANGE`."""
    found = date_problem(value)
    if found is not None:
        raise ValidationError(_l("%(field)s: %(problem)s", field=field, problem=found), field)
    return value


def problem(type_, value) -> str | None:
    """Why ``value`` does not fit a column of ``type_``, or None when it does (or the type has no bounds)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(type_, (Date, DateTime)) and isinstance(value, dt.date):
        return date_problem(value)
    bounds = integer_range(type_)
    if bounds is not None and isinstance(value, int):
        low, high = bounds
        if not low <= value <= high:
            return str(_l("%(value)s is out of range: a whole number from %(low)s to %(high)s.",
                          value=short(value), low=low, high=high))
        return None
    largest = largest_decimal(type_)
    if largest is not None and isinstance(value, (int, float, Decimal)):
        try:
            number = Decimal(value)
            too_large = not number.is_finite() or abs(number) > largest
        except (InvalidOperation, ValueError):
            too_large = True
        if too_large:
            return str(_l("%(value)s is out of range: at most %(digits)s digits before the decimal point.",
                          value=short(value), digits=decimal_digits(type_)[0]))
    return None


def check(column, value, field: str | None = None) -> None:
    """Raise :class:`ValidationError` naming ``field`` (default: the column's name) unless ``value`` fits."""
    found = problem(column.type, value)
    if found is not None:
        name = field or column.key
        raise ValidationError(_l("%(field)s: %(problem)s", field=name, problem=found), name)


def parse_id(value, field: str, column=None) -> int:
    """``value`` (from a URL, a form, a query or JSON) as a record id ``column`` can hold (default: Integer).

    Raises :class:`ValidationError` naming ``field`` for anything else: a
    non-number, a list, zero or less, or more than the column holds.
    """
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip()) if len(value.strip()) < 30 else None
    high = integer_range(column.type if column is not None else Integer())[1]
    if number is None or not 0 < number <= high:
        raise ValidationError(_l("%(field)s: %(value)s is not the id of a record.", field=field,
                                 value=short(value)), field)
    return number


def fits_id(column, value: int) -> bool:
    """Whether ``value`` can be an id in ``column`` (a primary or foreign key)."""
    return 0 < value <= integer_range(column.type)[1]


def short(value) -> str:
    """``value`` as text cut to 30 characters, to quote it in a message."""
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


# --- the last barrier: every flush --------------------------------------------------------


def install_bounds(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _check_flush)


def _check_flush(session: Session, _flush_context, _instances) -> None:
    for obj in [*session.new, *session.dirty]:
        state = inspect(obj)
        for key, column in _bounded_columns(state.mapper):
            for value in state.attrs[key].history.added:
                check(column, value, key)


def check_values(model: type, values: dict) -> None:
    """The flush's check for one row of column ``values`` written without the ORM (:mod:`core.bulk`).

    A value within its column's plain range passes at once; any other goes
    through :func:`check`, which refuses it with its message or lets it pass.
    """
    for key, column, low, high in _ranges(model):
        value = values.get(key)
        if value is not None and not within((low, high), value):
            check(column, value, key)


def rows_to_check(model: type, rows: list[dict]) -> list[int]:
    """The indexes of the ``rows`` (column values of ``model``) that :func:`check_values` has to look at.

    Worked out column by column: when a bounded column's smallest and
    largest values are within its plain range, every value of it is, and no
    row needs looking at for it (one ``min`` and one ``max`` per column of a
    batch instead of a comparison per value).
    """
    suspects: set[int] = set()
    for key, _column, low, high in _ranges(model):
        values = [row.get(key) for row in rows]
        present = [value for value in values if value is not None]
        if not present:
            continue
        try:
            if low <= min(present) and max(present) <= high:
                continue
        except (TypeError, ArithmeticError):
            pass
        suspects.update(index for index, value in enumerate(values) if value is not None)
    return sorted(suspects)


_RANGES: dict = {}


def _ranges(model: type) -> list:
    """(attribute, column, lowest, highest) of the model's bounded columns, computed once per model."""
    found = _RANGES.get(model)
    if found is None:
        found = _RANGES[model] = [(key, column, *plain_range(column.type))
                                  for key, column in _bounded_columns(inspect(model))]
    return found


def plain_range(type_) -> tuple:
    """(lowest, highest) value a column of ``type_`` (integer, decimal or date) holds: a value between them fits
    at once; another goes through :func:`problem`, which says why it does not (or lets a finer case pass)."""
    if integer_range(type_) is not None:
        return integer_range(type_)
    if decimal_digits(type_) is not None:
        high = largest_decimal(type_)
        return -high, high
    if isinstance(type_, DateTime):
        return dt.datetime.combine(DATE_RANGE[0], dt.time.min), dt.datetime.combine(DATE_RANGE[1], dt.time.max)
    return DATE_RANGE


def within(bounds: tuple, value) -> bool:
    """Whether ``value`` lies in ``bounds`` (:func:`plain_range`); False when it cannot be compared."""
    low, high = bounds
    try:
        return low <= value <= high
    except (TypeError, ArithmeticError):
        return False


_BOUNDED: dict = {}


def _bounded_columns(mapper) -> list:
    """(attribute, column) of the mapper's integer, decimal and date columns, computed once per mapper."""
    found = _BOUNDED.get(mapper)
    if found is None:
        found = _BOUNDED[mapper] = [
            (attribute.key, attribute.columns[0]) for attribute in mapper.column_attrs
            if has_bounds(attribute.columns[0].type)]
    return found
