"""The demo: bills on two levels and a kit, components bought, legs made, tables half made, one order waiting."""
from decimal import Decimal

from sqlalchemy import select

from addons.manufacturing import demo
from addons.manufacturing.models import Bom, Production
from addons.manufacturing.services.costing import rollup_cost
from addons.products import demo as products_demo
from addons.products.models import Product
from addons.stock import demo as stock_demo
from addons.stock.services.quants import on_hand
from core.models import Company


def test_the_demo_makes_legs_and_tables_through_the_services(db):
    session = db.system()
    company = session.get(Company, db.main_company.id)
    products_demo.load(session, company)
    stock_demo.load(session, company)
    demo.load(session, company)
    codes = dict(session.execute(select(Product.code, Product.id).where(Product.company_id == company.id)).all())
    kinds = sorted(session.scalars(select(Bom.kind).where(Bom.company_id == company.id)))
    assert kinds == ["kit", "normal", "normal"]
    states = [(p.product.code, p.state, p.quantity_done) for p in session.scalars(
        select(Production).where(Production.company_id == company.id).order_by(Production.id))]
    assert states == [("MF-LEG", "done", 16), ("MF-TABLE", "progress", 2), ("MF-TABLE", "confirmed", 0)]
    assert on_hand(session, product_ids=[codes["MF-TABLE"]])[codes["MF-TABLE"]][0] == 2
    legs = session.get(Product, codes["MF-LEG"])
    assert legs.cost > 0
    rollup = rollup_cost(session, session.get(Product, codes["MF-TABLE"]), Decimal(1))
    assert rollup.missing == [] and rollup.materials > 0 and rollup.operations > 0
