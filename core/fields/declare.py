"""The per-field annotation: what a column cannot say about itself."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FIELD_KEY = "field"
FORMATS = ("email", "phone", "country", "url", "iban", "taxid", "language", "code", "currency")


@dataclass(frozen=True)
class FieldSpec:
    """What a column's annotation may say; every part is optional.

    - ``label``, ``help``: translatable strings (``lazy_gettext``);
    - ``choices``: ``(value, label)`` pairs; any other value is refused;
    - ``format``: one of :data:`FORMATS`, checked and normalised when cleaning;
    - ``readonly``: True, or ``readonly(record) -> bool`` (e.g. once posted);
    - ``domain``: for a relation, ``domain(actor) -> condition`` on the
      target model that the chosen record must meet, and ``domain_message``
      the refusal;
    - ``display``: the attribute of a related record shown for it;
    - ``minimum`` / ``maximum``: bounds of a number, tighter than its column;
    - ``required``: overrides what nullability says (e.g. a nullable column
      a form must fill);
    - ``widget``: a hint for forms ("textarea", "radio", "color", ...);
    - ``listed``: shown in list pages by default;
    - ``internal``: never shown nor accepted from a form, an import or a service.
    """

    label: Any = None
    help: Any = None
    choices: tuple | None = None
    format: str | None = None
    readonly: bool | Callable = False
    domain: Callable | None = None
    domain_message: Any = None
    display: str | None = None
    minimum: Any = None
    maximum: Any = None
    required: bool | None = None
    widget: str | None = None
    listed: bool = False
    internal: bool = False

    def __post_init__(self):
        if self.format is not None and self.format not in FORMATS:
            raise ValueError(f"unknown field format {self.format!r}; known: {', '.join(FORMATS)}")


def field(label=None, **parts) -> dict:
    """The ``info`` of a ``mapped_column`` or ``relationship``: ``info=field(_l("Name"), help=...)``."""
    if "choices" in parts and parts["choices"] is not None:
        parts["choices"] = tuple(parts["choices"])
    return {FIELD_KEY: FieldSpec(label, **parts)}


def spec_of(info: dict) -> FieldSpec:
    return info.get(FIELD_KEY) or FieldSpec()
