"""A quotation line's cost from stock: what delivering its quantity now would be valued at.

An issue of the line's quantity is run through stock's valuation engine in
memory, from the product's running totals (and under FIFO its open layers,
oldest first), and nothing is written: FIFO gives the cost of the layers the
quantity would take, the other methods their average, last purchase price or
standard cost. A product stock never valued (never received, a service, a
consumable) has no stock cost: the next answer, or the product's cost, is used.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product
from addons.products.units import convert
from addons.stock.models.products import AVERAGE, FIFO, LAST, STANDARD, CategoryStock, ProductStock
from addons.stock.models.valuation import OUT, ValuationState
from addons.stock.valuation import store
from addons.stock.valuation.engine import Book, Fact
from core.db import utcnow
from core.sessions import system_rows
from core.transaction_cache import cached

SOURCES = {FIFO: _l("FIFO stock value"), AVERAGE: _l("average cost"), LAST: _l("last purchase price"),
           STANDARD: _l("standard cost")}
#: the id the estimated issue goes by in the book (no move has it)
ESTIMATE = 0
_states = ValuationState.__table__


def stock_cost(session: Session, order, line) -> tuple[Decimal, str] | None:
    """(unit cost of the line's product per its own unit, the method's name), or None when stock values it
    not. Read on behalf of the salesperson, who need not see stock's books: the setting by the system, the
    product's running totals and open layers straight from the connection, as stock's valuation reads them
    (without a system session, and its savepoint, for every line)."""
    product, company_id = line.product, order.company_id
    quantity = convert(line.quantity, line.uom or product.uom, product.uom, "uom_id") if line.quantity > 0 else 1
    setting = _setting(session, product.id)
    if not setting.valued:
        return None
    state = session.connection().execute(select(_states.c.quantity, _states.c.value, _states.c.cost).where(
        _states.c.company_id == company_id, _states.c.product_id == product.id)).first()
    if state is None:
        return None
    book = Book(setting.method, state.quantity, state.value, state.cost)
    if setting.method == FIFO:
        book.more = store.layer_pages(session, (company_id, product.id), store.PAGE)
    book.apply(Fact(ESTIMATE, utcnow(), Decimal(quantity), OUT))
    return book.costs[ESTIMATE], str(SOURCES[setting.method])


def _setting(session: Session, product_id: int) -> store.ProductSetting:
    """The product's valuation setting, read by the system once per transaction of ``session``: a quotation
    costs each of its lines, often of the same products."""
    def read() -> store.ProductSetting:
        with system_rows(session) as system:
            return store.product_settings(system, [product_id])[product_id]

    return cached(session, ("sales_stock.setting", product_id), read,
                  depends_on=(Product, ProductStock, CategoryStock))
