"""Errors a user can act on. The CLI prints their message on one line and exits 2."""


class BottegaError(Exception):
    """Base of every error whose message is meant for the person at the keyboard."""


class ConfigError(BottegaError):
    """The configuration file or an environment override is wrong."""


class AddonError(BottegaError):
    """An addon cannot be resolved, installed, upgraded or uninstalled as asked."""


class DatabaseError(BottegaError):
    """The database cannot be reached or is not in the expected state."""


class AccessDenied(BottegaError):
    """The acting user may not do this; nothing was changed."""


class RecordNotFound(BottegaError):
    """No record with this id exists, or the acting user may not see it."""


class ValidationError(BottegaError):
    """Input breaks a rule; ``field`` names where, when there is one place.

    ``errors`` maps every field found wrong to its message, when several were
    checked at once (the field layer's cleaning); ``field`` and the message are
    then the first of them.
    """

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.field = field
        self.errors = dict(errors) if errors else ({field: message} if field else {})


def on_line(error: ValidationError, index: int) -> ValidationError:
    """``error`` raised for line ``index`` (0-based) of a document: ``Line 2: ...`` on ``lines-1-<field>``."""
    from flask_babel import gettext

    def numbered(problem) -> str:
        return gettext("Line %(number)s: %(problem)s", number=index + 1, problem=problem)

    def where(name: str | None) -> str | None:
        return f"lines-{index}-{name}" if name else None

    return ValidationError(numbered(str(error)), where(error.field),
                           {where(name): numbered(problem) for name, problem in error.errors.items()})


def each_line(lines, make) -> list:
    """``make(values, number)`` for each of a document's ``lines`` (a dict of each, numbered from 1); a refusal
    names its line (:func:`on_line`)."""
    made = []
    for index, line in enumerate(lines):
        try:
            made.append(make(dict(line), index + 1))
        except ValidationError as error:
            raise on_line(error, index) from None
    return made
