"""The demo: a Spanish and an Italian warehouse, receipts, a transfer to Milan and deliveries done, one waiting."""
from decimal import Decimal

from sqlalchemy import select

from addons.products import demo as products_demo
from addons.products.models import Product
from addons.stock import demo
from addons.stock.models import Transfer, Warehouse
from addons.stock.services.quants import on_hand
from addons.stock.services.setup import warehouse_locations
from core.models import Company


def test_the_demo_fills_two_warehouses_through_the_services(db):
    session = db.system()
    company = session.get(Company, db.main_company.id)
    products_demo.load(session, company)
    demo.load(session, company)
    warehouses = {w.code: w for w in session.scalars(select(Warehouse).where(Warehouse.company_id == company.id))}
    assert {"MAD", "MIL"} <= set(warehouses)
    codes = dict(session.execute(select(Product.code, Product.id).where(Product.company_id == company.id)).all())
    _view, milan = warehouse_locations(session, warehouses["MIL"])
    screws, drill, paint = codes["TORN-M6"], codes["TALADRO-18V"], codes["PINT-BL-5L"]
    assert on_hand(session, product_ids=[screws], location_ids=[milan.id])[screws] == (Decimal(60), Decimal(0))
    assert on_hand(session, product_ids=[screws, drill, paint]) == {
        screws: (Decimal(240 - 48), Decimal(0)), drill: (Decimal(3), Decimal(0)), paint: (Decimal(48), Decimal(48))}
    states = session.scalars(select(Transfer.state).where(Transfer.company_id == company.id)
                             .order_by(Transfer.id)).all()
    assert states == ["done", "done", "done", "done", "waiting"]
