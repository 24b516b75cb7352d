"""Tax computation (exact Decimal, half-up rounding per currency, per line or global) and payment terms."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from addons.accounting.services.taxes import GLOBAL, LINE, compute_line, compute_totals, line_amount
from addons.accounting.services.terms import due_date, instalments, save_term
from core.errors import ValidationError


@dataclass(frozen=True)
class Rate:
    percent: D
    price_include: bool = False
    reverse_charge_account_id: int | None = None


IVA21, IVA10, IVA4, IRPF15 = Rate(D("21")), Rate(D("10")), Rate(D("4")), Rate(D("-15"))
IVA22, RITENUTA20 = Rate(D("22")), Rate(D("-20"))
INTRA21 = Rate(D("21"), reverse_charge_account_id=477)


def amounts(line):
    return [(item.base, item.amount) for item in line.taxes]


def test_spanish_iva_rates_with_irpf_withholding():
    line = compute_line(D("2"), D("500"), D("0"), [IVA21, IRPF15])
    assert line.base == D("1000.00")
    assert amounts(line) == [(D("1000.00"), D("210.00")), (D("1000.00"), D("-150.00"))]
    assert line.total == D("1060.00")
    for rate, tax in ((IVA10, D("10.00")), (IVA4, D("4.00"))):
        assert compute_line(D("1"), D("100"), D("0"), [rate]).total == D("100.00") + tax


def test_italian_iva_and_ritenuta_d_acconto():
    line = compute_line(D("1"), D("1000"), D("0"), [IVA22, RITENUTA20])
    assert amounts(line) == [(D("1000.00"), D("220.00")), (D("1000.00"), D("-200.00"))]
    assert line.total == D("1020.00")


def test_discount_applies_before_taxes():
    line = compute_line(D("3"), D("19.99"), D("15"), [IVA21])
    assert line_amount(D("3"), D("19.99"), D("15")) == D("50.9745")
    assert line.base == D("50.97")
    assert amounts(line) == [(D("50.97"), D("10.70"))]  # 10.7037 rounded
    assert line.total == D("61.67")


def test_price_included_tax_is_backed_out_and_the_price_kept():
    included = Rate(D("21"), price_include=True)
    line = compute_line(D("1"), D("100"), D("0"), [included])
    # 100 / 1.21 = 82.6446..., tax 17.3553... -> 17.36, base what is left of the price
    assert (line.base, line.taxes[0].amount, line.total) == (D("82.64"), D("17.36"), D("100.00"))
    assert line.base_exact.quantize(D("0.000001")) == D("82.644628")
    # three such lines: rounded per line the printed prices add up; globally the tax is rounded once
    lines = [compute_line(D("1"), D("10"), D("0"), [included], rounding=LINE) for _ in range(3)]
    assert compute_totals(lines).total == D("30.00")


def test_price_included_with_an_added_withholding():
    included = Rate(D("21"), price_include=True)
    line = compute_line(D("1"), D("121"), D("0"), [included, IRPF15])
    assert amounts(line) == [(D("100.00"), D("21.00")), (D("100.00"), D("-15.00"))]
    assert line.total == D("106.00")


def test_reverse_charge_has_an_amount_but_costs_nothing():
    line = compute_line(D("1"), D("1000"), D("0"), [INTRA21])
    assert amounts(line) == [(D("1000.00"), D("210.00"))]
    assert line.total == D("1000.00")
    totals = compute_totals([line])
    assert (totals.untaxed, totals.tax, totals.total) == (D("1000.00"), D("0.00"), D("1000.00"))
    assert [(t.base, t.amount, t.reverse_charge) for t in totals.taxes] == [(D("1000.00"), D("210.00"), True)]


def test_line_and_global_rounding_give_different_cents():
    # each line's tax is exactly 0.105: per line 0.11 x 3 = 0.33; globally 0.315 -> 0.32
    for rounding, tax in ((LINE, D("0.33")), (GLOBAL, D("0.32"))):
        lines = [compute_line(D("1"), D("0.50"), D("0"), [IVA21], rounding=rounding) for _ in range(3)]
        totals = compute_totals(lines, rounding=rounding)
        assert (totals.untaxed, totals.tax, totals.total) == (D("1.50"), tax, D("1.50") + tax)
        assert totals.taxes[0].base == D("1.50")


def test_withholding_rounds_half_away_from_zero():
    line = compute_line(D("1"), D("0.70"), D("0"), [IRPF15])
    assert line.taxes[0].amount == D("-0.11")  # -0.105


def test_the_0_0035_unit_price_with_10_percent_tax():
    """100 x 0.0035 is 0.35; 10% of it is exactly 0.035, half up 0.04 (as floats 0.034999..., so 0.03)."""
    assert round(0.35 * 0.1, 2) == 0.03  # what binary floats would have printed
    hundred = compute_line(D("100"), D("0.0035"), D("0"), [IVA10])
    assert (hundred.base, hundred.taxes[0].amount, hundred.total) == (D("0.35"), D("0.04"), D("0.39"))
    ten = compute_line(D("10"), D("0.0035"), D("0"), [IVA10])
    assert (ten.base, ten.taxes[0].amount, ten.total) == (D("0.04"), D("0.00"), D("0.04"))
    one = compute_line(D("1"), D("0.0035"), D("0"), [IVA10])
    assert (one.base_exact, one.base, one.taxes[0].amount_exact) == (D("0.0035"), D("0.00"), D("0.00035"))
    assert one.total == D("0.00")
    # globally, a thousand such single lines: 1000 x 0.00 printed bases, but the tax of 0.35 exact is kept
    lines = [compute_line(D("1"), D("0.0035"), D("0"), [IVA10], rounding=GLOBAL) for _ in range(1000)]
    assert compute_totals(lines, rounding=GLOBAL).tax == D("0.35")
    assert compute_totals(lines, rounding=GLOBAL).untaxed == D("0.00")


def test_currency_without_decimals():
    line = compute_line(D("3"), D("333.5"), D("0"), [IVA10], places=0)
    assert (line.base, line.taxes[0].amount, line.total) == (D("1001"), D("100"), D("1101"))


def test_negative_quantity_line_lowers_the_totals():
    lines = [compute_line(D("2"), D("100"), D("0"), [IVA21]), compute_line(D("-1"), D("30"), D("0"), [IVA21])]
    totals = compute_totals(lines)
    assert (totals.untaxed, totals.tax, totals.total) == (D("170.00"), D("35.70"), D("205.70"))


# --- payment terms --------------------------------------------------------------------------


@dataclass(frozen=True)
class TermLine:
    percent: D
    days: int
    end_of_month: bool = False


THIRDS = [TermLine(D("33.3333"), 30), TermLine(D("33.3333"), 60), TermLine(D("33.3334"), 90)]


def test_30_60_90_instalments_add_up_exactly():
    result = instalments(THIRDS, dt.date(2026, 1, 15), D("100.00"))
    assert [(i.date, i.amount) for i in result] == [
        (dt.date(2026, 2, 14), D("33.33")), (dt.date(2026, 3, 16), D("33.33")), (dt.date(2026, 4, 15), D("33.34"))]
    for total in (D("0.01"), D("0.02"), D("1000.01"), D("99999.99")):
        assert sum(i.amount for i in instalments(THIRDS, dt.date(2026, 1, 15), total)) == total


def test_end_of_month_and_no_term():
    assert due_date(dt.date(2026, 1, 31), 30, end_of_month=True) == dt.date(2026, 3, 31)
    assert due_date(dt.date(2026, 1, 15), 30, end_of_month=True) == dt.date(2026, 2, 28)
    assert due_date(dt.date(2028, 1, 30), 30, end_of_month=True) == dt.date(2028, 2, 29)
    assert [(i.date, i.amount) for i in instalments(None, dt.date(2026, 5, 2), D("10"))] == [
        (dt.date(2026, 5, 2), D("10"))]


def test_bad_term_lines_are_refused():
    with pytest.raises(ValidationError, match="more than 100"):
        instalments([TermLine(D("80"), 0), TermLine(D("30"), 30), TermLine(D("0"), 60)], dt.date(2026, 1, 1), D(1))
    with pytest.raises(ValidationError):
        instalments([TermLine(D("100"), -1)], dt.date(2026, 1, 1), D(1))


def test_chart_taxes_compute_like_the_plain_rates(books):
    line = compute_line(D("1"), D("1000"), D("0"), [books.tax("S_IVA21"), books.tax("S_IRPF15")])
    assert line.total == D("1060.00")
    italian = books.italian()
    line = compute_line(D("1"), D("1000"), D("0"), [italian.tax("S_IVA22"), italian.tax("S_RA20")])
    assert line.total == D("1020.00")
    reverse = compute_line(D("1"), D("1000"), D("0"), [books.tax("P_IVA21_IC")])
    assert (reverse.taxes[0].amount, reverse.total) == (D("210.00"), D("1000.00"))


def test_global_rounding_keeps_prices_including_tax_exact():
    included = Rate(D("21"), price_include=True)
    lines = [compute_line(D("1"), D("1.00"), D("0"), [included], 2, GLOBAL) for _ in range(3)]
    totals = compute_totals(lines, 2, GLOBAL)
    assert (totals.untaxed, totals.tax, totals.total) == (D("2.48"), D("0.52"), D("3.00"))
    assert [(item.base, item.amount) for item in totals.taxes] == [(D("2.48"), D("0.52"))]
    line = compute_line(D("1"), D("100.00"), D("0"), [included, Rate(D("5.2"), price_include=True)], 2, GLOBAL)
    totals = compute_totals([line], 2, GLOBAL)
    assert (totals.untaxed, totals.tax, totals.total) == (D("79.24"), D("20.76"), D("100.00"))
    mixed = [compute_line(D("1"), D("1.00"), D("0"), [included], 2, GLOBAL),
             compute_line(D("1"), D("0.50"), D("0"), [IVA21], 2, GLOBAL)]
    totals = compute_totals(mixed, 2, GLOBAL)
    assert (totals.untaxed, totals.tax, totals.total) == (D("1.33"), D("0.28"), D("1.61"))


def test_saving_a_term_checks_its_instalments_whatever_the_caller(books):
    session = books.session
    with pytest.raises(ValidationError):
        save_term(session, books.company.id, None, name="Before the invoice", lines=[{"percent": D("100"), "days": -1}])
    term = save_term(session, books.company.id, None, name="Half now, half in 60 days",
                     lines=[{"percent": D("50")}, {"percent": D("50"), "days": 60, "end_of_month": True}])
    assert [(line.sequence, line.percent, line.days, line.end_of_month) for line in term.lines] == [
        (10, D("50"), 0, False), (20, D("50"), 60, True)]
