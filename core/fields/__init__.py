"""The field layer: each field of a model is declared once, and everything reads it.

A model's columns already say most of what a field is (type, length,
nullability, default, foreign key); a small annotation next to the column adds
the rest (label, help, choices, format, read-only rule, domain, widget)::

    email: Mapped[str | None] = mapped_column(info=field(_l("Email"), format="email"))

:func:`fields_of` merges both into :class:`Field` objects; forms, service
cleaning (:func:`clean`), lists, record pages, import and export read them.
An addon adds fields to another addon's model with an :class:`Extension`.
"""
from .cleaning import clean, clean_one, related_remembered
from .declare import FieldSpec, field
from .extensions import Extension, extension_values, extensions_of, save_extension_values, split_values
from .resolve import Field, field_of, fields_of, name_column

__all__ = ["Extension", "Field", "FieldSpec", "clean", "clean_one", "extension_values", "extensions_of", "field",
           "field_of", "fields_of", "name_column", "save_extension_values", "split_values"]
