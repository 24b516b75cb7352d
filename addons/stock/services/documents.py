"""Transfers made for another addon's document (a purchase order's receipts, a sales order's deliveries).

A bridge records each transfer it makes for a document in a link table of its
own: a model with ``transfer_id``, ``order_id`` and ``company_id``. The
transfers that grow from those, their backorders (``backorder_of_id``) and
returns (``return_of_id``) and theirs in turn, belong to the same document:
:func:`documents_of` finds the documents of transfers by following those
links back (and records the links it finds), :func:`transfers_of` follows
them forward. :func:`net_done` adds up what the documents' done moves moved,
per product in its own unit (transfers of the document's kind add, the
others, its returns, take away), and :func:`spread` gives that out to the
documents' lines.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from addons.products.units import convert

from ..models import StockMove, Transfer
from ..models.moves import DONE

#: how far a backorder or return chain is followed
CHAIN_LIMIT = 64
QUANTITY = Decimal("0.0001")
ZERO = Decimal(0)


def documents_of(session: Session, link: type, *, transfer_ids: Iterable[int]) -> dict[int, int]:
    """transfer id -> its document, following backorders and returns back to a transfer ``link`` names; the
    transfers found this way are recorded in ``link`` as the document's."""
    found: dict[int, int] = {}
    pending = {transfer_id: transfer_id for transfer_id in set(transfer_ids)}  # asked -> where we are in its chain
    for _step in range(CHAIN_LIMIT):
        if not pending:
            break
        known = dict(session.execute(select(link.transfer_id, link.order_id)
                                     .where(link.transfer_id.in_(set(pending.values())))).all())
        unknown = set(pending.values()) - set(known)
        parents = {row.id: row.backorder_of_id or row.return_of_id for row in session.execute(
            select(Transfer.id, Transfer.backorder_of_id, Transfer.return_of_id).where(Transfer.id.in_(unknown)))}
        following = {}
        for asked, at in pending.items():
            if at in known:
                found[asked] = known[at]
            elif parents.get(at) is not None:
                following[asked] = parents[at]
        pending = following
    missing = set(found) - set(session.scalars(select(link.transfer_id).where(link.transfer_id.in_(set(found)))))
    companies = dict(session.execute(select(Transfer.id, Transfer.company_id).where(Transfer.id.in_(missing))).all())
    session.add_all(link(transfer_id=transfer_id, order_id=found[transfer_id], company_id=companies[transfer_id])
                    for transfer_id in missing)
    session.flush()
    return found


def documents_of_moves(session: Session, link: type, *, move_ids: Iterable[int]) -> set[int]:
    """The documents the transfers of these moves belong to (see :func:`documents_of`)."""
    transfer_ids = set(session.scalars(select(StockMove.transfer_id).where(
        StockMove.id.in_(set(move_ids)), StockMove.transfer_id.is_not(None)).distinct()))
    return set(documents_of(session, link, transfer_ids=transfer_ids).values())


def transfers_of(session: Session, link: type, *, order_ids: Iterable[int]) -> dict[int, int]:
    """transfer id -> document, for the transfers ``link`` names for ``order_ids`` and every backorder and
    return grown from them."""
    found = dict(session.execute(select(link.transfer_id, link.order_id)
                                 .where(link.order_id.in_(set(order_ids)))).all())
    frontier = dict(found)
    for _step in range(CHAIN_LIMIT):
        if not frontier:
            break
        children = session.execute(select(Transfer.id, Transfer.backorder_of_id, Transfer.return_of_id).where(
            or_(Transfer.backorder_of_id.in_(set(frontier)), Transfer.return_of_id.in_(set(frontier)))))
        frontier = {}
        for child, backorder_of, return_of in children:
            if child not in found:
                frontier[child] = found[backorder_of if backorder_of in found else return_of]
        found.update(frontier)
    return found


def net_done(session: Session, link: type, *, order_ids: Iterable[int], kind: str,
             per_warehouse: bool = False) -> dict[tuple, Decimal]:
    """(document, product) -> what the done moves of the document's transfers moved, in the product's unit:
    transfers of ``kind`` add (receipts of a purchase, deliveries of a sale), the others take away.
    ``per_warehouse``: keyed (document, warehouse, product), for documents served from several warehouses."""
    net: dict[tuple, Decimal] = defaultdict(Decimal)
    keys = (link.order_id, Transfer.warehouse_id, StockMove.product_id) if per_warehouse else (
        link.order_id, StockMove.product_id)
    rows = session.execute(
        select(*keys, Transfer.kind, func.sum(StockMove.product_quantity))
        .join(Transfer, Transfer.id == link.transfer_id)
        .join(StockMove, StockMove.transfer_id == Transfer.id)
        .where(link.order_id.in_(set(order_ids)), StockMove.state == DONE)
        .group_by(*keys, Transfer.kind))
    for *key, found, quantity in rows:
        net[tuple(key)] += quantity if found == kind else -quantity
    return net


def spread(lines: Iterable, net: dict[tuple, Decimal], *, unit_of: Callable, done_of: Callable,
           key: Callable = lambda line: (line.order_id, line.product_id)) -> dict[int, Decimal]:
    """line id -> its share of ``net`` (see :func:`net_done`) in the line's unit, for the lines whose share is
    not ``done_of(line)`` already. ``lines`` (with ``order_id``, ``product_id``, ``quantity`` in
    ``unit_of(line)``) come in their document's order: a product on several lines fills them in that order,
    the last one taking any excess; nothing goes below zero. ``key`` gives a line's key in ``net``."""
    by_product = defaultdict(list)
    for line in lines:
        by_product[key(line)].append(line)
    changes = {}
    for found_key, found in by_product.items():
        left = max(net.get(found_key, ZERO), ZERO)
        for position, line in enumerate(found, 1):
            wanted = convert(line.quantity, unit_of(line), line.product.uom)
            taken = left if position == len(found) else min(left, wanted)
            left -= taken
            share = convert(taken, line.product.uom, unit_of(line)).quantize(QUANTITY, rounding=ROUND_HALF_UP)
            if share != done_of(line):
                changes[line.id] = share
    return changes
