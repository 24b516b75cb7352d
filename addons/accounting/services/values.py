"""Cleaning the values of a document's lines, each problem named after its line (``lines-0-percent``)."""
from __future__ import annotations

from flask_babel import gettext

from core.errors import ValidationError
from core.fields import clean


def clean_line(model: type, index: int, values: dict) -> dict:
    """``values`` of line ``index`` (from 0) cleaned by :func:`core.fields.clean` (those given only; the
    service fills the rest); its errors say which line."""
    try:
        return clean(model, values, creating=False)
    except ValidationError as error:
        problems = {f"lines-{index}-{name}": problem for name, problem in error.errors.items()}
        raise ValidationError(gettext("Line %(number)s: %(problem)s", number=index + 1, problem=str(error)),
                              next(iter(problems)), problems) from None
