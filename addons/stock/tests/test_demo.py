"""The demo: a Spanish and an Italian warehouse, a few weeks of receipts, a transfer to Milan and deliveries done,
one waiting."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.products import demo as products_demo
from addons.products.models import Product
from addons.stock import demo
from addons.stock.models import StockMove, Transfer, ValuationEntry, Warehouse
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
    assert states == ["done", "done", "done", "done", "done", "waiting"]


def test_the_demo_moves_are_spread_over_the_last_weeks_and_valued_on_their_days(db):
    session = db.system()
    company = session.get(Company, db.main_company.id)
    products_demo.load(session, company)
    demo.load(session, company)
    done = session.execute(select(Transfer.id, Transfer.date_done, Transfer.scheduled_date)
                           .where(Transfer.company_id == company.id, Transfer.state == "done")
                           .order_by(Transfer.id)).all()
    days = [date_done.date() for _id, date_done, _scheduled in done]
    today = dt.date.today()
    assert days == sorted(days) and len(set(days)) == len(days) == 5
    assert today - dt.timedelta(days=35) <= days[0] and days[-1] < today
    assert all(date_done.date() == scheduled for _id, date_done, scheduled in done)
    moves = session.execute(select(StockMove.id, StockMove.date, StockMove.transfer_id)
                            .where(StockMove.company_id == company.id, StockMove.state == "done")).all()
    done_on = {transfer_id: date_done for transfer_id, date_done, _scheduled in done}
    assert all(date == done_on[transfer_id] for _id, date, transfer_id in moves)
    valued = dict(session.execute(select(ValuationEntry.move_id, ValuationEntry.date)
                                  .where(ValuationEntry.company_id == company.id)).all())
    assert valued and all(valued[move_id] == date for move_id, date, _transfer in moves if move_id in valued)
