"""Small helpers the XML e-invoices share: building elements in order, and amounts as text."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from ..services.currency import round_amount


def child(parent, tag: str, text=None, **attributes):
    """Append ``tag`` (a Clark name or plain) to ``parent`` with ``text`` when given; return it."""
    element = etree.SubElement(parent, tag, {key: str(value) for key, value in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def amount(value: Decimal, places: int = 2) -> str:
    return f"{round_amount(value, places):f}"


def plain(value: Decimal, max_places: int | None = None) -> str:
    """A decimal without exponent or trailing zeros beyond what it needs (at least 2 decimals,
    at most ``max_places``, rounded half up)."""
    if max_places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    value = Decimal(value).normalize()
    return f"{value:f}" if -value.as_tuple().exponent >= 2 else f"{value.quantize(Decimal('0.01')):f}"


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
