"""Sentences the system stores for people to read later, kept in English and translated for each reader.

A line written on a record's timeline ("Won.", "Lead created (import).") or a
reason logged for an administrator ("No mail alias takes mail for x@y.") is
read days later, by users of other languages than whoever's action wrote it.
So it is stored as its English message id and its values, and translated when
shown, like a group's label (:func:`core.security.N_`).

A :class:`Sentence` is written where ``lazy_gettext`` would be, with its
message marked ``N_`` for the catalogues. A value that is itself a
translatable word is a nested :class:`Sentence`; any other value is shown as
given (a user's own text is never looked up in the catalogues).
"""
from __future__ import annotations

from flask_babel import gettext

from core.security.declarations import N_

__all__ = ["N_", "Sentence", "kept", "message_of", "shown"]


class Sentence:
    """A message id with its named values; ``str()`` is the sentence in the current locale."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params):
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return gettext(self.msgid, **{name: str(value) for name, value in self.params.items()})

    def __eq__(self, other) -> bool:
        return isinstance(other, Sentence) and (self.msgid, self.params) == (other.msgid, other.params)

    def __repr__(self) -> str:
        return f"Sentence({self.msgid!r}, {self.params!r})"

    def stored(self) -> dict:
        """What a JSON column keeps: ``{"msgid": ..., "params": {...}}``, nested sentences alike."""
        return {"msgid": self.msgid,
                "params": {name: value.stored() if isinstance(value, Sentence) else value
                           for name, value in self.params.items()}}

    @classmethod
    def of(cls, stored: dict) -> Sentence:
        return cls(stored["msgid"], **{name: cls.of(value) if isinstance(value, dict) else value
                                       for name, value in (stored.get("params") or {}).items()})


def shown(stored) -> str:
    """A stored sentence (or a list of them, one per line) in the current locale; plain text as it is."""
    if stored is None:
        return ""
    if isinstance(stored, list):
        return "; ".join(shown(each) for each in stored)
    if isinstance(stored, dict):
        return str(Sentence.of(stored))
    return str(stored)


def message_of(error: BaseException):
    """An error's message as it was raised: a :class:`Sentence` stays one, so it can be kept untranslated."""
    said = error.args[0] if error.args else None
    return said if isinstance(said, Sentence) else str(error)


def kept(message) -> dict | str:
    """What a JSON column keeps of a message: a :class:`Sentence`'s parts, any other message as its text."""
    return message.stored() if isinstance(message, Sentence) else str(message)
