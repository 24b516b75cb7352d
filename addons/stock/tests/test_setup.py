"""Each company's virtual locations and settings, and warehouses with their locations."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.products.services import create_product
from addons.stock.models import Location, StockSettings
from addons.stock.services.quants import on_hand
from addons.stock.services.setup import create_warehouse, stock_settings, warehouse_locations
from addons.stock.services.transfers import confirm_transfer, create_transfer, process_transfer
from core.errors import ValidationError
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

VIRTUAL_KINDS = {"supplier", "customer", "inventory", "transit", "production"}


def virtual_kinds(session, settings) -> set[str]:
    ids = [settings.location_id(kind) for kind in VIRTUAL_KINDS]
    return {location.kind for location in session.scalars(select(Location).where(Location.id.in_(ids)))}


def test_the_install_sets_up_every_company_and_a_later_one_on_first_use(db):
    session = db.system()
    main = session.scalars(select(StockSettings).where(StockSettings.company_id == db.main_company.id)).one()
    assert virtual_kinds(session, main) == VIRTUAL_KINDS
    later = db.company("Nuova S.r.l.")
    assert session.scalar(select(StockSettings).where(StockSettings.company_id == later.id)) is None
    clerk = db.as_user(db.user("magazziniere", groups=["stock.group_user"], companies=[later]))
    settings = stock_settings(clerk, later.id)  # a stock user cannot create locations, the setup can
    assert virtual_kinds(clerk, settings) == VIRTUAL_KINDS
    assert stock_settings(clerk, later.id) is settings


def test_a_warehouse_gets_its_view_and_stock_locations_and_a_code_used_once(db):
    session = db.as_user(db.user("jefe", groups=["stock.group_manager"]))
    warehouse = create_warehouse(session, db.main_company.id, code="MAD", name="Madrid")
    view, stock = warehouse_locations(session, warehouse)
    assert (view.kind, view.name, stock.kind, stock.display_name) == ("view", "MAD", "internal", "MAD/Stock")
    assert {view.warehouse_id, stock.warehouse_id} == {warehouse.id}
    with pytest.raises(ValidationError, match="Another warehouse already has the code MAD.") as error:
        create_warehouse(session, db.main_company.id, code="MAD", name="Madrid again")
    assert error.value.field == "code"


def test_stock_installs_alone_with_products_only_and_moves_stock(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["stock"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert set(registry.installed) == {"products", "stock"}
        with actor_session(make_session_factory(engine), registry, None) as session:
            company_id = session.scalars(select(StockSettings)).one().company_id
            warehouse = create_warehouse(session, company_id, code="SOLO", name="Solo")
            product_id = create_product(session, company_id, code="P", name="P").id
            for kind, quantity in (("receipt", 5), ("delivery", 2)):
                transfer = create_transfer(session, company_id, kind=kind, warehouse_id=warehouse.id,
                                           lines=[{"product_id": product_id, "quantity": Decimal(quantity)}])
                confirm_transfer(session, transfer)
                process_transfer(session, transfer)
            session.commit()
            assert on_hand(session, product_ids=[product_id]) == {product_id: (Decimal(3), Decimal(0))}
    finally:
        engine.dispose()
