"""Transfers: receipts, deliveries, internal transfers and returns, each a group of moves.

A transfer is created in draft with its moves, confirmed (its moves reserve
what they can), and processed: the quantities done are moved, and what is
left goes to a backorder (a new transfer, ``backorder_of_id``), or is
cancelled when no backorder is wanted. A return reverses the done moves of a
transfer, up to what was not returned yet. The scanning page records done
quantities one barcode at a time (:func:`scan`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.bulk import insert_rows, update_rows
from core.errors import ValidationError
from core.fields import clean
from core.sequences import next_number

from ..models import Lot, ProductStock, StockMove, Transfer, Warehouse
from ..models.moves import CANCELLED, DELIVERY, DONE, DRAFT, INTERNAL_TRANSFER, RECEIPT
from . import moves as move_services
from .lots import lot_named
from .moves import PLACES
from .rules import number
from .setup import stock_settings, warehouse_locations

PREFIXES = {RECEIPT: "IN", DELIVERY: "OUT", INTERNAL_TRANSFER: "INT"}
REVERSED = {RECEIPT: DELIVERY, DELIVERY: RECEIPT, INTERNAL_TRANSFER: INTERNAL_TRANSFER}
ZERO = Decimal(0)


def default_locations(session: Session, warehouse: Warehouse, kind: str) -> tuple[int, int]:
    """Where a transfer of ``kind`` goes by default: receipts from suppliers to the warehouse's stock,
    deliveries from its stock to customers, internal transfers within its stock."""
    settings = stock_settings(session, warehouse.company_id)
    _view, stock = warehouse_locations(session, warehouse)
    return {RECEIPT: (settings.supplier_location_id, stock.id),
            DELIVERY: (stock.id, settings.customer_location_id),
            INTERNAL_TRANSFER: (stock.id, stock.id)}[kind]


def create_transfer(session: Session, company_id: int, *, lines: Sequence[Mapping] = (), **values) -> Transfer:
    """A draft transfer, numbered ``<warehouse>/<IN|OUT|INT>/<n>``, with a move per line (product_id,
    quantity, optional lot_id); its locations default to the kind's (:func:`default_locations`)."""
    extra = {key: values.pop(key) for key in ("backorder_of_id", "return_of_id") if key in values}
    values = clean(Transfer, values, session=session)
    warehouse = session.get(Warehouse, values.get("warehouse_id"))
    if warehouse is None or warehouse.company_id != company_id:
        raise ValidationError(gettext("Choose a warehouse of the company."), "warehouse_id")
    source, dest = default_locations(session, warehouse, values["kind"])
    values.setdefault("source_location_id", source)
    values.setdefault("dest_location_id", dest)
    values["source_location_id"] = values["source_location_id"] or source
    values["dest_location_id"] = values["dest_location_id"] or dest
    number_ = next_number(session, company_id, f"stock.transfer.{warehouse.id}.{values['kind']}")
    transfer = Transfer(company_id=company_id, name=f"{warehouse.code}/{PREFIXES[values['kind']]}/{number_:05d}",
                        state=DRAFT, **values, **extra)
    session.add(transfer)
    session.flush()
    if lines:
        add_moves(session, transfer, lines)
    return transfer


def add_moves(session: Session, transfer: Transfer, lines: Sequence[Mapping]) -> list[int]:
    """Add a move per line to a draft transfer (from and to the transfer's locations unless a line says)."""
    if transfer.state != DRAFT:
        raise ValidationError(gettext("Only a draft transfer takes new products."), "state")
    ids = move_services.create_moves(session, transfer.company_id, lines, transfer=transfer)
    session.expire(transfer, ["moves"])
    return ids


def add_by_code(session: Session, transfer: Transfer, code: str, *, quantity: Decimal, uom_id: int | None = None,
                lot_name: str | None = None) -> list[int]:
    """Add a move of the product with barcode or code ``code`` to a draft transfer, counted in ``uom_id`` (default:
    the product's unit); with ``lot_name``, of that lot (created for a receipt when the product has none)."""
    product_id = product_by_code(session, transfer.company_id, code)
    lot_id = None
    if lot_name and lot_name.strip():
        lot_id = lot_named(session, transfer.company_id, product_id=product_id, name=lot_name.strip(),
                           create=transfer.kind == RECEIPT).id
    return add_moves(session, transfer, [{"product_id": product_id, "quantity": quantity, "uom_id": uom_id,
                                          "lot_id": lot_id}])


def product_by_code(session: Session, company_id: int, code: str) -> int:
    """The id of the company's product whose barcode or code is ``code``."""
    code = (code or "").strip()
    found = session.scalars(
        select(Product.id).outerjoin(ProductStock, ProductStock.product_id == Product.id)
        .where(Product.company_id == company_id, or_(ProductStock.barcode == code, Product.code == code))).first()
    if found is None:
        raise ValidationError(gettext("No product has the code %(code)s.", code=code), "code")
    return found


def _active(transfer: Transfer) -> list[StockMove]:
    return [move for move in transfer.moves if move.state not in (DONE, CANCELLED)]


def confirm_transfer(session: Session, transfer: Transfer) -> Transfer:
    if not transfer.moves:
        raise ValidationError(gettext("Add the products to move first."), "moves")
    move_services.confirm(session, _active(transfer))
    session.refresh(transfer)
    return transfer


def reserve_transfer(session: Session, transfer: Transfer) -> Transfer:
    move_services.reserve(session, _active(transfer))
    session.refresh(transfer)
    return transfer


def unreserve_transfer(session: Session, transfer: Transfer) -> Transfer:
    move_services.unreserve(session, _active(transfer))
    session.refresh(transfer)
    return transfer


def cancel_transfer(session: Session, transfer: Transfer) -> Transfer:
    if transfer.state == DONE:
        raise ValidationError(gettext("A done transfer cannot be cancelled; return it instead."), "state")
    move_services.cancel(session, _active(transfer))
    session.refresh(transfer)
    return transfer


def process_transfer(session: Session, transfer: Transfer, *, quantities: Mapping[int, Decimal] | None = None,
                     backorder: bool = True, date: dt.datetime | None = None) -> tuple[Transfer | None, list[str]]:
    """Move the quantities done (``quantities``: move id -> quantity; default: the moves' ``quantity_done``
    when any is set, else everything) and put the rest in a backorder, or cancel it. ``date``: when the moves
    were done (default now; an earlier one re-values what followed, as for any back-dated move).

    Returns the backorder (or None) and the warnings of the moves done.
    """
    active = _active(transfer)
    if not active:
        raise ValidationError(gettext("Nothing is left to move in this transfer."), "state")
    if quantities is None:
        recorded = any(move.quantity_done > 0 for move in active)
        quantities = {move.id: move.quantity_done if recorded else move.quantity for move in active}
    with session.begin_nested():
        to_do, rest = _split_done(session, active, quantities)
        if not to_do:
            raise ValidationError(gettext("Enter the quantities done first."), "quantity_done")
        later = _backorder(session, transfer, rest) if backorder and rest else None
        if rest and later is None:
            move_services.cancel(session, [session.get(StockMove, move_id) for move_id in rest])
        warnings = move_services.done(session, [session.get(StockMove, move_id) for move_id in to_do], date=date)
    session.refresh(transfer)
    return later, warnings


def _split_done(session: Session, moves: list[StockMove], quantities: Mapping[int, Decimal]):
    """Split each move into what is done now and what is left (``quantities`` in the moves' units); return
    (ids done now, ids left)."""
    to_do, rest, changes, splits = [], [], {}, []
    for move in moves:
        done = Decimal(quantities.get(move.id) or 0)
        if done < 0:
            raise ValidationError(gettext("%(product)s: the quantity done cannot be negative.",
                                          product=move.product.display_name), "quantity_done")
        if done == 0:
            rest.append(move.id)
            continue
        to_do.append(move.id)
        if done == move.quantity:
            continue
        done_here = (done * move.product_quantity / move.quantity).quantize(PLACES)
        changes[move.id] = {"quantity": done, "product_quantity": done_here, "reserved": min(move.reserved, done_here)}
        if done < move.quantity:
            splits.append({"company_id": move.company_id, "transfer_id": move.transfer_id,
                           "product_id": move.product_id, "lot_id": move.lot_id, "state": move.state,
                           "source_location_id": move.source_location_id, "dest_location_id": move.dest_location_id,
                           "quantity": move.quantity - done, "uom_id": move.uom_id,
                           "product_quantity": move.product_quantity - done_here, "unit_cost": move.unit_cost,
                           "reserved": move.reserved - changes[move.id]["reserved"]})
    update_rows(session, StockMove, changes)
    rest += insert_rows(session, StockMove, splits)
    return to_do, rest


def _backorder(session: Session, transfer: Transfer, move_ids: list[int]) -> Transfer:
    later = create_transfer(session, transfer.company_id, kind=transfer.kind, warehouse_id=transfer.warehouse_id,
                            source_location_id=transfer.source_location_id,
                            dest_location_id=transfer.dest_location_id, origin=transfer.origin,
                            scheduled_date=transfer.scheduled_date, backorder_of_id=transfer.id)
    update_rows(session, StockMove, {move_id: {"transfer_id": later.id} for move_id in move_ids})
    move_services.sync_transfers(session, transfer_ids={later.id})
    session.refresh(later)
    return later


def return_transfer(session: Session, transfer: Transfer, *,
                    quantities: Mapping[int, Decimal] | None = None) -> Transfer:
    """A confirmed transfer taking back the done moves of ``transfer`` (``quantities``: done move id ->
    quantity; default: everything not returned yet)."""
    returned = dict(session.execute(
        select(StockMove.return_of_id, func.sum(StockMove.quantity))
        .where(StockMove.return_of_id.in_([move.id for move in transfer.moves]), StockMove.state != CANCELLED)
        .group_by(StockMove.return_of_id)).all())
    lines = []
    for move in transfer.moves:
        if move.state != DONE:
            continue
        left = move.quantity - (returned.get(move.id) or ZERO)
        wanted = left if quantities is None else Decimal(quantities.get(move.id) or 0)
        if wanted > left:
            raise ValidationError(gettext("%(product)s: only %(left)s can be returned.",
                                          product=move.product.display_name, left=number(left)), "quantity")
        if wanted > 0:
            lines.append({"product_id": move.product_id, "quantity": wanted, "uom_id": move.uom_id,
                          "lot_id": move.lot_id, "return_of_id": move.id})
    if not lines:
        raise ValidationError(gettext("Nothing of this transfer is left to return."), "state")
    back = create_transfer(session, transfer.company_id, kind=REVERSED[transfer.kind],
                           warehouse_id=transfer.warehouse_id, source_location_id=transfer.dest_location_id,
                           dest_location_id=transfer.source_location_id, origin=transfer.name,
                           scheduled_date=dt.date.today(), return_of_id=transfer.id, lines=lines)
    return confirm_transfer(session, back)


def scan(session: Session, transfer: Transfer, code: str, *, quantity: Decimal = Decimal(1)) -> StockMove:
    """Count ``quantity`` more done on the move a scanned ``code`` names: a product's barcode or code, or a lot
    or serial number (which the move then takes, if it names none yet)."""
    code = (code or "").strip()
    active = _active(transfer)
    if not code or not active:
        raise ValidationError(gettext("Scan a product of this transfer."), "code")
    if quantity <= 0:
        raise ValidationError(gettext("The quantity must be more than zero."), "quantity")
    product_ids = {move.product_id for move in active}
    by_product = set(session.scalars(
        select(Product.id).outerjoin(ProductStock, ProductStock.product_id == Product.id)
        .where(Product.id.in_(product_ids), or_(Product.code == code, ProductStock.barcode == code))))
    lot = session.scalars(select(Lot).where(Lot.product_id.in_(product_ids), Lot.name == code)).first()
    if lot is not None:
        by_product = {lot.product_id}
    candidates = [move for move in active if move.product_id in by_product
                  and (lot is None or move.lot_id in (None, lot.id))]
    if not candidates:
        raise ValidationError(gettext("Nothing in this transfer has the code %(code)s.", code=code), "code")
    move = next((m for m in candidates if m.quantity_done < m.quantity and (lot is None or m.lot_id == lot.id)),
                next((m for m in candidates if m.quantity_done < m.quantity), candidates[-1]))
    if lot is not None and move.lot_id is None:
        move.lot_id = lot.id
    move.quantity_done = move.quantity_done + quantity
    session.flush()
    return move


def set_quantity_done(session: Session, move: StockMove, *, quantity: Decimal) -> StockMove:
    """What was done of ``move`` so far, typed on the scanning page."""
    values = clean(StockMove, {"quantity_done": quantity}, record=move, session=session)
    if move.state in (DONE, CANCELLED):
        raise ValidationError(gettext("This move is done or cancelled already."), "quantity_done")
    move.quantity_done = values["quantity_done"]
    session.flush()
    return move
