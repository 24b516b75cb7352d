"""Price lookups: N (customer, product, quantity, date) through ``price_for`` one by one and ``prices_for``
all at once, against one hand-written SQL query per lookup.

A price list of --rules rules (by default 10,000: each product of the first
tenth of --products has three quantity breaks, each category one rule, one
rule for all products) is the list of every customer. The lookups are
random (seeded) customers, products, quantities and dates in the list's
validity, the same for both sides. The planner's statistics are refreshed
after loading, as the nightly ``core.refresh_statistics`` job does.

Baseline: one hand-written query per lookup, run on the same connection:
the rules for the product, its category or all products (a UNION ALL of
three index lookups) whose quantity range holds the quantity, ordered
product > category > all, first row; the price computed in Python from
the rule (fixed, or a percentage on list price or cost). The customer's
list and the product's category, list price and cost come from
dictionaries loaded before the clock starts. It knows less than the
service: categories one level deep (the service walks the tree), no tags,
no validity dates, no currency conversion, no record rules, no
explanation. The two sides'
prices are compared on every lookup: they must agree.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Numeric, bindparam, insert, select, text  # noqa: E402

from addons.contacts.models import Partner  # noqa: E402
from addons.products.models import Product, ProductCategory  # noqa: E402
from addons.sales.models import ALL_PRODUCTS, CATEGORY, COST, FIXED, LIST, PRODUCT, PriceList, PriceRule  # noqa: E402
from addons.sales.models import SalesPartner  # noqa: E402
from addons.sales.services.pricing import Lookup, price_for, prices_for  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.jobs.maintenance import refresh_statistics  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402

START = dt.date(2027, 1, 1)
CATEGORIES = 50
CUSTOMERS = 200
BREAKS = ((Decimal(0), Decimal(10)), (Decimal(10), Decimal(50)), (Decimal(50), None))

RAW = text("""
SELECT method, fixed_price, percent FROM (
  SELECT r.*, 0 AS level FROM sales_pricelist_rule r
  WHERE r.pricelist_id = :pricelist AND r.applies_to = 'product' AND r.product_id = :product
  UNION ALL
  SELECT r.*, 1 FROM sales_pricelist_rule r
  WHERE r.pricelist_id = :pricelist AND r.applies_to = 'category' AND r.product_id IS NULL
    AND r.category_id = :category
  UNION ALL
  SELECT r.*, 2 FROM sales_pricelist_rule r
  WHERE r.pricelist_id = :pricelist AND r.applies_to = 'all' AND r.product_id IS NULL AND r.category_id IS NULL) AS rules
WHERE min_quantity <= :quantity AND (max_quantity IS NULL OR max_quantity > :quantity)
ORDER BY level, id
LIMIT 1
""").bindparams(bindparam("quantity", type_=Numeric(16, 4)))


def load(system, company_id: int, products: int, rules: int) -> tuple[list[int], list[int]]:
    """Categories, products, customers and one list of ``rules`` rules; returns (customer ids, product ids)."""
    system.execute(insert(ProductCategory), [{"company_id": company_id, "name": f"Category {number}"}
                                             for number in range(CATEGORIES)])
    category_ids = system.scalars(select(ProductCategory.id).order_by(ProductCategory.id)).all()
    uom_id = system.scalar(text("SELECT id FROM products_uom ORDER BY id LIMIT 1"))
    system.execute(insert(Product), [{
        "company_id": company_id, "code": f"P{number:06d}", "name": f"Product {number}", "uom_id": uom_id,
        "category_id": category_ids[number % CATEGORIES], "list_price": Decimal(10 + number % 90),
        "cost": Decimal(5 + number % 40), "active": True} for number in range(products)])
    product_ids = system.scalars(select(Product.id).order_by(Product.id)).all()
    pricelist = PriceList(company_id=company_id, name="Distributors 2027", currency_code="EUR",
                          date_start=START, date_end=START + dt.timedelta(days=364))
    system.add(pricelist)
    system.flush()
    rows = [{"pricelist_id": pricelist.id, "company_id": company_id, "applies_to": ALL_PRODUCTS,
             "method": LIST, "percent": Decimal(-5), "min_quantity": Decimal(0)}]
    rows += [{"pricelist_id": pricelist.id, "company_id": company_id, "applies_to": CATEGORY,
              "category_id": category_id, "method": COST, "percent": Decimal(30), "min_quantity": Decimal(0)}
             for category_id in category_ids]
    for product_id in product_ids:
        for (low, high), percent in zip(BREAKS, (Decimal(-2), Decimal(-8), Decimal(-12))):
            if len(rows) >= rules:
                break
            rows.append({"pricelist_id": pricelist.id, "company_id": company_id, "applies_to": PRODUCT,
                         "product_id": product_id, "method": LIST if low else FIXED, "percent": percent,
                         "fixed_price": None if low else Decimal(9 + product_id % 50),
                         "min_quantity": low, "max_quantity": high})
    system.execute(insert(PriceRule), rows)
    system.execute(insert(Partner), [{"company_id": company_id, "name": f"Customer {number}", "is_company": True,
                                      "active": True} for number in range(CUSTOMERS)])
    customer_ids = system.scalars(select(Partner.id).where(Partner.name.like("Customer %"))).all()
    system.execute(insert(SalesPartner), [{"partner_id": partner_id, "company_id": company_id,
                                           "pricelist_id": pricelist.id} for partner_id in customer_ids])
    system.commit()
    refresh_statistics(system.connection())  # as the nightly core.refresh_statistics job does
    system.commit()
    return customer_ids, product_ids


def lookups(count: int, customers: list[int], products: list[int]) -> list[tuple[int, int, Decimal, dt.date]]:
    pick = random.Random(2027)
    return [(pick.choice(customers), pick.choice(products), Decimal(pick.choice((1, 5, 12, 60))),
             START + dt.timedelta(days=pick.randrange(365))) for _ in range(count)]


def raw_price(row, item, quantity: Decimal) -> Decimal:
    (method, fixed_price, percent), (list_price, cost) = row, item[1:]
    if method == FIXED:
        return Decimal(fixed_price)
    base = Decimal(list_price if method == LIST else cost)
    return (base * (100 + Decimal(percent)) / 100).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--lookups", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--one-by-one", type=int, default=10_000, metavar="N",
                        help="how many of the lookups price_for also answers one call each (default 10,000)")
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["sales"])
        registry = Lifecycle(engine, catalog).registry()
        factory = make_session_factory(engine)
        with factory() as system:
            customers, products = load(system, 1, args.products, args.rules)
            admin = system.scalars(select(User.id).where(User.login == "admin")).one()
            actor = load_actor(system, registry, admin)
        work = lookups(args.lookups, customers, products)

        with engine.connect() as connection:
            lists = dict(connection.execute(select(SalesPartner.partner_id, SalesPartner.pricelist_id)).all())
            items = {row[0]: row[1:] for row in connection.execute(select(
                Product.id, Product.category_id, Product.list_price, Product.cost))}
            start = time.perf_counter()
            expected = [raw_price(connection.execute(RAW, {
                "pricelist": lists[partner], "product": product, "category": items[product][0],
                "quantity": quantity}).one(), items[product], quantity) for partner, product, quantity, _date in work]
            raw_seconds = time.perf_counter() - start

        session = actor_session(factory, registry, actor)
        partners = {partner.id: partner for partner in session.scalars(select(Partner).where(
            Partner.id.in_(customers)))}
        products_by_id = {product.id: product for product in session.scalars(select(Product))}
        start = time.perf_counter()
        prices = [price_for(session, partners[partner], products_by_id[product], quantity, date, "EUR")
                  for partner, product, quantity, date in work[:args.one_by_one]]
        one_seconds = time.perf_counter() - start
        start = time.perf_counter()
        together = prices_for(session, [Lookup(partners[partner], products_by_id[product], quantity, date)
                                        for partner, product, quantity, date in work], "EUR")
        many_seconds = time.perf_counter() - start
        session.close()
        engine.dispose()
    for label, found in (("price_for", prices), ("prices_for", together)):
        wrong = sum(1 for price, raw in zip(found, expected) if price.amount != raw)
        if wrong:
            raise SystemExit(f"{label}: {wrong} of {len(work)} prices differ from the hand-written query's")
    print(f"price lookups, N={args.lookups:,}, a list of {args.rules:,} rules, {args.products:,} products "
          f"({engine.dialect.name}); every price agreed with the hand-written query's")
    print(f"  one SQL query per lookup   {args.lookups / raw_seconds:10,.0f} lookups/s  ({raw_seconds:.2f} s)")
    raw_each = raw_seconds / len(work)
    for label, count, seconds in (("price_for, one by one", len(prices), one_seconds),
                                  ("prices_for, all at once", len(together), many_seconds)):
        print(f"  {label:<26} {count / seconds:10,.0f} lookups/s  ({count:,} in {seconds:.2f} s, with the "
              f"explanation)  {seconds / count / raw_each:6.2f}x the hand-written query's time per lookup")

if __name__ == "__main__":
    main()
