"""Where stock is: warehouses, the tree of locations, and each company's stock settings.

A location's ``kind`` says what it is: ``view`` (a folder of other locations,
holding nothing itself), ``internal`` (shelves the company owns), ``transit``
(between warehouses), and the virtual counterparts of every move:
``supplier``, ``customer``, ``inventory`` (losses and gains of counts) and
``production``. Each company has one virtual location of each of these kinds,
named in its :class:`StockSettings` row (``services.setup``).
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field
from core.models import User

Quantity = Numeric(18, 4)

VIEW, INTERNAL, TRANSIT = "view", "internal", "transit"
SUPPLIER, CUSTOMER, INVENTORY, PRODUCTION = "supplier", "customer", "inventory", "production"
KINDS = ((VIEW, _l("View")), (INTERNAL, _l("Internal")), (SUPPLIER, _l("Supplier")), (CUSTOMER, _l("Customer")),
         (INVENTORY, _l("Inventory loss")), (TRANSIT, _l("Transit")), (PRODUCTION, _l("Production")))
#: the kinds whose stock the company holds: quants are kept for these only
HELD = (INTERNAL, TRANSIT)
#: the company's virtual locations, one of each kind (StockSettings.<kind>_location_id)
VIRTUAL = (SUPPLIER, CUSTOMER, INVENTORY, TRANSIT, PRODUCTION)

UNITS, VOLUME = "units", "volume"
CAPACITY_UNITS = ((UNITS, _l("Units")), (VOLUME, _l("Volume")))
REFUSE, WARN = "refuse", "warn"
CAPACITY_POLICIES = ((REFUSE, _l("Refuse the move")), (WARN, _l("Warn and accept")))


#: the users limited to some warehouses (a user listed on none works in every warehouse of their companies)
warehouse_users = Table(
    "stock_warehouse_user",
    Base.metadata,
    Column("warehouse_id", ForeignKey("stock_warehouse.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Warehouse(CompanyMixin, TimestampMixin, Base):
    """A building with its own locations: a view location (no parent, ``warehouse_id`` this one) above its
    stock location (the first internal location under it, where receipts arrive and deliveries leave from);
    ``services.setup.warehouse_locations`` finds them."""

    __tablename__ = "stock_warehouse"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(8), info=field(_l("Code"), format="code", listed=True,
                                                            help=_l("Short; prefixes its transfers' references.")))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))
    users: Mapped[list[User]] = relationship(secondary=warehouse_users, info=field(
        _l("Users limited to it"), help=_l("Users listed on some warehouses see and move stock only there; a user "
                                           "listed on none works in every warehouse.")))

    @property
    def display_name(self) -> str:
        return f"{self.code} {self.name}"


class Location(CompanyMixin, TimestampMixin, Base):
    """A place stock is in or moves through; a tree under each warehouse's view location.

    ``capacity`` (in units, or in volume when ``capacity_unit`` says so) bounds
    what the location holds: a move into it that would exceed it is refused or
    accepted with a warning, as ``capacity_policy`` says (empty: the company's).
    """

    __tablename__ = "stock_location"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    kind: Mapped[str] = mapped_column(String(16), default=INTERNAL, info=field(_l("Kind"), choices=KINDS, listed=True))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id"), index=True, info=field(
        _l("Parent location"), listed=True))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("stock_warehouse.id"), index=True, info=field(
        _l("Warehouse"), listed=True))
    capacity: Mapped[Decimal | None] = mapped_column(Quantity, info=field(
        _l("Capacity"), minimum=Decimal(0), help=_l("Empty: no limit.")))
    capacity_unit: Mapped[str] = mapped_column(String(8), default=UNITS, info=field(
        _l("Capacity in"), choices=CAPACITY_UNITS))
    capacity_policy: Mapped[str | None] = mapped_column(String(8), info=field(
        _l("When full"), choices=CAPACITY_POLICIES, help=_l("Empty: the company's stock settings decide.")))
    barcode: Mapped[str | None] = mapped_column(String(64), info=field(_l("Barcode"), format="code"))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    parent: Mapped[Location | None] = relationship(remote_side="Location.id")
    warehouse: Mapped[Warehouse | None] = relationship(foreign_keys=[warehouse_id])

    @property
    def display_name(self) -> str:
        return f"{self.parent.name}/{self.name}" if self.parent is not None else self.name


class StockSettings(CompanyMixin, Base):
    """A company's stock settings: its virtual locations and what a full location does by default."""

    __tablename__ = "stock_settings"
    __table_args__ = (UniqueConstraint("company_id"),)

    id: Mapped[intpk]
    supplier_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Supplier location"), readonly=True))
    customer_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Customer location"), readonly=True))
    inventory_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Inventory loss location"), readonly=True))
    transit_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Transit location"), readonly=True))
    production_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Production location"), readonly=True))
    capacity_policy: Mapped[str] = mapped_column(String(8), default=REFUSE, info=field(
        _l("When a location is full"), choices=CAPACITY_POLICIES))

    def location_id(self, kind: str) -> int:
        return getattr(self, f"{kind}_location_id")
