"""Tax computation over exact Decimals: one invoice line, then an invoice's totals per tax.

A line's amount before taxes is ``quantity × unit price × (1 − discount %)``,
kept exact (no rounding) until the end. Price-included taxes are backed out
of it (``base = amount / (1 + Σ included %)``, the one division, done at 34
significant digits). Every tax is a percentage of the base; a negative one is
a withholding (IRPF, ritenuta d'acconto) and lowers the total; a
reverse-charge tax has an amount (booked twice, opposite, when posting) but
adds nothing to the total.

Rounding is half up to the currency's decimals, at one of two moments (the
company's ``Settings.tax_rounding``):

- ``line``: each line's base and each of its taxes are rounded, and the
  invoice sums the rounded figures; a price-included line keeps its printed
  price exactly (base = rounded price − rounded included taxes);
- ``global``: each line's base is rounded (it is printed), but each tax is
  summed unrounded over the lines and rounded once per invoice. Prices
  including taxes stay exact here too: the untaxed amount of those lines is
  the sum of their rounded prices less the included taxes rounded once (three
  lines at 1.00 with 21% included total 3.00: 2.48 + 0.52), so it may differ
  from the sum of the printed line bases by a cent or so.

Example, the "0.0035 unit price with 10% tax": 100 units cost exactly
0.35; the tax is exactly 0.035, which rounds half up to 0.04, so the total
is 0.39 (in binary floats 0.35 × 0.1 is 0.034999…, which would print 0.03).
One unit costs 0.0035, which rounds to 0.00: its tax is 0.00 and so is the
total, and posting such an invoice is refused as there is nothing to book.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Protocol

from .currency import round_amount

ZERO = Decimal(0)
HUNDRED = Decimal(100)
LINE, GLOBAL = "line", "global"
_DIVISION = Context(prec=34)


class TaxRate(Protocol):
    """What the computation needs of a tax (an ``accounting.Tax`` row has it)."""

    percent: Decimal
    price_include: bool
    reverse_charge_account_id: int | None


@dataclass(frozen=True)
class LineTax:
    """One tax of one line: the exact figures, and the rounded ones as the line shows them."""

    tax: TaxRate
    base_exact: Decimal
    amount_exact: Decimal
    base: Decimal
    amount: Decimal

    @property
    def reverse_charge(self) -> bool:
        return is_reverse_charge(self.tax)


@dataclass(frozen=True)
class LineAmounts:
    """A computed line: ``base`` (before taxes, rounded) and ``total`` (what the customer pays for it);
    ``price`` is the rounded amount including taxes when some are included in the price."""

    base_exact: Decimal
    base: Decimal
    total: Decimal
    taxes: tuple[LineTax, ...] = ()
    price: Decimal | None = None


@dataclass(frozen=True)
class TaxTotal:
    """One tax over an invoice: its base and amount, rounded, in the invoice currency."""

    tax: TaxRate
    base: Decimal
    amount: Decimal

    @property
    def reverse_charge(self) -> bool:
        return is_reverse_charge(self.tax)


@dataclass(frozen=True)
class Totals:
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    taxes: tuple[TaxTotal, ...] = field(default=())


def is_reverse_charge(tax: TaxRate) -> bool:
    return getattr(tax, "reverse_charge_account_id", None) is not None


def line_amount(quantity: Decimal, unit_price: Decimal, discount: Decimal = ZERO) -> Decimal:
    """``quantity × unit_price × (1 − discount/100)``, exact (Decimal multiplication never rounds here)."""
    return Decimal(quantity) * Decimal(unit_price) * (HUNDRED - Decimal(discount)) / HUNDRED


def compute_line(quantity: Decimal, unit_price: Decimal, discount: Decimal, taxes: Sequence[TaxRate],
                 places: int = 2, rounding: str = LINE) -> LineAmounts:
    """Base, taxes and total of one line, rounded to ``places`` decimals as ``rounding`` says."""
    amount = line_amount(quantity, unit_price, discount)
    included = [tax for tax in taxes if tax.price_include]
    included_rate = sum((Decimal(tax.percent) for tax in included), ZERO) / HUNDRED
    base_exact = _DIVISION.divide(amount, 1 + included_rate) if included else amount
    amounts = {id(tax): base_exact * Decimal(tax.percent) / HUNDRED for tax in taxes}
    if rounding == LINE and included:
        # the printed price stays exact: included taxes are rounded, and the base is what is left of the price
        price = round_amount(amount, places)
        rounded = {id(tax): round_amount(amounts[id(tax)], places) for tax in included}
        base = price - sum(rounded.values(), ZERO)
        rounded.update({id(tax): round_amount(base * Decimal(tax.percent) / HUNDRED, places)
                        for tax in taxes if not tax.price_include})
    elif rounding == LINE:
        base = round_amount(base_exact, places)
        rounded = {id(tax): round_amount(base * Decimal(tax.percent) / HUNDRED, places) for tax in taxes}
    else:
        base = round_amount(base_exact, places)
        rounded = {id(tax): round_amount(amounts[id(tax)], places) for tax in taxes}
    line_taxes = tuple(LineTax(tax, base_exact, amounts[id(tax)], base, rounded[id(tax)]) for tax in taxes)
    total = base + sum((item.amount for item in line_taxes if not item.reverse_charge), ZERO)
    price = round_amount(amount, places) if included else None
    return LineAmounts(base_exact=base_exact, base=base, total=total, taxes=line_taxes, price=price)


def compute_totals(lines: Iterable[LineAmounts], places: int = 2, rounding: str = LINE) -> Totals:
    """The invoice's untaxed amount, tax per tax (in first-seen order) and total.

    The untaxed amount is the sum of the lines' rounded bases (what the
    lines print). A tax's base is the sum of the rounded bases of its lines;
    its amount the sum of the lines' rounded amounts (``line``) or their
    exact amounts rounded once (``global``; a price-included tax's base is
    then its exact base rounded once, and the untaxed amount of price-included
    lines their prices less those taxes). Reverse-charge taxes are listed but
    add nothing to the total.
    """
    untaxed = ZERO
    per_tax: dict[int, list] = {}
    for line in lines:
        untaxed += line.price if rounding == GLOBAL and line.price is not None else line.base
        for item in line.taxes:
            entry = per_tax.setdefault(id(item.tax), [item.tax, ZERO, ZERO, ZERO, ZERO])
            entry[1] += item.base
            entry[2] += item.amount
            entry[3] += item.amount_exact
            entry[4] += item.base_exact
    if rounding == LINE:
        taxes = tuple(TaxTotal(tax, base, rounded) for tax, base, rounded, _exact, _base_exact in per_tax.values())
    else:
        taxes = tuple(TaxTotal(tax, round_amount(base_exact, places) if tax.price_include else base,
                               round_amount(exact, places))
                      for tax, base, _rounded, exact, base_exact in per_tax.values())
        untaxed -= sum((item.amount for item in taxes if item.tax.price_include), ZERO)
    tax_amount = sum((item.amount for item in taxes if not item.reverse_charge), ZERO)
    return Totals(untaxed=untaxed, tax=tax_amount, total=untaxed + tax_amount, taxes=taxes)
