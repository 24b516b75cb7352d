"""price_for: the most specific rule whose quantities hold, with words that say why; bad rules refused."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.sales.models import (
    ALL_PRODUCTS,
    CATEGORY,
    FIXED,
    LIST,
    PRODUCT,
    PriceRule,
)
from addons.sales.services.pricelists import create_pricelist, create_rule, update_rule
from addons.sales.services.pricing import price_for, pricelist_of
from core.errors import AccessDenied, ValidationError

DAY = dt.date(2027, 3, 15)


def price(shop, quantity, product=None, date=DAY, partner=None, currency="EUR", **kwargs):
    return price_for(shop.ana, partner or shop.iberica, product or shop.bolts, Decimal(quantity), date, currency,
                     **kwargs)


def test_quantity_breaks_fixed_and_discount_on_the_list_price_with_their_explanation(shop, distributors):
    small = price(shop, 9)
    assert (small.amount, small.explanation) == (Decimal("0.45"), "list “Distributors 2027”, under 10 units, fixed price")
    large = price(shop, 10)
    assert (large.amount, large.explanation) == (Decimal("0.440000"), "list “Distributors 2027”, 10+ units, −12%")
    assert large.rule.id == distributors[1]["bolts_10"].id and large.pricelist.id == distributors[0].id


def test_the_most_specific_rule_wins_product_then_nearest_category_then_all(shop, distributors):
    drill = price(shop, 1, shop.drill)  # Power tools (-5% on list) beats Tools (cost +30%) and all products
    assert (drill.amount, drill.explanation) == (
        Decimal("95.000000"), "list “Distributors 2027”, category Tools / Power tools, −5%")
    saw = price(shop, 3, shop.saw)  # Tools: a markup on the cost
    assert (saw.amount, saw.explanation) == (Decimal("10.400000"), "list “Distributors 2027”, category Tools, cost +30%")
    anything = create_rule(shop.boss, distributors[0].id, applies_to=PRODUCT, product_id=shop.drill.id,
                           method=FIXED, fixed_price=Decimal(90))
    assert price(shop, 1, shop.drill).rule.id == anything.id


def test_validity_dates_the_list_price_and_a_customer_without_a_list(shop, distributors):
    before = price(shop, 50, date=dt.date(2026, 12, 31))
    assert (before.amount, before.explanation, before.pricelist) == (Decimal("0.50"), "list price", None)
    assert pricelist_of(shop.ana, shop.iberica, dt.date(2028, 1, 1)) is None
    rossi = price(shop, 50, partner=shop.rossi)
    assert (rossi.amount, rossi.explanation) == (Decimal("0.50"), "list price")


def test_a_customer_group_tag_gives_its_list(shop, distributors):
    from addons.contacts.services import ensure_tag, update_partner

    tag = ensure_tag(shop.boss, shop.company.id, name="Distributor")
    distributors[0].tags = [tag]
    update_partner(shop.boss, shop.boss.get(type(shop.rossi), shop.rossi.id), tags=[tag.id])
    shop.boss.commit()
    assert price(shop, 20, partner=shop.rossi).explanation == "list “Distributors 2027”, 10+ units, −12%"


def test_a_price_list_in_another_currency_than_the_quote_is_refused(shop, distributors):
    with pytest.raises(ValidationError) as error:
        price(shop, 1, currency="USD")
    assert error.value.field == "pricelist_id"
    assert str(error.value) == ("The price list “Distributors 2027” is in EUR and the quotation in USD: choose a "
                                "price list in USD, or make the quotation in EUR.")


def test_a_product_with_no_price_and_no_cost_is_refused_clearly(shop, distributors):
    with pytest.raises(ValidationError, match=r"\[FREE\] Sample has no list price: rule \d+ of “Distributors 2027” "
                                              r"is a percentage on it."):
        price(shop, 1, shop.free)
    with pytest.raises(ValidationError, match=r"\[FREE\] Sample has no list price and no price list rule prices it"):
        price(shop, 1, shop.free, partner=shop.rossi)


@pytest.mark.parametrize(("values", "message"), [
    ({"min_quantity": Decimal(5), "max_quantity": Decimal(20)},
     ("The quantities of this rule (5 to under 20 units) overlap those of rule {small} (under 10 units) for the "
     "same product in the list “Distributors 2027”")),
    ({"min_quantity": Decimal(100)},
     "The quantities of this rule (100+ units) overlap those of rule {large} (10+ units) for the same product"),
])
def test_overlapping_quantity_breaks_for_the_same_product_are_refused(shop, distributors, values, message):
    pricelist, rules = distributors
    before = shop.boss.scalars(select(PriceRule.id)).all()
    with pytest.raises(ValidationError) as error:
        create_rule(shop.boss, pricelist.id, applies_to=PRODUCT, product_id=shop.bolts.id, method=FIXED,
                    fixed_price=Decimal(1), **values)
    assert error.value.field == "min_quantity"
    assert message.format(small=rules["bolts_small"].id, large=rules["bolts_10"].id) in str(error.value)
    shop.boss.rollback()
    assert shop.boss.scalars(select(PriceRule.id)).all() == before
    with pytest.raises(ValidationError, match="overlap"):
        update_rule(shop.boss, shop.boss.get(PriceRule, rules["bolts_10"].id), min_quantity=Decimal(5))
    saw = create_rule(shop.boss, pricelist.id, applies_to=PRODUCT, product_id=shop.saw.id, method=FIXED,
                      fixed_price=Decimal(1))
    assert saw.id  # another product: no overlap


@pytest.mark.parametrize(("values", "field"), [
    ({"applies_to": PRODUCT, "method": FIXED, "fixed_price": Decimal(1)}, "product_id"),
    ({"applies_to": CATEGORY, "method": FIXED, "fixed_price": Decimal(1)}, "category_id"),
    ({"applies_to": ALL_PRODUCTS, "method": FIXED}, "fixed_price"),
    ({"applies_to": ALL_PRODUCTS, "method": LIST, "min_quantity": Decimal(5), "max_quantity": Decimal(5)},
     "max_quantity"),
    ({"applies_to": ALL_PRODUCTS, "method": LIST, "percent": Decimal(-150)}, "percent"),
])
def test_incomplete_rules_are_refused(shop, distributors, values, field):
    with pytest.raises(ValidationError) as error:
        create_rule(shop.boss, distributors[0].id, **values)
    assert error.value.field == field


def test_a_salesperson_reads_price_lists_but_cannot_change_them(shop, distributors):
    pricelist, _rules = distributors
    assert price(shop, 10).amount == Decimal("0.440000")  # ana prices with the list
    with pytest.raises(AccessDenied):
        create_rule(shop.ana, pricelist.id, applies_to=PRODUCT, product_id=shop.saw.id, method=FIXED,
                    fixed_price=Decimal(1))
    shop.ana.rollback()
    with pytest.raises(AccessDenied):
        create_pricelist(shop.ana, shop.company.id, name="Mine")
