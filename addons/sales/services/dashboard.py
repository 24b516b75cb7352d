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


def _top(statement, revenue, limit: int):
    """``statement`` (grouped, with ``revenue``) kept to the groups whose revenue reaches the ``limit``-th largest.

    So the caller joins the names of those groups only, not of every group,
    and still breaks ties at the limit by name as before.
    """
    ranked = statement.order_by(revenue.desc()).limit(limit).subquery("ranked")
    return statement.having(revenue >= select(func.min(ranked.c.revenue)).scalar_subquery()).subquery("top")


def totals(session: Session, found: Period, currency: str) -> tuple[Figures, int]:
    """The period's revenue, margin and orders, and how many orders had no rate to convert them."""
    rate = rate_to_company(currency)
    revenue, margin, orders, unconverted = session.execute(
        select(*_sums(rate), func.sum(case((rate.is_(None), 1), else_=0))).where(*confirmed_in(found))).one()
    return _figures("", revenue, margin, (orders or 0) - (unconverted or 0)), unconverted or 0


def by_month(session: Session, found: Period, currency: str) -> list[Figures]:
    """Every month of the period, oldest first, those without an order included."""
    rate = rate_to_company(currency)
    month = month_of(session, SaleOrder.confirmed_at)
    rows = {key: (revenue, margin, orders) for key, revenue, margin, orders in session.execute(
        select(month, *_sums(rate)).where(*confirmed_in(found), rate.is_not(None)).group_by(month))}
    result = []
    year, number = found.date_from.year, found.date_from.month
    while (year, number) <= (found.date_to.year, found.date_to.month):
        key = f"{year:04d}-{number:02d}"
        result.append(_figures(key, *rows.get(key, (0, 0, 0))))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return result


def by_salesperson(session: Session, found: Period, currency: str) -> list[Figures]:
    """Each salesperson's orders, the largest revenue first."""
    rate = rate_to_company(currency)
    revenue = func.sum(SaleOrder.amount_untaxed * rate)
    statement = (select(User.name, *_sums(rate)).select_from(SaleOrder).outerjoin(User, User.id == SaleOrder.user_id)
                 .where(*confirmed_in(found), rate.is_not(None)).group_by(SaleOrder.user_id, User.name)
                 .order_by(revenue.desc(), User.name))
    return [_figures(name or gettext("No salesperson"), *sums) for name, *sums in session.execute(statement)]


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
    groups = _top(select(SaleOrder.partner_id, *(value.label(key) for key, value in zip(_FIGURES, sums)))
                  .where(*confirmed_in(found), rate.is_not(None)).group_by(SaleOrder.partner_id), sums[0], limit)
    statement = (select(Partner.name, *(groups.c[key] for key in _FIGURES)).select_from(groups)
                 .join(Partner, Partner.id == groups.c.partner_id)
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
    """The average and the median days from quotation to confirmation (the median read at its rank in SQL)."""
    days = calendar_days_between(session, SaleOrder.confirmed_at, SaleOrder.date_order)
    average, count = session.execute(select(func.avg(days), func.count(SaleOrder.id))
                                      .where(*confirmed_in(found))).one()
    if not count:
        return CycleTime(None, None)
    ranked = select(days).where(*confirmed_in(found)).order_by(days)
    middle = [session.scalar(ranked.offset(rank).limit(1)) for rank in {(count - 1) // 2, count // 2}]
    median = sum(Decimal(str(value)) for value in middle) / len(middle)
    return CycleTime(Decimal(str(average)).quantize(TENTH, rounding=ROUND_HALF_UP),
                     median.quantize(TENTH, rounding=ROUND_HALF_UP))


def dashboard(session: Session, found: Period) -> Dashboard:
    """Every figure of the dashboard for ``found`` (see :func:`period`)."""
    currency = company_currency(session, found.company_id)
    total, unconverted = totals(session, found, currency)
    return Dashboard(period=found, currency=currency, total=total, unconverted=unconverted,
                     by_month=by_month(session, found, currency),
                     by_salesperson=by_salesperson(session, found, currency),
                     by_product=by_product(session, found, currency),
                     top_customers=top_customers(session, found, currency),
                     conversion=conversion(session, found), cycle=cycle_time(session, found))
