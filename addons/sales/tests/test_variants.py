"""A configurable product on a quotation line: the variant is found or made, priced from its list price plus
the extras (or by the price list, whose rules on the configurable product reach its variants), explained."""
import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.contacts.services import create_partner
from addons.products import configuring
from addons.products.attributes import AttributeValue
from addons.products.models import Product
from addons.products.services import create_product
from addons.sales.models import FIXED, LIST, PRODUCT, SaleOrder
from addons.sales.services.pricelists import create_rule
from addons.sales.services.quotes import create_quote, update_quote
from core.errors import ValidationError

DAY = dt.date(2027, 3, 15)


@pytest.fixture
def tshirt(shop):
    return make_tshirt(shop.db)


def make_tshirt(db):
    session = db.system()
    company_id = db.main_company.id
    size = configuring.create_attribute(session, company_id, name="Size", sequence=1)
    colour = configuring.create_attribute(session, company_id, name="Colour", sequence=2)
    values = {name: configuring.create_value(session, company_id, attribute_id=attribute.id, name=name, code=code)
              for attribute, name, code in ((size, "M", "M"), (size, "XL", "XL"), (colour, "Red", "RED"),
                                            (colour, "Blue", "BLUE"))}
    product = create_product(session, company_id, code="TSHIRT", name="T-shirt", list_price=Decimal("20.00"),
                             cost=Decimal("6.00"))
    for name, extra in (("M", "0"), ("XL", "3.00"), ("Red", "1.50"), ("Blue", "0")):
        configuring.offer_value(session, company_id, product_id=product.id, value_id=values[name].id,
                             price_extra=Decimal(extra))
    session.commit()
    return product, {name: value.id for name, value in values.items()}


def quote(shop, *lines, partner=None):
    return create_quote(shop.ana, shop.company.id, partner_id=(partner or shop.rossi).id, date_order=DAY,
                        lines=lines)


def test_a_line_with_chosen_values_sells_the_variant_at_list_price_plus_extras(shop, tshirt):
    product, values = tshirt
    order = quote(shop, {"product_id": product.id, "variant_values": [values["XL"], values["Red"]],
                         "quantity": 2})
    line = order.lines[0]
    assert (line.product.name, line.product.template_id, line.description) == (
        "T-shirt (XL, Red)", product.id, "[TSHIRT-XL-RED] T-shirt (XL, Red)")
    assert line.unit_price == product.list_price + Decimal("3.00") + Decimal("1.50")
    assert line.price_explanation == "list price, with extras XL +3, Red +1.5"
    again = quote(shop, {"product_id": product.id, "variant_values": [values["Red"], values["XL"]]})
    assert again.lines[0].product_id == line.product_id


def test_rules_on_the_configurable_product_reach_its_variants_after_the_variant_s_own(shop, distributors, tshirt):
    product, values = tshirt
    pricelist, _rules = distributors
    create_rule(shop.boss, pricelist.id, applies_to=PRODUCT, product_id=product.id, method=LIST,
                percent=Decimal(-10))
    shop.boss.commit()
    order = quote(shop, {"product_id": product.id, "variant_values": [values["XL"], values["Red"]]},
                  {"product_id": product.id, "variant_values": [values["M"], values["Blue"]]}, partner=shop.iberica)
    extra_line, plain_line = order.lines
    assert extra_line.unit_price == ((product.list_price + Decimal("4.50")) * Decimal("0.9")).quantize(
        Decimal("0.01"))
    assert extra_line.price_explanation == "list “Distributors 2027”, −10%, with extras XL +3, Red +1.5"
    assert (plain_line.unit_price, plain_line.price_explanation) == (
        product.list_price * Decimal("0.9"), "list “Distributors 2027”, −10%")
    create_rule(shop.boss, pricelist.id, applies_to=PRODUCT, product_id=extra_line.product_id, method=FIXED,
                fixed_price=Decimal("19.99"))
    shop.boss.commit()
    again = quote(shop, {"product_id": product.id, "variant_values": [values["XL"], values["Red"]]},
                  partner=shop.iberica)
    assert (again.lines[0].unit_price, again.lines[0].price_explanation) == (
        Decimal("19.99"), "list “Distributors 2027”, fixed price")


def test_changing_the_values_of_a_line_changes_its_variant_and_description(shop, tshirt):
    product, values = tshirt
    order = quote(shop, {"product_id": product.id, "variant_values": [values["M"], values["Blue"]]})
    first = order.lines[0]
    update_quote(shop.ana, order, lines=[{"product_id": product.id, "variant_values": [values["XL"], values["Blue"]],
                                          "description": first.description, "unit_price": first.unit_price}])
    line = order.lines[0]
    assert (line.product.name, line.description) == ("T-shirt (XL, Blue)", "[TSHIRT-XL-BLUE] T-shirt (XL, Blue)")
    assert line.price_explanation == "entered by hand"  # the form clears the price when the values change


@pytest.mark.parametrize(("line", "message", "field"), [
    ({"variant_values": ["bogus"]}, "Line 1: Choose values from the lists.", "lines-0-variant_values"),
    ({"variant_values": []}, "Line 1: Choose the Size of \\[TSHIRT\\] T-shirt.", "lines-0-variant_values"),
    ({"variant_values": ["XL", "M", "Red"]}, "Line 1: Choose one Size for \\[TSHIRT\\] T-shirt, not both",
     "lines-0-variant_values"),
])
def test_bad_choices_are_refused_on_their_line_and_nothing_is_stored(shop, tshirt, line, message, field):
    product, values = tshirt
    chosen = [values.get(name, name) for name in line["variant_values"]]
    with pytest.raises(ValidationError, match=message) as error:
        quote(shop, {"product_id": product.id, "variant_values": chosen})
    assert error.value.field == field
    shop.ana.rollback()
    system = shop.db.system()
    assert system.scalar(select(func.count(SaleOrder.id))) == 0
    assert system.scalar(select(func.count(Product.id)).where(Product.template_id == product.id)) == 0


def test_values_for_a_plain_product_or_no_product_are_refused(shop, tshirt):
    _product, values = tshirt
    with pytest.raises(ValidationError, match="Line 1: .*Drill 18 V has no variants") as error:
        quote(shop, {"product_id": shop.drill.id, "variant_values": [values["M"]]})
    assert error.value.field == "lines-0-variant_values"
    with pytest.raises(ValidationError, match="Line 1: Choose the product the values are for.") as error:
        quote(shop, {"description": "Custom", "unit_price": "5", "variant_values": [values["M"]]})
    assert error.value.field == "lines-0-product_id"


def test_the_salesperson_picks_the_values_on_the_quote_form(web):
    product, values = make_tshirt(web.db)
    system = web.db.system()
    customer = create_partner(system, web.db.main_company.id, name="Rossi Arredamenti", is_company=True)
    size_id = system.get(AttributeValue, values["M"]).attribute_id
    colour_id = system.get(AttributeValue, values["Red"]).attribute_id
    system.commit()
    web.db.user("ana", groups=["sales.group_salesperson"])
    ana = web.client()
    ana.login("ana")
    assert f'name="lines-0-variant_values-{size_id}"' in ana.get("/sales/orders/new").get_data(as_text=True)
    header = {"partner_id": str(customer.id), "pricelist_id": "", "date_order": dt.date.today().isoformat(),
              "validity_date": "", "currency_code": "", "payment_terms": "", "user_id": "", "team_id": "",
              "notes": "", "lines-0-kind": "product", "lines-0-product_id": str(product.id),
              "lines-0-quantity": "1", "lines-0-description": "", "lines-0-unit_price": ""}
    refused = ana.post("/sales/orders/new", data={**header, f"lines-0-variant_values-{colour_id}": str(values["Red"])})
    assert refused.status_code == 422
    assert "Line 1: Choose the Size of [TSHIRT] T-shirt." in html.unescape(refused.get_data(as_text=True))
    assert web.db.system().scalar(select(func.count(SaleOrder.id))) == 0
    created = ana.post("/sales/orders/new", data={**header, f"lines-0-variant_values-{size_id}": str(values["XL"]),
                                                  f"lines-0-variant_values-{colour_id}": str(values["Red"])})
    assert created.status_code == 302, created.get_data(as_text=True)
    page = html.unescape(ana.get(created.headers["Location"]).get_data(as_text=True))
    assert "[TSHIRT-XL-RED] T-shirt (XL, Red)" in page and "list price, with extras XL +3, Red +1.5" in page
    edit = ana.get(created.headers["Location"] + "/edit").get_data(as_text=True)
    assert selected(edit, "lines-0-product_id") == str(product.id)
    size_select = f"lines-0-variant_values-{size_id}"
    assert selected(edit, size_select) == str(values["XL"])


def selected(page, name):
    """The value of the option chosen in the select ``name`` (attributes in any order)."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.search(r'<option(?=[^>]*\bselected\b)[^>]*value="([^"]*)"', select).group(1)
