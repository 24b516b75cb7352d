"""prices_for answers many lookups at once exactly as price_for answers each: price, explanation, rule, refusal."""
import datetime as dt
from decimal import Decimal
from itertools import product as combinations

import pytest
from sqlalchemy import event

from addons.sales.services.pricing import Lookup, price_for, prices_for
from core.errors import ValidationError

DAYS = (dt.date(2026, 12, 31), dt.date(2027, 3, 15))


def test_every_lookup_gets_what_price_for_gives_it(shop, distributors):
    lookups = [Lookup(partner, item, Decimal(quantity), day) for partner, item, quantity, day in combinations(
        (shop.iberica, shop.rossi), (shop.bolts, shop.drill, shop.saw), (1, 9, 10, 50), DAYS)]
    one_by_one = [price_for(shop.ana, lookup.partner, lookup.product, lookup.quantity, lookup.date, "EUR")
                  for lookup in lookups]
    together = prices_for(shop.ana, lookups, "EUR")
    assert [(price.amount, price.explanation, price.rule, price.pricelist) for price in together] == [
        (price.amount, price.explanation, price.rule, price.pricelist) for price in one_by_one]
    assert {price.explanation for price in together} >= {
        "list price", "list “Distributors 2027”, under 10 units, fixed price",
        "list “Distributors 2027”, 10+ units, −12%", "list “Distributors 2027”, category Tools / Power tools, −5%",
        "list “Distributors 2027”, category Tools, cost +30%"}


def test_the_rules_are_read_per_list_not_per_lookup(shop, distributors):
    lookups = [Lookup(shop.iberica, item, Decimal(quantity), DAYS[1])
               for item in (shop.bolts, shop.drill, shop.saw) for quantity in range(1, 30)]
    engine = shop.db.factory.kw["bind"]  # the test's connection
    reads = []

    def count(_conn, _cursor, statement, _parameters, _context, _many):
        if "FROM sales_pricelist_rule" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        prices_for(shop.ana, lookups, "EUR")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(reads) == 3  # the products' rules, their categories', all products'


def test_a_refusal_is_the_one_price_for_gives(shop, distributors):
    with pytest.raises(ValidationError) as error:
        prices_for(shop.ana, [Lookup(shop.iberica, shop.saw, Decimal(1), DAYS[1])], "USD")
    assert error.value.field == "pricelist_id" and "is in EUR and the quotation in USD" in str(error.value)
    with pytest.raises(ValidationError, match=r"\[FREE\] Sample has no list price: rule \d+ of “Distributors 2027”"):
        prices_for(shop.ana, [Lookup(shop.iberica, shop.free, Decimal(1), DAYS[1])], "EUR")
