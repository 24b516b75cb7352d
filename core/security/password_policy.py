"""The password policy, checked offline wherever a password is set.

A password needs :data:`MIN_LENGTH` characters and must not be easy to guess.
`zxcvbn <https://pypi.org/project/zxcvbn/>`_ (Dropbox's estimator) counts the
guesses an attacker would need, knowing the most common passwords of public
breaches, dictionaries, names, keyboard patterns, dates, and the account's
own login, name and email; below :data:`MIN_SCORE` the password is refused
with the reason.
"""
from __future__ import annotations

from collections.abc import Iterable

from core.errors import ValidationError

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn's "safely unguessable": about 10^8 guesses or more
SCORED_LENGTH = 72  # zxcvbn's own limit; what follows only makes a password longer
COMMON_LISTS = {"passwords"}  # zxcvbn's list of the most used passwords, from public breaches


def password_problem(password: str, user_inputs: Iterable[str | None] = ()) -> str | None:
    """What is wrong with ``password`` (a sentence for the user), or None when it may be used."""
    from flask_babel import gettext

    if len(password) < MIN_LENGTH:
        return gettext("The password is too short: use at least %(count)s characters.", count=MIN_LENGTH)
    from zxcvbn import zxcvbn

    inputs = [part for text in user_inputs if text for part in _words(text)]
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=inputs, max_length=SCORED_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    matches = [m for m in result["sequence"] if m["pattern"] != "bruteforce"]
    if any(m.get("dictionary_name") == "user_inputs" for m in matches):
        return gettext("The password contains your login, name or email address: choose another.")
    if len(matches) == 1 and matches[0].get("dictionary_name") in COMMON_LISTS and len(matches[0]["token"]) >= len(
            password) - 1:
        return gettext("This is one of the most common passwords (it is in public lists of breached passwords): "
                       "choose another.")
    patterns = _pattern_names()
    reasons = list(dict.fromkeys(patterns[m["pattern"]] for m in matches if m["pattern"] in patterns))
    return gettext("The password is too easy to guess (%(reasons)s): make it longer, for example with a few "
                   "unrelated words.", reasons=", ".join(reasons) or gettext("too few different characters"))


def _pattern_names() -> dict[str, str]:
    from flask_babel import gettext

    return {"dictionary": gettext("common words or names"), "spatial": gettext("keyboard patterns"),
            "repeat": gettext("repeated characters"), "sequence": gettext("sequences such as abc or 123"),
            "date": gettext("dates"), "regex": gettext("years")}


def _words(text: str) -> list[str]:
    """The login, name or email and its parts (``ana.lopez@example.com`` also gives ``ana`` and ``lopez``)."""
    parts = text.lower().replace("@", " ").replace(".", " ").replace("-", " ").replace("_", " ").split()
    return [text.lower(), *parts]


def check_password_policy(password: str, user_inputs: Iterable[str | None] = (), field: str = "password") -> None:
    """Raise :class:`~core.errors.ValidationError` on ``field`` when :func:`password_problem` finds one."""
    problem = password_problem(password, user_inputs)
    if problem:
        raise ValidationError(problem, field)
