"""The stock fields of products and categories (extensions): on the product's pages only while stock is installed,
their rows kept when it is uninstalled and dropped, alone, by a purge; a barcode used once per company; the
valuation method a product falls back on."""
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, inspect

from addons.products.models import Product
from addons.products.services import create_category
from addons.stock.models import CategoryStock, ProductStock
from addons.stock.services.rules import valuation_methods
from core.errors import ValidationError
from core.lifecycle import Lifecycle
from core.testing import ADMIN_PASSWORD
from tests.lifecycle_helpers import query


def test_the_product_pages_show_the_stock_fields_only_while_stock_is_installed(served, catalog):
    client_for_served, url = served(catalog, ["stock"])
    admin = client_for_served()
    admin.login("admin", ADMIN_PASSWORD)
    assert "Stock type" in admin.get("/products/products/new").get_data(as_text=True)
    created = admin.post("/products/products/new", {"code": "TALADRO", "name": "Taladro", "kind": "goods",
                                                    "list_price": "89.90", "active": "y", "stock_type": "stockable",
                                                    "tracking": "serial", "barcode": "8412345678905",
                                                    "weight": "1.8"})
    assert created.status_code == 302, created.get_data(as_text=True)
    page = created.headers["Location"]
    assert "<dt>Barcode</dt><dd>8412345678905</dd>" in admin.get(page).get_data(as_text=True)

    admin.get("/settings/addons/stock/uninstall")
    assert admin.post("/settings/addons/stock/uninstall").status_code == 302
    for shown in (page, page + "/edit", "/products/products/new"):
        text = admin.get(shown).get_data(as_text=True)
        assert "Barcode" not in text and "Stock type" not in text, shown
    assert query(url, "SELECT barcode, tracking FROM stock_product") == [("8412345678905", "serial")]

    admin.get("/settings/addons/stock/install")
    assert admin.post("/settings/addons/stock/install").status_code == 302
    assert "<dt>Barcode</dt><dd>8412345678905</dd>" in admin.get(page).get_data(as_text=True)

    engine = create_engine(url)
    try:
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_uninstall("stock", purge_data=True))
        tables = set(inspect(engine).get_table_names())
        assert not {name for name in tables if name.startswith("stock_")}
        assert {"products_product", "products_category", "products_uom"} <= tables
        assert query(url, "SELECT code FROM products_product") == [("TALADRO",)]
    finally:
        engine.dispose()


def test_a_barcode_is_used_once_per_company(shop):
    shop.product("A", barcode="8412345678905")
    other = shop.db.company("Otra S.L.")
    system = shop.db.system()
    elsewhere = Product(company_id=other.id, code="A", name="A elsewhere",
                        uom_id=shop.session.get(Product, shop.product("C")).uom_id)
    system.add(elsewhere)
    system.flush()
    system.add(ProductStock(product_id=elsewhere.id, barcode="8412345678905"))
    system.flush()
    assert system.get(ProductStock, elsewhere.id).company_id == other.id
    with pytest.raises(ValidationError, match="Another product already has the barcode 8412345678905.") as error:
        shop.product("B", barcode="8412345678905")
    assert error.value.field == "barcode"


def test_a_product_is_valued_by_its_own_method_else_its_category_s_else_fifo(shop):
    tools = create_category(shop.session, shop.company_id, name="Herramientas")
    shop.session.add(CategoryStock(category_id=tools.id, valuation_method="average"))
    plain, own, in_category = shop.product("A"), shop.product("B", valuation_method="standard"), shop.product("C")
    shop.session.get(Product, in_category).category_id = tools.id
    shop.session.flush()
    assert shop.session.get(CategoryStock, tools.id).company_id == shop.company_id
    assert valuation_methods(shop.session, product_ids=[plain, own, in_category]) == {
        plain: "fifo", own: "standard", in_category: "average"}
    assert Decimal(0) == shop.session.get(Product, plain).cost
