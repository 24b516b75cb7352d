"""Twenty deliveries of one unit, confirmed then processed at the same moment by twenty real connections, against
ten units in stock: exactly ten are reserved and done, and stock never goes below zero (PostgreSQL); the same
with the ten units on two shelves under the stock location the deliveries leave from."""
import os
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.products.services import create_product
from addons.stock.models import Location, Quant, StockMove, Transfer
from addons.stock.services.setup import create_warehouse, warehouse_locations
from addons.stock.services.transfers import confirm_transfer, create_transfer, process_transfer
from core.db import make_engine
from core.errors import ValidationError
from core.sessions import make_session_factory
from core.testing import TEST_URL_ENV, TestData

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(not (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql"),
                       reason="concurrent reservation needs PostgreSQL (set BOTTEGA_TEST_DATABASE_URL)"),
]

DELIVERIES, IN_STOCK = 20, 10


def all_at_once(action, transfer_ids, user, db_copy) -> tuple[list[int], list[Exception]]:
    """``action(session, transfer)`` for every transfer, each in its own connection, started together; the ids
    committed and the errors raised."""
    engine = make_engine(db_copy.engine.url.render_as_string(hide_password=False), pool_size=len(transfer_ids))
    writers = TestData(db_copy.registry, make_session_factory(engine))
    try:
        return _run(action, transfer_ids, [writers.as_user(user) for _ in transfer_ids])
    finally:
        writers.close_all()
        engine.dispose()


def _run(action, transfer_ids, sessions) -> tuple[list[int], list[Exception]]:
    start = threading.Barrier(len(sessions))
    committed, errors = [], []

    def run(session, transfer_id):
        try:
            transfer = session.get(Transfer, transfer_id)
            start.wait(timeout=60)
            action(session, transfer)
            session.commit()
            committed.append(transfer_id)
        except Exception as error:  # reported by the main thread
            errors.append(error)
            session.rollback()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(sessions, transfer_ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return committed, errors


def stock(db_copy, product_id) -> tuple[Decimal, Decimal, Decimal]:
    with db_copy.factory() as check:
        return check.execute(select(func.sum(Quant.quantity), func.sum(Quant.reserved), func.min(Quant.quantity))
                             .where(Quant.product_id == product_id)).one()


def twenty_deliveries(session, company_id: int, warehouse_id: int, product_id: int) -> list[int]:
    return [create_transfer(session, company_id, kind="delivery", warehouse_id=warehouse_id,
                            lines=[{"product_id": product_id, "quantity": Decimal(1)}]).id for _ in range(DELIVERIES)]


def ten_done_the_rest_refused(db_copy, deliveries, clerk, product_id, stock_name) -> list[int]:
    """Process the confirmed deliveries all at once: ten are done, the others refused for want of stock."""
    done, refused = all_at_once(lambda s, t: process_transfer(s, t, backorder=False), deliveries, clerk, db_copy)
    assert len(done) == IN_STOCK and len(refused) == DELIVERIES - IN_STOCK
    assert all(isinstance(error, ValidationError) and f"only 0 available at {stock_name}, 1 asked" in str(error)
               for error in refused), refused
    assert stock(db_copy, product_id) == (0, 0, 0)
    return done


def test_twenty_deliveries_at_once_reserve_and_take_exactly_the_ten_units_in_stock(db_copy):
    session = db_copy.system()
    company_id = db_copy.main_company.id
    warehouse = create_warehouse(session, company_id, code="CON", name="Concurrencia")
    product_id = create_product(session, company_id, code="ULTIMA", name="Última unidad").id
    receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                              lines=[{"product_id": product_id, "quantity": Decimal(IN_STOCK)}])
    process_transfer(session, receipt)
    deliveries = twenty_deliveries(session, company_id, warehouse.id, product_id)
    session.commit()
    clerk = db_copy.user("mozo", groups=["stock.group_user"])

    confirmed, errors = all_at_once(confirm_transfer, deliveries, clerk, db_copy)
    assert not errors and sorted(confirmed) == sorted(deliveries)
    with db_copy.factory() as check:
        states = check.execute(select(Transfer.state, func.count()).where(Transfer.id.in_(deliveries))
                               .group_by(Transfer.state)).all()
    assert dict(states) == {"ready": IN_STOCK, "waiting": DELIVERIES - IN_STOCK}
    assert stock(db_copy, product_id) == (IN_STOCK, IN_STOCK, IN_STOCK)

    ten_done_the_rest_refused(db_copy, deliveries, clerk, product_id, "CON/Stock")


def test_twenty_deliveries_done_at_once_without_confirming_first_take_only_what_is_there(db_copy):
    session = db_copy.system()
    company_id = db_copy.main_company.id
    warehouse = create_warehouse(session, company_id, code="RAC", name="Carrera")
    product_id = create_product(session, company_id, code="CARRERA", name="Carrera").id
    receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                              lines=[{"product_id": product_id, "quantity": Decimal(IN_STOCK)}])
    process_transfer(session, receipt)
    deliveries = twenty_deliveries(session, company_id, warehouse.id, product_id)
    session.commit()
    clerk = db_copy.user("rapido", groups=["stock.group_user"])

    done, refused = all_at_once(process_transfer, deliveries, clerk, db_copy)
    assert len(done) == IN_STOCK and len(refused) == DELIVERIES - IN_STOCK
    assert all(isinstance(error, ValidationError) for error in refused), refused
    assert stock(db_copy, product_id) == (0, 0, 0)


def test_twenty_deliveries_from_the_stock_at_once_take_exactly_the_ten_units_on_its_shelves(db_copy):
    session = db_copy.system()
    company_id = db_copy.main_company.id
    warehouse = create_warehouse(session, company_id, code="EST", name="Estanterías")
    stock_location = warehouse_locations(session, warehouse)[1]
    shelves = [Location(company_id=company_id, name=f"Shelf {n}", kind="internal", parent_id=stock_location.id)
               for n in (1, 2)]
    session.add_all(shelves)
    session.flush()
    product_id = create_product(session, company_id, code="BALDA", name="Balda").id
    for shelf in shelves:
        receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                                  dest_location_id=shelf.id,
                                  lines=[{"product_id": product_id, "quantity": Decimal(IN_STOCK // 2)}])
        process_transfer(session, receipt)
    deliveries = twenty_deliveries(session, company_id, warehouse.id, product_id)
    session.commit()
    clerk = db_copy.user("estante", groups=["stock.group_user"])

    confirmed, errors = all_at_once(confirm_transfer, deliveries, clerk, db_copy)
    assert not errors and sorted(confirmed) == sorted(deliveries)
    assert stock(db_copy, product_id) == (IN_STOCK, IN_STOCK, IN_STOCK // 2)

    done = ten_done_the_rest_refused(db_copy, deliveries, clerk, product_id, "EST/Stock")
    with db_copy.factory() as check:
        sources = check.execute(select(StockMove.source_location_id, func.count())
                                .where(StockMove.transfer_id.in_(done), StockMove.state == "done")
                                .group_by(StockMove.source_location_id)).all()
    assert dict(sources) == {shelf.id: IN_STOCK // 2 for shelf in shelves}
