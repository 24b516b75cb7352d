"""Units of measure and product categories: conversions, whole units, the tree of categories, the upgrade."""
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from addons.products.models import Product, ProductCategory, Uom
from addons.products.services import create_category, create_product, update_category, update_product
from addons.products.units import check_quantity, convert, create_unit, seed_units, unit_by_code, update_unit
from core.errors import AccessDenied, ValidationError
from core.lifecycle.database import migration_transaction
from core.testing import initialized_database
from tests.lifecycle_helpers import downgrade

BEFORE_UNITS = "47343094fa1c"


def test_units_convert_within_their_category_only(db):
    session = db.system()
    unit, dozen, box, kg, gram = (unit_by_code(session, code) for code in ("unit", "dozen", "box12", "kg", "g"))
    assert convert(Decimal(3), dozen, unit) == 36
    assert convert(Decimal(30), unit, box) == Decimal("2.5")
    assert convert(Decimal(1250), gram, kg) == Decimal("1.25")
    assert convert(Decimal(7), kg, kg) == 7
    with pytest.raises(ValidationError, match="There is no conversion from Kilogram to Unit: they measure "
                                              "different things.") as error:
        convert(Decimal(1), kg, unit, field="uom_id")
    assert error.value.field == "uom_id"


def test_a_whole_unit_refuses_fractions_and_every_unit_refuses_negatives(db):
    session = db.system()
    box, kg = unit_by_code(session, "box12"), unit_by_code(session, "kg")
    assert check_quantity(Decimal("3"), box) == 3
    assert check_quantity(Decimal("2.5"), kg) == Decimal("2.5")
    with pytest.raises(ValidationError, match="Box of 12 is counted in whole units: 2.5 is not a whole number."):
        check_quantity(Decimal("2.5"), box)
    with pytest.raises(ValidationError, match="A quantity cannot be negative.") as error:
        check_quantity(Decimal("-1"), kg, field="qty")
    assert error.value.field == "qty"


def test_seeded_units_speak_the_users_language_until_renamed(web):
    session = web.db.system()
    kg = unit_by_code(session, "kg")
    with web.app.test_request_context(), force_locale("es"):
        assert (kg.display_name, kg.category.display_name) == ("Kilogramo", "Peso")
        kg.name = "Kilo"
        assert kg.display_name == "Kilo"


def test_seeding_again_adds_only_what_is_missing(db):
    session = db.system()
    before = session.scalar(select(text("count(*)")).select_from(Uom))
    seed_units(session)
    assert session.scalar(select(text("count(*)")).select_from(Uom)) == before >= 17


def test_a_product_is_counted_in_units_unless_told_otherwise(db):
    session = db.as_user(db.user("catalogue", groups=["products.group_manager"]))
    company = db.main_company.id
    screws = create_product(session, company, code="TORN", name="Tornillo")
    paint = create_product(session, company, code="PINT", name="Pintura", uom_id=unit_by_code(session, "l").id,
                           cost=Decimal("4.125"))
    assert (screws.uom.code, screws.cost, paint.uom.code, paint.cost) == ("unit", 0, "l", Decimal("4.125"))
    update_product(session, paint, uom_id=None)
    assert paint.uom_id == unit_by_code(session, "unit").id
    with pytest.raises(ValidationError) as error:
        create_product(session, company, code="X", name="X", uom_id=999999)
    assert set(error.value.errors) == {"uom_id"}


def test_a_unit_keeps_its_category_and_factor_once_created(db):
    session = db.as_user(db.user("catalogue", groups=["products.group_manager"]))
    weight = unit_by_code(session, "kg").category_id
    sack = create_unit(session, code="sack25", name="Sack of 25 kg", category_id=weight, factor=Decimal(25))
    assert convert(Decimal(2), sack, unit_by_code(session, "kg")) == 50
    assert update_unit(session, sack, name="Saco de 25 kg").name == "Saco de 25 kg"
    with pytest.raises(ValidationError, match="category and factor cannot change") as error:
        update_unit(session, sack, factor=Decimal(20))
    assert error.value.field == "factor"
    with pytest.raises(ValidationError):
        create_unit(session, code="bad", name="Bad", category_id=weight, factor=Decimal(0))
    clerk = db.as_user(db.user("clerk", groups=["core.group_user"]))
    assert clerk.scalars(select(Uom.code).where(Uom.code == "sack25")).one() == "sack25"
    with pytest.raises(AccessDenied):
        create_unit(clerk, code="other", name="Other", category_id=weight, factor=Decimal(2))


def test_categories_form_a_tree_that_cannot_loop(db):
    session = db.as_user(db.user("catalogue", groups=["products.group_manager"]))
    company = db.main_company.id
    tools = create_category(session, company, name="Tools")
    power = create_category(session, company, name="Power tools", parent_id=tools.id)
    drills = create_category(session, company, name="Drills", parent_id=power.id)
    assert drills.display_name == "Tools / Power tools / Drills"
    with pytest.raises(ValidationError, match=r"Tools cannot be placed under Drills: that category is inside it "
                                              r"\(Tools / Power tools / Drills\).") as error:
        update_category(session, tools, parent_id=drills.id)
    assert error.value.field == "parent_id"
    assert tools.parent_id is None
    other = db.company("Otra S.L.")
    foreign = create_category(db.system(), other.id, name="Elsewhere")
    with pytest.raises(ValidationError):
        create_category(session, company, name="Under a foreign one", parent_id=foreign.id)
    product = create_product(session, company, code="DRILL", name="Drill", category_id=drills.id)
    assert product.category.full_name == "Tools / Power tools / Drills"


def test_the_product_form_offers_units_and_categories(web):
    manager = web.db.user("catalogue", groups=["products.group_manager"])
    client = web.client()
    client.login(manager.login)
    kg = unit_by_code(web.db.system(), "kg")
    form = {"code": "ARENA", "name": "Arena", "kind": "goods", "uom_id": str(kg.id), "list_price": "3",
            "cost": "1.5", "active": "y"}
    created = client.post("/products/products/new", data=form)
    assert created.status_code == 302, created.get_data(as_text=True)
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Kilogram" in page and "1.5" in page
    stored = web.db.system().scalars(select(Product).where(Product.code == "ARENA")).one()
    assert (stored.uom_id, stored.cost) == (kg.id, Decimal("1.5"))
    assert "Box of 12" in client.get("/products/units/?q=box").get_data(as_text=True)
    created = client.post("/products/categories/new", data={"name": "Áridos"})
    assert created.status_code == 302, created.get_data(as_text=True)
    assert web.db.system().scalars(select(ProductCategory.name)).all() == ["Áridos"]


def test_products_that_existed_before_units_are_counted_in_units(databases, catalog):
    url = databases.new()
    engine = initialized_database(url, catalog, ["products"])
    try:
        migrations = downgrade(engine, catalog, BEFORE_UNITS)
        with migration_transaction(engine) as connection:
            connection.execute(text(
                "INSERT INTO products_product (code, name, kind, list_price, active, company_id, created_at, "
                "updated_at) VALUES ('OLD', 'Old product', 'goods', 5, true, 1, '2026-01-01', '2026-01-01')"))
            migrations.upgrade(connection, "products")
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT u.code, p.cost FROM products_product p JOIN products_uom u ON u.id = p.uom_id")).one()
        assert (row[0], Decimal(row[1])) == ("unit", 0)
    finally:
        engine.dispose()
