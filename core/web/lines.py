"""A form with a table of lines (invoice lines, payment-term instalments) under its header fields.

Rows left blank are dropped before validation, so a line's position is the
index a service names in its errors (``lines-2-unit_price``), and such an
error lands on that field of that row.
"""
from __future__ import annotations

import re

from wtforms import FieldList, FormField

MAX_LINES = 200
LINE_FIELD = re.compile(r"lines-(\d+)-(\w+)")


def with_lines(base, line_form, max_lines: int = MAX_LINES):
    """``base`` plus ``lines``, a list of ``line_form`` (whose ``is_blank()`` tells an unused row)."""

    class WithLines(base):
        lines = FieldList(FormField(line_form), min_entries=1, max_entries=max_lines)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if not self.is_submitted() and not self.lines.entries[-1].form.is_blank() and \
                    len(self.lines) < max_lines:
                self.lines.append_entry()  # room for one more line after the record's own; JS adds others

        def validate(self, extra_validators=None):
            kept = [entry for entry in self.lines.entries if not entry.form.is_blank()]
            self.lines.entries = kept or self.lines.entries[:1]
            return super().validate(extra_validators)

        def __contains__(self, name):
            return _line_field(self, name) is not None or super().__contains__(name)

        def __getitem__(self, name):
            return _line_field(self, name) or super().__getitem__(name)

    return WithLines


def _line_field(form, name):
    found = LINE_FIELD.fullmatch(name or "")
    if found is None or int(found.group(1)) >= len(form.lines.entries):
        return None
    return form.lines.entries[int(found.group(1))].form._fields.get(found.group(2))


def filled(field) -> bool:
    """Whether the user typed something in ``field`` (or, before a submit, it holds a value)."""
    if field.raw_data is not None:
        return any(str(value).strip() for value in field.raw_data)
    return field.data not in (None, "")


def given(lines: list[dict] | None) -> list[dict] | None:
    """Each line's values the user filled in: one left empty (None, "" or no choice) takes the service's
    default."""
    if lines is None:
        return None
    return [{key: value for key, value in line.items() if value not in (None, "", [])} for line in lines]


def optional_int(value):
    """A select's value as an id: None when nothing is chosen (for ``SelectField(coerce=...)`` in line forms)."""
    if value in (None, ""):
        return None
    return value if isinstance(value, int) else int(value)
