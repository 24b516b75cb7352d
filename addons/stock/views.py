"""The stock UI from the generic views: warehouses, locations, lots, transfers, moves, quants, counts.

Records whose rows only services write (moves, quants) are not imported; a
transfer's own page (``web.transfers``) holds its moves and its buttons.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from addons.products.models import Uom
from core.web.context import can, db
from core.web.views import ModelView

from . import models as m
from .models.locations import HELD
from .models.moves import STATES
from .services import counts, lots, setup, transfers


class WarehouseView(ModelView):
    def create(self, session, actor, values):
        return setup.create_warehouse(session, actor.company_id, **values)


class TransferView(ModelView):
    """Transfers: created through the service (numbered, locations by kind); the record page holds the moves
    and the buttons."""

    record_template = "stock/transfer_record.html"
    status_field = "state"

    def create(self, session, actor, values):
        return transfers.create_transfer(session, actor.company_id, **values)

    def record_context(self, record) -> dict:
        units = db().scalars(select(Uom).where(Uom.active.is_(True)).order_by(Uom.category_id, Uom.factor)).all()
        return {"can_process": can(m.StockMove, "write"), "move_states": dict(STATES), "units": units}


class CountView(ModelView):
    record_template = "stock/count_record.html"

    def create(self, session, actor, values):
        return counts.create_count(session, actor.company_id, **values)

    def record_context(self, record) -> dict:
        places = db().scalars(select(m.Location).where(m.Location.id.in_(
            counts.locations_under(db(), location_id=record.location_id)), m.Location.kind.in_(HELD))
            .order_by(m.Location.id)).all()
        return {"can_count": can(m.Count, "write"), "places": places}


class LotView(ModelView):
    record_template = "stock/lot_record.html"

    def create(self, session, actor, values):
        return lots.create_lot(session, actor.company_id, **values)


class SettingsView(ModelView):
    """Each company's stock settings: one row per company, made by the setup, never imported nor created here."""

    importable = False


class ReadOnlyView(ModelView):
    """Rows the services write: listed, exported and shown, never imported."""

    importable = False


def stock_views() -> tuple[ModelView, ...]:
    return (
        WarehouseView(m.Warehouse, name="warehouse", slug="warehouses", label=_l("Warehouse"),
                      label_plural=_l("Warehouses"), search_fields=("code", "name")),
        ModelView(m.Location, name="location", slug="locations", label=_l("Location"), label_plural=_l("Locations"),
                  search_fields=("name", "barcode")),
        LotView(m.Lot, name="lot", slug="lots", label=_l("Lot / serial number"),
                label_plural=_l("Lots and serial numbers")),
        TransferView(m.Transfer, name="transfer", slug="transfers", label=_l("Transfer"), label_plural=_l("Transfers"),
                    search_fields=("name", "origin"), default_order="scheduled_date",
                    form_fields=("kind", "warehouse_id", "source_location_id", "dest_location_id", "scheduled_date",
                                 "origin", "note")),
        ReadOnlyView(m.StockMove, name="move", slug="moves", label=_l("Move"), label_plural=_l("Moves"),
                     search_fields=(), default_order="id"),
        ReadOnlyView(m.Quant, name="quant", slug="quants", label=_l("Stock on hand"),
                     label_plural=_l("Stock on hand"), search_fields=(), default_order="id"),
        SettingsView(m.StockSettings, name="settings", slug="settings", label=_l("Stock settings"),
                     label_plural=_l("Stock settings"), list_columns=("company_id", "capacity_policy"),
                     search_fields=(), form_fields=("capacity_policy",), default_order="id"),
        CountView(m.Count, name="count", slug="counts", label=_l("Inventory count"),
                  label_plural=_l("Inventory counts")),
    )
