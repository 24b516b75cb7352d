"""Configurable products: attributes and values, offered values with price extras, variants made on demand."""
import html
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.products import configuring, variants
from addons.products.attributes import OfferedValue
from addons.products.models import Product
from addons.products.services import create_product, update_product
from core.errors import AccessDenied, ValidationError


@pytest.fixture
def tshirt(db):
    session = db.system()
    company_id = db.main_company.id
    size = configuring.create_attribute(session, company_id, name="Size", sequence=1)
    colour = configuring.create_attribute(session, company_id, name="Colour", sequence=2)
    options = configuring.create_attribute(session, company_id, name="Options", sequence=3, required=False)
    values = {name: configuring.create_value(session, company_id, attribute_id=attribute.id, name=name, code=code)
              for attribute, name, code in ((size, "S", "S"), (size, "M", "M"), (size, "XL", "XL"),
                                            (colour, "Red", "RED"), (colour, "Blue", "BLUE"),
                                            (colour, "Green", "GREEN"), (options, "Gift box", "GIFT"))}
    product = create_product(session, company_id, code="TSHIRT", name="T-shirt", list_price=Decimal("20.00"),
                             cost=Decimal("6.00"))
    extras = {"S": "0", "M": "0", "XL": "3.00", "Red": "1.50", "Blue": "0", "Gift box": "2.25"}
    for name, extra in extras.items():
        configuring.offer_value(session, company_id, product_id=product.id, value_id=values[name].id,
                             price_extra=Decimal(extra))
    session.commit()
    return product, values


def ids(values, *names):
    return [values[name].id for name in names]


def test_a_variant_is_a_product_named_and_priced_from_its_values(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    variant = variants.variant_for(session, product, ids(values, "Red", "XL"))
    session.commit()
    stored = db.system().get(Product, variant.id)
    assert (stored.code, stored.name, stored.template_id, stored.cost) == (
        "TSHIRT-XL-RED", "T-shirt (XL, Red)", product.id, product.cost)
    assert stored.list_price == product.list_price + Decimal("3.00") + Decimal("1.50")
    assert [value.name for value in variants.chosen_values(db.system(), stored)] == ["XL", "Red"]
    assert [(value.name, extra) for value, extra in variants.extras_of(db.system(), stored)] == [
        ("XL", Decimal("3.00")), ("Red", Decimal("1.50"))]


def test_choosing_the_same_values_again_reuses_the_variant(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    first = variants.variant_for(session, product, ids(values, "M", "Blue"))
    again = variants.variant_for(session, product, ids(values, "Blue", "M"))
    through_variant = variants.variant_for(session, first, [])
    with_gift = variants.variant_for(session, product, ids(values, "M", "Blue", "Gift box"))
    assert first.id == again.id == through_variant.id
    assert with_gift.id != first.id and with_gift.name == "T-shirt (M, Blue, Gift box)"
    assert session.scalar(select(func.count(Product.id)).where(Product.template_id == product.id)) == 2


@pytest.mark.parametrize(("chosen", "message"), [
    (("M", "Green"), "does not come in Colour “Green”"),
    (("M", "XL", "Red"), "Choose one Size for \\[TSHIRT\\] T-shirt, not both “M” and “XL”"),
    (("Red",), "Choose the Size of \\[TSHIRT\\] T-shirt"),
    ((), "Choose the Size of \\[TSHIRT\\] T-shirt"),
])
def test_an_invalid_combination_is_refused_naming_the_attribute(db, tshirt, chosen, message):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    with pytest.raises(ValidationError, match=message) as error:
        variants.variant_for(session, product, ids(values, *chosen))
    assert error.value.field == "variant_values"
    session.rollback()
    assert db.system().scalar(select(func.count(Product.id)).where(Product.template_id == product.id)) == 0


def test_values_of_another_company_or_for_a_plain_product_are_refused(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    other = db.company("Otra S.L.")
    size = configuring.create_attribute(session, other.id, name="Size")
    foreign = configuring.create_value(session, other.id, attribute_id=size.id, name="M", code="M")
    with pytest.raises(ValidationError, match="Choose values offered by"):
        variants.variant_for(session, product, [foreign.id, values["Red"].id])
    with pytest.raises(ValidationError, match="Choose values offered by"):
        variants.variant_for(session, product, [999999])
    plain = create_product(session, db.main_company.id, code="MUG", name="Mug", list_price=Decimal(5))
    assert variants.variant_for(session, plain, []) is plain
    with pytest.raises(ValidationError, match="has no variants"):
        variants.variant_for(session, plain, ids(values, "M"))


def test_price_changes_reach_the_variants_and_their_own_list_price_is_refused(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    variant = variants.variant_for(session, product, ids(values, "XL", "Red"))
    update_product(session, product, list_price=Decimal("25.00"))
    assert variant.list_price == Decimal("25.00") + Decimal("3.00") + Decimal("1.50")
    red = session.scalars(select(OfferedValue).where(OfferedValue.product_id == product.id,
                                                     OfferedValue.value_id == values["Red"].id)).one()
    configuring.update_offered(session, red, price_extra=Decimal("2.00"))
    assert variant.list_price == Decimal("25.00") + Decimal("3.00") + Decimal("2.00")
    configuring.withdraw_value(session, red)
    assert variant.list_price == Decimal("25.00") + Decimal("3.00")
    with pytest.raises(ValidationError, match="The list price of a variant") as error:
        update_product(session, variant, list_price=Decimal("99"))
    assert error.value.field == "list_price"
    with pytest.raises(ValidationError, match="does not come in Colour “Red”"):
        variants.variant_for(session, product, ids(values, "M", "Red"))


def test_extras_may_not_take_a_list_price_below_zero(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    small = session.scalars(select(OfferedValue).where(OfferedValue.value_id == values["S"].id)).one()
    variants.variant_for(session, product, ids(values, "S", "Blue"))
    with pytest.raises(ValidationError, match="below zero") as error:
        configuring.update_offered(session, small, price_extra=Decimal("-30"))
    assert error.value.field == "price_extra"
    session.rollback()
    assert db.system().get(OfferedValue, small.id).price_extra == 0


def test_offers_are_refused_on_a_variant_and_twice_on_a_product(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    variant = variants.variant_for(session, product, ids(values, "M", "Blue"))
    with pytest.raises(ValidationError, match="is a variant: offer values on \\[TSHIRT\\] T-shirt"):
        configuring.offer_value(session, db.main_company.id, product_id=variant.id, value_id=values["Green"].id)
    with pytest.raises(ValidationError, match="already offers Colour: Red"):
        configuring.offer_value(session, db.main_company.id, product_id=product.id, value_id=values["Red"].id)
    with pytest.raises(ValidationError, match="The name Size is already used here"):
        configuring.create_attribute(session, db.main_company.id, name="Size")


def test_a_salesperson_like_user_gets_a_variant_made_without_the_right_to_create_products(db, tshirt):
    product, values = tshirt
    clerk = db.as_user(db.user("clerk", groups=["products.group_user"]))
    with pytest.raises(AccessDenied):
        create_product(clerk, db.main_company.id, code="X", name="X")
    clerk.rollback()
    variant = variants.variant_for(clerk, clerk.get(Product, product.id), ids(values, "S", "Red"))
    clerk.commit()
    assert db.system().get(Product, variant.id).name == "T-shirt (S, Red)"
    with pytest.raises(AccessDenied):
        configuring.create_attribute(clerk, db.main_company.id, name="Material")


def test_an_archived_variant_is_not_sold_again(db, tshirt):
    product, values = tshirt
    session = db.system()
    product = session.get(Product, product.id)
    variant = variants.variant_for(session, product, ids(values, "M", "Red"))
    update_product(session, variant, active=False)
    with pytest.raises(ValidationError, match="is archived"):
        variants.variant_for(session, product, ids(values, "M", "Red"))


def test_a_manager_keeps_attributes_values_and_offers_through_the_pages(web):
    manager = web.db.user("catalogue", groups=["products.group_manager"])
    system = web.db.system()
    shirt = create_product(system, web.db.main_company.id, code="TSHIRT", name="T-shirt", list_price=Decimal(20))
    system.commit()
    client = web.client()
    client.login(manager.login)

    def created(url, data):
        response = client.post(url, data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    size = created("/products/attributes/new", {"name": "Size", "sequence": "1", "required": "y"})
    xl = created("/products/attribute-values/new", {"attribute_id": str(size), "name": "XL", "code": "xl",
                                                    "sequence": "1"})
    created("/products/variant-prices/new", {"product_id": str(shirt.id), "value_id": str(xl),
                                             "price_extra": "3.5"})
    again = client.post("/products/variant-prices/new", data={"product_id": str(shirt.id), "value_id": str(xl),
                                                               "price_extra": "1"})
    assert again.status_code == 422
    assert "already offers Size: XL" in html.unescape(again.get_data(as_text=True))
    page = html.unescape(client.get(f"/products/products/{shirt.id}").get_data(as_text=True))
    assert "Configurable: sold as variants" in page and "XL +3.5" in page
    assert db_count(web.db.system(), OfferedValue) == 1


def db_count(session, model):
    return session.scalar(select(func.count(model.id)))
