"""The stock pages: every list opens for a manager, a warehouse is created through its form."""
import pytest
from sqlalchemy import select

from addons.stock.models import Location, Warehouse

LISTS = ("warehouses", "locations", "lots", "transfers", "moves", "quants", "counts")


@pytest.fixture
def manager(web):
    web.db.user("jefe", groups=["stock.group_manager"])
    client = web.client()
    client.login("jefe")
    return client


def test_every_list_opens_and_the_menu_names_them(manager):
    for slug in LISTS:
        assert manager.get(f"/stock/{slug}/").status_code == 200, slug
    assert "<span>Inventory</span>" in manager.get("/").get_data(as_text=True)
    assert 'href="/stock/warehouses/"' in manager.get("/stock/transfers/").get_data(as_text=True)


def test_a_warehouse_made_on_its_form_gets_its_locations(web, manager):
    created = manager.post("/stock/warehouses/new", {"code": "MIL", "name": "Milano", "active": "y"})
    assert created.status_code == 302, created.get_data(as_text=True)
    session = web.db.system()
    warehouse = session.scalars(select(Warehouse).where(Warehouse.code == "MIL")).one()
    names = set(session.scalars(select(Location.name).where(Location.warehouse_id == warehouse.id)))
    assert names == {"MIL", "Stock"}
