"""Each company's virtual locations and settings, and warehouses with their locations.

A company gets its settings and its virtual locations (supplier, customer,
inventory loss, transit, production) when stock is installed, and any company
created later gets them the first time a service needs them
(:func:`stock_settings`), whoever the acting user is.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean
from core.models import Company
from core.sessions import system_rows
from core.transaction_cache import cached

from ..models import Location, StockSettings, Warehouse
from ..models.locations import INTERNAL, VIEW, VIRTUAL

#: the virtual locations' names, in English as stored data (users rename them freely)
VIRTUAL_NAMES = {"supplier": "Suppliers", "customer": "Customers", "inventory": "Inventory loss",
                 "transit": "Transit", "production": "Production"}
#: the code of the warehouse made for a company that has none when it first needs one (:func:`default_warehouse`)
DEFAULT_WAREHOUSE = "WH"


def set_up_company(session: Session, company_id: int) -> StockSettings:
    """Create the company's virtual locations and settings (the caller checks it has none)."""
    parent = Location(company_id=company_id, name="Virtual locations", kind=VIEW)
    session.add(parent)
    session.flush()
    locations = {kind: Location(company_id=company_id, name=VIRTUAL_NAMES[kind], kind=kind, parent_id=parent.id)
                 for kind in VIRTUAL}
    session.add_all(locations.values())
    session.flush()
    settings = StockSettings(company_id=company_id,
                             **{f"{kind}_location_id": row.id for kind, row in locations.items()})
    session.add(settings)
    session.flush()
    return settings


def set_up_missing_companies(session: Session) -> list[StockSettings]:
    """StockSettings and virtual locations for every company that has none yet (idempotent)."""
    missing = select(Company.id).where(Company.id.not_in(select(StockSettings.company_id))).order_by(Company.id)
    return [set_up_company(session, company_id) for company_id in session.scalars(missing).all()]


def stock_settings(session: Session, company_id: int) -> StockSettings:
    """The company's stock settings, set up on first use (read once per transaction)."""
    def load():
        found = session.scalar(select(StockSettings).where(StockSettings.company_id == company_id))
        if found is None:
            with system_rows(session) as system:
                set_up_company(system, company_id)
            found = session.scalar(select(StockSettings).where(StockSettings.company_id == company_id))
        return found

    return cached(session, ("stock.settings", company_id), load, depends_on=(StockSettings,))


def create_warehouse(session: Session, company_id: int, **values) -> Warehouse:
    """A warehouse with its view location and its stock location under it."""
    values = clean(Warehouse, values)
    code = values.get("code")
    if code and session.scalar(select(Warehouse.id).where(Warehouse.company_id == company_id,
                                                          Warehouse.code == code)) is not None:
        raise ValidationError(gettext("Another warehouse already has the code %(code)s.", code=code), "code")
    stock_settings(session, company_id)
    warehouse = Warehouse(company_id=company_id, **values)
    session.add(warehouse)
    session.flush()
    view = Location(company_id=company_id, name=warehouse.code, kind=VIEW, warehouse_id=warehouse.id)
    session.add(view)
    session.flush()
    session.add(Location(company_id=company_id, name="Stock", kind=INTERNAL, parent_id=view.id,
                         warehouse_id=warehouse.id))
    session.flush()
    return warehouse


def default_warehouse(session: Session, company_id: int) -> Warehouse:
    """The company's first active warehouse; a company with none gets a "Main warehouse" (code WH), so the
    first order that moves goods for it has somewhere to move them."""
    found = session.scalars(select(Warehouse).where(Warehouse.company_id == company_id,
                                                    Warehouse.active.is_(True)).order_by(Warehouse.id)).first()
    if found is None:
        found = create_warehouse(session, company_id, code=DEFAULT_WAREHOUSE, name=gettext("Main warehouse"))
    return found


def warehouse_locations(session: Session, warehouse: Warehouse) -> tuple[Location, Location]:
    """The warehouse's view location and its stock location (the first internal location under the view)."""
    view = session.scalars(select(Location).where(Location.warehouse_id == warehouse.id,
                                                  Location.parent_id.is_(None)).order_by(Location.id)).first()
    stock = session.scalars(select(Location).where(Location.parent_id == view.id, Location.kind == INTERNAL)
                            .order_by(Location.id)).first() if view is not None else None
    if stock is None:
        raise ValidationError(gettext("Warehouse %(name)s has no stock location.", name=warehouse.display_name),
                              "warehouse_id")
    return view, stock
