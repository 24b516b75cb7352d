"""The stock pages: every list opens for a manager, a warehouse is created through its form, a clerk receives
and delivers through a transfer's page and its scanning page."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.products.services import create_product
from addons.stock.models import Count, Location, Lot, ProductStock, StockSettings, Transfer, Warehouse
from addons.stock.services.lots import create_lot
from addons.stock.services.quants import on_hand
from addons.stock.services.setup import create_warehouse, warehouse_locations
from addons.stock.services.transfers import create_transfer, process_transfer

LISTS = ("warehouses", "locations", "lots", "transfers", "moves", "quants", "counts", "settings")


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


def test_a_clerk_receives_then_delivers_through_the_transfer_pages_and_the_scanning_page(web):
    session = web.db.system()
    company_id = web.db.main_company.id
    warehouse = create_warehouse(session, company_id, code="MAD", name="Madrid")
    screw = create_product(session, company_id, code="TORN", name="Tornillo")
    session.add(ProductStock(product_id=screw.id, barcode="8412345678905"))
    session.commit()
    web.db.user("mozo", groups=["stock.group_user"])
    client = web.client()
    client.login("mozo")

    created = client.post("/stock/transfers/new", {"kind": "receipt", "warehouse_id": str(warehouse.id),
                                                    "scheduled_date": "2026-12-03"})
    assert created.status_code == 302, created.get_data(as_text=True)
    page = created.headers["Location"]
    transfer_id = int(page.rstrip("/").rsplit("/", 1)[1])
    assert client.post(f"/stock/transfers/{transfer_id}/moves", {"code": "TORN", "quantity": "10"}).status_code == 302
    client.post(f"/stock/transfers/{transfer_id}/confirm")
    record = client.get(page).get_data(as_text=True)
    assert "[TORN] Tornillo" in record and "Process without backorder" in record
    client.post(f"/stock/transfers/{transfer_id}/process")
    assert web.db.system().get(Transfer, transfer_id).state == "done"

    delivery = client.post("/stock/transfers/new", {"kind": "delivery", "warehouse_id": str(warehouse.id),
                                                     "scheduled_date": "2026-12-03"})
    delivery_id = int(delivery.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(f"/stock/transfers/{delivery_id}/moves", {"code": "8412345678905", "quantity": "3"})
    client.post(f"/stock/transfers/{delivery_id}/confirm")
    scan_page = client.get(f"/stock/transfers/{delivery_id}/scan").get_data(as_text=True)
    assert 'name="code"' in scan_page and "autofocus" in scan_page
    for _ in range(2):
        assert client.post(f"/stock/transfers/{delivery_id}/scan", {"code": "8412345678905"}).status_code == 302
    unknown = client.post(f"/stock/transfers/{delivery_id}/scan", {"code": "000"}, follow_redirects=True)
    assert "Nothing in this transfer has the code 000." in unknown.get_data(as_text=True)
    assert "2 / 3" in client.get(f"/stock/transfers/{delivery_id}/scan").get_data(as_text=True).replace(
        '<span class="done">2</span>', "2")
    processed = client.post(f"/stock/transfers/{delivery_id}/process", {"next": "scan"}, follow_redirects=True)
    assert "the rest waits in backorder MAD/OUT/00002" in processed.get_data(as_text=True)
    check = web.db.system()
    assert on_hand(check, product_ids=[screw.id])[screw.id] == (Decimal(8), Decimal(1))


def test_a_manager_counts_on_the_count_page_and_reads_a_lot_s_traceability(web, manager):
    session = web.db.system()
    company_id = web.db.main_company.id
    warehouse = create_warehouse(session, company_id, code="MAD", name="Madrid")
    milk = create_product(session, company_id, code="LECHE", name="Leche")
    session.add(ProductStock(product_id=milk.id, tracking="lot"))
    session.flush()
    batch = create_lot(session, company_id, product_id=milk.id, name="L-42")
    receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id, origin="PO-7",
                              lines=[{"product_id": milk.id, "quantity": Decimal(6), "lot_id": batch.id}])
    process_transfer(session, receipt)
    session.commit()
    view, stock = warehouse_locations(session, warehouse)

    created = manager.post("/stock/counts/new", {"name": "Diciembre", "location_id": str(view.id)})
    assert created.status_code == 302, created.get_data(as_text=True)
    page = created.headers["Location"]
    count_id = int(page.rstrip("/").rsplit("/", 1)[1])
    manager.post(f"/stock/counts/{count_id}/start")
    line = web.db.system().get(Count, count_id).lines[0]
    assert f'name="counted-{line.id}"' in manager.get(page).get_data(as_text=True)
    posted = manager.post(f"/stock/counts/{count_id}/record", {f"counted-{line.id}": "4", "post": "1"},
                          follow_redirects=True)
    assert "Posted." in posted.get_data(as_text=True)
    assert on_hand(web.db.system(), product_ids=[milk.id])[milk.id] == (Decimal(4), Decimal(0))

    traced = manager.get(f"/stock/lots/{batch.id}/trace").get_data(as_text=True)
    assert "PO-7" in traced and "Inventory loss" in traced and "MAD/Stock: 4" in traced


def test_a_manager_sets_what_a_full_location_does_for_the_company(web, manager):
    settings_id = web.db.system().scalars(select(StockSettings.id).where(
        StockSettings.company_id == web.db.main_company.id)).one()
    saved = manager.post(f"/stock/settings/{settings_id}/edit", {"capacity_policy": "warn"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert web.db.system().get(StockSettings, settings_id).capacity_policy == "warn"
    assert "/stock/settings/new" not in manager.get("/stock/settings/").get_data(as_text=True)


def test_a_counter_adds_a_found_lot_on_the_count_page_and_a_wrong_lot_is_a_clear_message(web, manager):
    session = web.db.system()
    company_id = web.db.main_company.id
    warehouse = create_warehouse(session, company_id, code="MAD", name="Madrid")
    milk = create_product(session, company_id, code="LECHE", name="Leche")
    drill = create_product(session, company_id, code="TALADRO", name="Taladro")
    create_product(session, company_id, code="TORN", name="Tornillo")
    session.add_all([ProductStock(product_id=milk.id, tracking="lot"), ProductStock(product_id=drill.id,
                                                                                    tracking="serial")])
    view, stock = warehouse_locations(session, warehouse)
    count = Count(company_id=company_id, name="Enero", location_id=view.id, state="counting")
    session.add(count)
    session.commit()
    add = f"/stock/counts/{count.id}/lines"

    def post(code, lot, counted):
        answer = manager.post(add, {"code": code, "lot": lot, "location_id": str(stock.id), "counted": counted},
                              follow_redirects=True)
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    assert "Added." in post("LECHE", "L-NEW", "3")
    page = post("LECHE", "L-NEW", "1")
    assert "[LECHE] Leche: this count already has a line for L-NEW at MAD/Stock" in page
    assert "[TALADRO] Taladro: a serial number is one unit: count it as 0 or 1." in post("TALADRO", "SN-1", "2")
    assert "[TORN] Tornillo: it is not tracked by lots: leave the lot empty." in post("TORN", "X", "1")
    assert "[LECHE] Leche: choose its lot or serial number." in post("LECHE", "", "1")
    check = web.db.system()
    lines = check.get(Count, count.id).lines
    assert [(line.product_id, line.lot.name, line.counted) for line in lines] == [(milk.id, "L-NEW", Decimal(3))]
    assert check.scalars(select(Lot.name).where(Lot.product_id == drill.id)).all() == []  # rolled back
    page = manager.get(f"/stock/counts/{count.id}").get_data(as_text=True)
    assert "L-NEW" in page and f'<option value="{stock.id}">' in page
    assert f'<option value="{view.id}">' not in page  # a folder of locations holds nothing to count
