from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.products.models import SERVICE, Product
from addons.products.services import create_product, update_product
from core.errors import AccessDenied, ValidationError


def test_a_manager_creates_a_product_with_a_fine_unit_price(db):
    session = db.as_user(db.user("buyer", groups=["products.group_manager"]))
    product = create_product(session, db.main_company.id, code="ETIQ", name="Etiqueta", kind=SERVICE,
                             list_price=Decimal("0.0035"))
    session.commit()
    stored = db.system().scalars(select(Product).where(Product.id == product.id)).one()
    assert (stored.display_name, stored.kind, stored.list_price, stored.active) == (
        "[ETIQ] Etiqueta", SERVICE, Decimal("0.0035"), True)


def test_a_products_user_reads_but_cannot_create(db):
    manager = db.as_user(db.user("boss", groups=["products.group_manager"]))
    create_product(manager, db.main_company.id, code="A", name="A")
    manager.commit()
    session = db.as_user(db.user("clerk", groups=["products.group_user"]))
    assert [p.code for p in session.scalars(select(Product))] == ["A"]
    with pytest.raises(AccessDenied):
        create_product(session, db.main_company.id, code="B", name="B")


def test_a_code_is_unique_within_the_company_only(db):
    session = db.system()
    other = db.company("Otra S.L.")
    create_product(session, db.main_company.id, code="A", name="A")
    create_product(session, other.id, code="A", name="A elsewhere")
    second = create_product(session, db.main_company.id, code="B", name="B")
    with pytest.raises(ValidationError, match="Another product already has the code A.") as error:
        create_product(session, db.main_company.id, code="A", name="Again")
    assert error.value.field == "code"
    with pytest.raises(ValidationError, match="Another product already has the code A."):
        update_product(session, second, code="A")
    assert update_product(session, second, code="B", name="Bee").name == "Bee"


def test_the_pages_create_a_product_and_name_a_code_already_used(web):
    manager = web.db.user("catalogue", groups=["products.group_manager"])
    client = web.client()
    client.login(manager.login)
    form = {"code": "TORN-M6", "name": "Tornillo M6", "kind": "goods", "list_price": "0.0035", "active": "y"}
    created = client.post("/products/products/new", data=form)
    assert created.status_code == 302, created.get_data(as_text=True)
    assert "[TORN-M6] Tornillo M6" in client.get(created.headers["Location"]).get_data(as_text=True)
    again = client.post("/products/products/new", data={**form, "name": "Otro"})
    assert again.status_code == 422
    assert "Another product already has the code TORN-M6." in again.get_data(as_text=True)
    listed = client.get("/products/products/?q=torn").get_data(as_text=True)
    assert "Tornillo M6" in listed and "Otro" not in listed
