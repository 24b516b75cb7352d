"""The sales dashboard's figures, each one aggregate SELECT (GROUP BY) through the user's session.

Record rules apply as everywhere: a salesperson counts the orders they may
read (their own and their teams'), a sales manager every order of the
company. Only the current company is counted.

- Revenue and margin come from confirmed sales orders whose confirmation falls
  in the period: the untaxed amount and the margin of the order (by product:
  of its product lines, optional lines left out), in the company's currency.
  An order in another currency is converted at the rate of its quotation date,
  as the credit check does (:mod:`.currency`); one without a rate for that date
  is left out and counted apart, so the page can say so.
- Conversion: of the quotations dated in the period that reached an end
  (confirmed, declined, cancelled or expired), the share confirmed. Quotations
  still open and revised ones (their new revision carries on) do not count.
- Cycle time: the calendar days from the quotation's date to its confirmation.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import Numeric, case, func, literal, select
from sqlalchemy.orm import Session

from addons.accounting.models import CurrencyRate
from addons.accounting.services.currency import company_currency, sql_money
from addons.contacts.models import Partner
from addons.products.models import Product
from core.errors import ValidationError
from core.models import User
from core.sql_dates import calendar_days_between, month_of

from ..models import CANCELLED, CONFIRMED, DECLINED, EXPIRED, PRODUCT, SaleOrder, SaleOrderLine, SalesTeam

#: how a quotation ends: with an order, or without one
ENDS = (CONFIRMED, DECLINED, CANCELLED, EXPIRED)
#: how many products and customers the rankings show
TOP = 10
TENTH = Decimal("0.1")
#: the labels of a group's sums (:func:`_sums`) in a subquery
_FIGURES = ("revenue", "margin", "orders")


@dataclass(frozen=True)
class Period:
    """What the dashboard counts: a company's orders from ``date_from`` to ``date_to`` (both included), of one
    sales team or of all."""

    company_id: int
    date_from: dt.date
    date_to: dt.date
    team_id: int | None = None


@dataclass(frozen=True)
class Figures:
    """Revenue and margin of one group of orders (a month, a salesperson, a product, a customer)."""

    label: str
    revenue: Decimal
    margin: Decimal
    orders: int


@dataclass(frozen=True)
class Conversion:
    """Quotations of the period that reached an end, by how they ended."""

    confirmed: int
    declined: int
    cancelled: int
    expired: int

    @property
    def ended(self) -> int:
        return self.confirmed + self.declined + self.cancelled + self.expired

    @property
    def rate(self) -> Decimal | None:
        """The share confirmed, in percent (None when none ended)."""
        return (Decimal(self.confirmed) * 100 / self.ended).quantize(TENTH) if self.ended else None


@dataclass(frozen=True)
class CycleTime:
    """Days from quotation to confirmation over the confirmed orders."""

    average: Decimal | None
    median: Decimal | None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    currency: str
    total: Figures
    unconverted: int
    by_month: list[Figures]
    by_salesperson: list[Figures]
    by_product: list[Figures]
    top_customers: list[Figures]
    conversion: Conversion
    cycle: CycleTime

    @property
    def deal_size(self) -> Decimal | None:
        """The average untaxed amount of a confirmed order."""
        if not self.total.orders:
            return None
        return (self.total.revenue / self.total.orders).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The default period: from the first day of the month eleven months back to ``today``."""
    month = today.year * 12 + today.month - 1 - 11
    return dt.date(month // 12, month % 12 + 1, 1), today


def period(session: Session, company_id: int, *, date_from: dt.date, date_to: dt.date,
           team_id: int | None = None) -> Period:
    """The period asked, checked: its start not after its end, its team one of the company's the user may read."""
    if date_from > date_to:
        raise ValidationError(gettext("The period starts (%(start)s) after it ends (%(end)s).",
                                      start=date_from.isoformat(), end=date_to.isoformat()), "date_from")
    if team_id is not None and session.scalar(select(SalesTeam.id).where(
            SalesTeam.id == team_id, SalesTeam.company_id == company_id)) is None:
        raise ValidationError(gettext("There is no sales team %(id)s in this company.", id=team_id), "team_id")
    return Period(company_id, date_from, date_to, team_id)


def rate_to_company(currency: str):
    """What one unit of the order's currency is worth in the company's (``currency``), at its quotation date
    (NULL when no rate is recorded), as a column expression over :class:`SaleOrder`."""
    latest = (select(CurrencyRate.rate)
              .where(CurrencyRate.company_id == SaleOrder.company_id,
                     CurrencyRate.currency_code == SaleOrder.currency_code,
                     CurrencyRate.date <= SaleOrder.date_order)
              .order_by(CurrencyRate.date.desc()).limit(1).correlate(SaleOrder).scalar_subquery())
    return case((SaleOrder.currency_code == currency, literal(Decimal(1), Numeric(18, 8))), else_=latest)


def confirmed_in(found: Period) -> list:
    """The conditions of the confirmed orders counted for ``found``."""
    conditions = [SaleOrder.company_id == found.company_id, SaleOrder.state == CONFIRMED,
                  SaleOrder.confirmed_at >= dt.datetime.combine(found.date_from, dt.time()),
                  SaleOrder.confirmed_at < dt.datetime.combine(found.date_to + dt.timedelta(days=1), dt.time())]
    if found.team_id is not None:
        conditions.append(SaleOrder.team_id == found.team_id)
    return conditions


def _figures(label: str, revenue, margin, orders) -> Figures:
    return Figures(label, sql_money(revenue), sql_money(margin), orders or 0)


def _sums(rate, amount=SaleOrder.amount_untaxed, margin=SaleOrder.margin, orders=func.count(SaleOrder.id)):
    """Revenue, margin and orders of a group; over order lines, give ``orders`` as a count of distinct orders."""
    return func.sum(amount * rate), func.sum(margin * rate), orders


@dataclass(frozen=True)
class Breakdown:
    """The period's revenue and margin: in all, by month and by salesperson."""

    total: Figures
    unconverted: int
    by_month: list[Figures]
    by_salesperson: list[Figures]


def _decimal(value) -> Decimal:
    return Decimal(str(value or 0))


def breakdown(session: Session, found: Period, currency: str) -> Breakdown:
    """The figures of the period's orders in all, by month (every month, those without an order included,
    oldest first) and by salesperson (the largest revenue first), and how many orders had no rate to convert
    them: one GROUP BY by month and salesperson, its few rows added up here."""
    rate = rate_to_company(currency)
    month = month_of(session, SaleOrder.confirmed_at)
    rows = session.execute(
        select(month, SaleOrder.user_id, *_sums(rate, orders=func.count(rate)), func.count(SaleOrder.id))
        .where(*confirmed_in(found)).group_by(month, SaleOrder.user_id)).all()
    zero = (Decimal(0), Decimal(0), 0)
    total, months, people, unconverted = list(zero), {}, {}, 0
    for key, user_id, revenue, margin, converted, orders in rows:
        unconverted += orders - converted
        if not converted:
            continue
        for sums in (total, months.setdefault(key, list(zero)), people.setdefault(user_id, list(zero))):
            sums[0] += _decimal(revenue)
            sums[1] += _decimal(margin)
            sums[2] += converted
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(
        [user_id for user_id in people if user_id is not None]))).all())
    ranked = sorted(people.items(), key=lambda item: (-item[1][0], names.get(item[0]) is None,
                                                      names.get(item[0]) or ""))
    return Breakdown(total=_figures("", *total), unconverted=unconverted,
                     by_month=[_figures(key, *months.get(key, zero)) for key in _months(found)],
                     by_salesperson=[_figures(names.get(user_id) or gettext("No salesperson"), *sums)
                                     for user_id, sums in ranked])


def _months(found: Period) -> list[str]:
    """The ``YYYY-MM`` of every month of the period, oldest first."""
    result = []
    year, number = found.date_from.year, found.date_from.month
    while (year, number) <= (found.date_to.year, found.date_to.month):
        result.append(f"{year:04d}-{number:02d}")
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return result


def by_product(session: Session, found: Period, currency: str, *, limit: int = TOP) -> list[Figures]:
    """The ``limit`` products with the largest revenue (their product lines; free-text lines together)."""
    rate = rate_to_company(currency)
    sums = _sums(rate, SaleOrderLine.subtotal, SaleOrderLine.margin, func.count(func.distinct(SaleOrder.id)))
    groups = (select(SaleOrderLine.product_id, *(value.label(key) for key, value in zip(_FIGURES, sums)))
              .select_from(SaleOrderLine).join(SaleOrder, SaleOrder.id == SaleOrderLine.order_id)
              .where(*confirmed_in(found), rate.is_not(None), SaleOrderLine.kind == PRODUCT,
                     SaleOrderLine.optional.is_(False))
              .group_by(SaleOrderLine.product_id).subquery("groups"))
    statement = (select(Product.name, *(groups.c[key] for key in _FIGURES)).select_from(groups)
                 .outerjoin(Product, Product.id == groups.c.product_id)
                 .order_by(groups.c.revenue.desc(), Product.name).limit(limit))
    return [_figures(name or gettext("Lines without a product"), *row) for name, *row in session.execute(statement)]


def top_customers(session: Session, found: Period, currency: str, *, limit: int = TOP) -> list[Figures]:
    """The ``limit`` customers with the largest revenue."""
    rate = rate_to_company(currency)
    sums = _sums(rate)
    rank = func.rank().over(order_by=sums[0].desc()).label("rank")  # ties at the limit are all kept
    groups = (select(SaleOrder.partner_id, *(value.label(key) for key, value in zip(_FIGURES, sums)), rank)
              .where(*confirmed_in(found), rate.is_not(None)).group_by(SaleOrder.partner_id).subquery("groups"))
    statement = (select(Partner.name, *(groups.c[key] for key in _FIGURES)).select_from(groups)
                 .join(Partner, Partner.id == groups.c.partner_id).where(groups.c.rank <= limit)
                 .order_by(groups.c.revenue.desc(), Partner.name).limit(limit))
    return [_figures(name, *row) for name, *row in session.execute(statement)]


def conversion(session: Session, found: Period) -> Conversion:
    """How the quotations dated in the period ended."""
    conditions = [SaleOrder.company_id == found.company_id, SaleOrder.state.in_(ENDS),
                  SaleOrder.date_order >= found.date_from, SaleOrder.date_order <= found.date_to]
    if found.team_id is not None:
        conditions.append(SaleOrder.team_id == found.team_id)
    counts = dict(session.execute(select(SaleOrder.state, func.count(SaleOrder.id)).where(*conditions)
                                  .group_by(SaleOrder.state)).all())
    return Conversion(*(counts.get(state, 0) for state in ENDS))


def cycle_time(session: Session, found: Period) -> CycleTime:
    """The average and the median days from quotation to confirmation, from how many orders took each number of
    days (one GROUP BY: a few dozen rows, however many orders)."""
    days = calendar_days_between(session, SaleOrder.confirmed_at, SaleOrder.date_order)
    counts = session.execute(select(days, func.count(SaleOrder.id)).where(*confirmed_in(found))
                             .group_by(days).order_by(days)).all()
    total = sum(count for _days, count in counts)
    if not total:
        return CycleTime(None, None)
    average = _decimal(sum(value * count for value, count in counts) / total)
    middle, seen = [], 0
    for value, count in counts:
        middle += [value for rank in {(total - 1) // 2, total // 2} if seen <= rank < seen + count]
        seen += count
    median = sum(_decimal(value) for value in middle) / len(middle)
    return CycleTime(average.quantize(TENTH, rounding=ROUND_HALF_UP), median.quantize(TENTH, rounding=ROUND_HALF_UP))


def dashboard(session: Session, found: Period) -> Dashboard:
    """Every figure of the dashboard for ``found`` (see :func:`period`)."""
    currency = company_currency(session, found.company_id)
    overall = breakdown(session, found, currency)
    return Dashboard(period=found, currency=currency, total=overall.total, unconverted=overall.unconverted,
                     by_month=overall.by_month, by_salesperson=overall.by_salesperson,
                     by_product=by_product(session, found, currency),
                     top_customers=top_customers(session, found, currency),
                     conversion=conversion(session, found), cycle=cycle_time(session, found))
