"""Running a service from a view: commit what it did, or roll back and tell the user why.

Every page that changes data calls :func:`run_service` instead of writing its
own ``try / commit / except / rollback``, so each refusal reaches the user the
same way: a :class:`core.errors.ValidationError` next to the form field it
names, an :class:`core.errors.AccessDenied` or any other
:class:`core.errors.BottegaError` as a message, and a database constraint
(a unique value already used, a related record gone) as a plain sentence
instead of an error page. Whatever happened, nothing half-done is kept.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import flash
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from core.errors import AccessDenied, BottegaError, ValidationError

from .context import db

log = logging.getLogger("bottega.web")


@dataclass(frozen=True)
class Outcome:
    """What :func:`run_service` did: the action's result, or the error that stopped it (nothing saved)."""

    result: object = None
    error: BottegaError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """The HTTP status that fits: 200, 403 when access was denied, 422 for any other refusal."""
        if self.error is None:
            return 200
        return 403 if isinstance(self.error, AccessDenied) else 422


def _clash_message() -> str:
    return gettext("This clashes with another record (a value that must be unique is already used, or a related "
                   "record is missing). Nothing was saved.")


def run_service(action: Callable, *, form=None, success: str | None = None, session=None,
                flash_errors: bool = True, clash: str | None = None) -> Outcome:
    """Run ``action(session)`` and commit; on a refusal roll back and report it.

    :param action: called with the session; its return value becomes ``Outcome.result``
    :param form: a WTForms form to put the errors on (a field's own error next to it)
        instead of flashing them
    :param success: flashed when the action succeeded
    :param session: the session to act in; the request's session acting as the user by default
    :param flash_errors: when False, neither flash nor ``form`` gets the error: the caller
        shows ``Outcome.error`` itself (a JSON answer, a message inside the page)
    :param clash: what to say when a database constraint refuses the change
        (by default: it clashes with another record, nothing was saved)
    """
    session = db() if session is None else session
    try:
        result = action(session)
        session.commit()
    except BottegaError as error:
        session.rollback()
        return _refused(error, form, flash_errors)
    except IntegrityError as error:
        session.rollback()
        log.info("a constraint refused the change: %s", error.orig)
        return _refused(ValidationError(clash or _clash_message()), form, flash_errors)
    if success:
        flash(success, "success")
    return Outcome(result=result)


def _refused(error: BottegaError, form, flash_errors: bool) -> Outcome:
    if flash_errors and form is not None:
        _attach_error(form, error)
    elif flash_errors:
        flash(str(error), "error")
    return Outcome(error=error)


def _attach_error(form, error: BottegaError) -> None:
    """Put ``error`` on the fields it names, or on the whole form.

    A :class:`ValidationError` names one ``field``, or several in ``errors``
    (field -> message, or a list of such pairs).
    """
    errors = getattr(error, "errors", None) or ({error.field: str(error)} if getattr(error, "field", None) else {})
    for field, message in errors.items() if isinstance(errors, Mapping) else errors:
        if field in form:
            form[field].errors = [*form[field].errors, str(message)]
        else:
            form.form_errors.append(str(message))
    if not errors:
        form.form_errors.append(str(error))
