"""A price lookup in a long list (rules per product, some per category, one for all products) reads the product's
rules through an index, not the company's rows the salesperson's record rule names, on a database whose
statistics are kept (the nightly ``core.refresh_statistics``)."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event, insert, select

from addons.products.models import Product, ProductCategory
from addons.sales.models import ALL_PRODUCTS, CATEGORY, FIXED, PRODUCT, PriceRule
from addons.sales.services.pricelists import create_pricelist
from addons.sales.services.pricing import price_for
from core.jobs.maintenance import refresh_statistics

DAY = dt.date(2027, 3, 15)


def test_after_the_statistics_are_refreshed_a_lookup_reads_the_products_rules_not_the_companys(shop):
    if shop.db.factory.kw["bind"].dialect.name != "sqlite":
        pytest.skip("the plan checked here is SQLite's; PostgreSQL's autovacuum keeps its statistics")
    system = shop.db.system()
    pricelist = create_pricelist(system, shop.company.id, name="Long list", currency_code="EUR")
    system.execute(insert(Product), [{"company_id": shop.company.id, "code": f"P{number}", "name": f"Part {number}",
                                      "uom_id": shop.bolts.uom_id, "list_price": Decimal(2), "active": True}
                                     for number in range(2000)])
    parts = system.scalars(select(Product.id).where(Product.code.like("P%"))).all()
    system.execute(insert(ProductCategory), [{"company_id": shop.company.id, "name": f"Family {number}"}
                                             for number in range(20)])
    families = system.scalars(select(ProductCategory.id).where(ProductCategory.name.like("Family %"))).all()
    system.execute(insert(PriceRule), [
        {"pricelist_id": pricelist.id, "company_id": shop.company.id, "applies_to": CATEGORY, "category_id": family,
         "method": FIXED, "fixed_price": Decimal(3), "min_quantity": Decimal(0)} for family in families])
    system.execute(insert(PriceRule), [{"pricelist_id": pricelist.id, "company_id": shop.company.id,
                                        "applies_to": ALL_PRODUCTS, "method": FIXED, "fixed_price": Decimal(4),
                                        "min_quantity": Decimal(0)}])
    system.execute(insert(PriceRule), [
        {"pricelist_id": pricelist.id, "company_id": shop.company.id, "applies_to": PRODUCT, "product_id": part,
         "method": FIXED, "fixed_price": Decimal(1), "min_quantity": Decimal(0)} for part in [*parts, shop.drill.id]])
    system.commit()
    refresh_statistics(system.connection())
    system.commit()

    engine = shop.db.factory.kw["bind"]  # the test's connection
    seen = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM sales_pricelist_rule" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        found = price_for(shop.ana, shop.iberica, shop.drill, Decimal(1), DAY, "EUR", pricelist=pricelist)
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert found.amount == Decimal(1)
    (statement, parameters), = seen
    assert "company_id IN" in statement  # the salesperson's record rule is part of the lookup
    plan = " ".join(row[-1] for row in system.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                           parameters))
    # through the product's rules (its own index or the list's), never the company's rows nor the whole table
    assert "SEARCH" in plan and "SCAN" not in plan and "company_id" not in plan, plan
