"""Live totals of a document form (an invoice, a quotation): the form as it stands, computed by the service that
saving calls, and nothing written.

A view that offers previews implements ``ModelView.preview(session, actor, record, values)``: it asks its
service to build the document in memory exactly as saving would (its lines filled with the product's
defaults, priced, taxed and rounded) and returns a :class:`DocumentPreview`. :func:`preview_view` parses the
posted form (its CSRF token checked, as every post's) with the page's own form class, so a bad value gets
the message saving would give, next to the same field; it answers JSON with each line's amounts and filled
values, the taxes and the totals, as plain decimals and formatted for the user's locale. Whatever the service
touched is rolled back (a variant made for a line, a cached value): a preview never writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import jsonify
from flask_babel import gettext

from core.errors import AccessDenied, BottegaError
from core.fields import split_values

from .context import current_actor, current_registry, db, record_or_404, require
from .forms import form_values
from .i18n import money


@dataclass(frozen=True)
class PreviewLine:
    """One line as saving would store it: its amounts and the values the service filled in (``values``: field
    name -> what the line's input should hold, ids as ints, lists for several)."""

    subtotal: Decimal
    total: Decimal
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PreviewTax:
    name: str
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class DocumentPreview:
    """A document's lines (in the order of the form's non-blank rows), taxes and totals, in ``currency``."""

    currency: str
    lines: list[PreviewLine]
    taxes: list[PreviewTax]
    untaxed: Decimal
    tax: Decimal
    total: Decimal


def document_preview(currency: str, lines, taxes, *, untaxed: Decimal, tax: Decimal, total: Decimal,
                     filled: tuple[str, ...]) -> DocumentPreview:
    """The preview of what a service computed: its ``lines`` (with ``subtotal``, and ``total`` and ``taxes`` when
    taxed, and the ``filled`` attributes the form's inputs show) and ``taxes`` (each with ``tax``, ``base`` and
    ``amount``)."""
    return DocumentPreview(
        currency=currency,
        lines=[PreviewLine(line.subtotal, getattr(line, "total", line.subtotal), _filled(line, filled))
               for line in lines],
        taxes=[PreviewTax(item.tax.name, item.base, item.amount) for item in taxes],
        untaxed=untaxed, tax=tax, total=total)


def _filled(line, names: tuple[str, ...]) -> dict:
    """The ``names`` a line's inputs show, and its taxes' ids when the document's lines are taxed."""
    values = {name: getattr(line, name) for name in names}
    if hasattr(line, "taxes"):
        values["tax_ids"] = [item.id for item in line.taxes]
    return values


def plain(value: Decimal) -> str:
    """A Decimal as the plain digits an input takes (``100``, ``0.0035``), never an exponent."""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount(value: Decimal, currency: str) -> dict:
    return {"value": str(value), "display": money(value, currency)}


def _line_json(prefix: str, line: PreviewLine, currency: str) -> dict:
    values = {name: (plain(value) if isinstance(value, Decimal) else value) for name, value in line.values.items()}
    return {"row": prefix, "subtotal": _amount(line.subtotal, currency), "total": _amount(line.total, currency),
            "values": values}


def preview_json(preview: DocumentPreview, prefixes: list[str]) -> dict:
    """The preview as JSON; ``prefixes`` are the input-name prefixes (``lines-3``) of the rows the lines come from."""
    currency = preview.currency
    return {
        "currency": currency,
        "lines": [_line_json(prefix, line, currency) for prefix, line in zip(prefixes, preview.lines, strict=True)],
        "taxes": [{"name": tax.name, "base": _amount(tax.base, currency), "amount": _amount(tax.amount, currency)}
                  for tax in preview.taxes],
        "untaxed": _amount(preview.untaxed, currency), "tax": _amount(preview.tax, currency),
        "total": _amount(preview.total, currency),
    }


def _form_errors(form) -> list[dict]:
    """Each field's first error (the reason; a range check after "not a number" adds nothing) as {field: input
    name, message}, the lines' fields by their own inputs' names."""
    fields = [sub for item in form for sub in ([sub for entry in item.entries for sub in entry.form]
                                               if item.name == "lines" else [item])]
    found = [{"field": item.name, "message": str(item.errors[0])} for item in fields if item.errors]
    return found + [{"field": None, "message": str(message)} for message in form.form_errors]


def _service_error(form, error: BottegaError) -> list[dict]:
    """The service's refusal, its field named as the page's input (``lines-2-unit_price`` is the third kept row)."""
    name = getattr(error, "field", None)
    if name and name in form:
        name = form[name].name
    return [{"field": name, "message": str(error)}]


def preview_view(view, record_id: int | None = None):
    """POST: the view's document as the posted form would save it, as JSON (422 with the errors, each naming
    its input, when a value is refused)."""
    session, actor = db(), current_actor()
    record = None
    if record_id is None:
        require(view.model, "create")
    else:
        require(view.model, "write")
        record = record_or_404(view.model, record_id)
        if not view.editable(record):
            raise AccessDenied(gettext("%(record)s can no longer be changed.", record=view.title(record)))
    form = view.form_class(session, record)()
    try:
        if not form.validate_on_submit():
            return jsonify(errors=_form_errors(form)), 422
        own, _extension_values = split_values(current_registry(), view.model, form_values(form))
        prefixes = [entry.name for entry in form.lines.entries]
        try:
            with session.no_autoflush:
                preview = view.preview(session, actor, record, own)
        except BottegaError as error:
            return jsonify(errors=_service_error(form, error)), 403 if isinstance(error, AccessDenied) else 422
        return jsonify(preview_json(preview, prefixes))
    finally:
        session.rollback()
