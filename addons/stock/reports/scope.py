"""What a stock report covers: a company, optionally a warehouse or a location (with the locations under it),
a product or a category (with its sub-categories), as SQL conditions every report reuses.

The trees are walked by recursive CTEs on the models (not their tables), so
the acting user's record rules apply to them as to the rest of the query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from addons.products.models import Product, ProductCategory, Uom
from core.errors import AccessDenied, ValidationError

from ..models import Location, Quant, StockMove, Warehouse
from ..models.locations import HELD
from ..models.moves import DONE


@dataclass(frozen=True)
class Scope:
    """The stock a report looks at; every filter left empty covers the whole company."""

    company_id: int
    warehouse_id: int | None = None
    location_id: int | None = None
    product_id: int | None = None
    category_id: int | None = None

    def filters(self, session: Session) -> list[tuple[object, object]]:
        """(label, value) pairs saying what was asked, for the report's heading and exports."""
        def name(model, record_id):
            record = session.get(model, record_id) if record_id is not None else None
            return getattr(record, "display_name", None) or getattr(record, "name", None)

        return [(_l("Warehouse"), name(Warehouse, self.warehouse_id)),
                (_l("Location"), name(Location, self.location_id)),
                (_l("Product"), name(Product, self.product_id)),
                (_l("Category"), name(ProductCategory, self.category_id))]


def require_stock_read(session: Session) -> None:
    """Refuse up front, with a clear message, a user who may not read stock."""
    actor = session.info.get("actor")
    if actor is not None and not session.info["registry"].can(actor, Quant, "read"):
        raise AccessDenied(f"access denied: {actor.login} may not read stock reports")


def check_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError(gettext("The start date %(start)s is after the end date %(end)s.",
                                      start=date_from.isoformat(), end=date_to.isoformat()), "date_from")


def held_locations(scope: Scope):
    """SELECT of the ids of the held (internal, transit) locations the scope covers."""
    held = and_(Location.company_id == scope.company_id, Location.kind.in_(HELD))
    if scope.location_id is None and scope.warehouse_id is None:
        return select(Location.id).where(held)
    roots = (Location.id == scope.location_id if scope.location_id is not None
             else and_(Location.warehouse_id == scope.warehouse_id, Location.parent_id.is_(None)))
    tree = select(Location.id).where(roots).cte("location_tree", recursive=True)
    child = aliased(Location)
    tree = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(Location.id).where(held, Location.id.in_(select(tree.c.id)))


def warehouse_locations():
    """SELECT of (location id, warehouse id) for every held location in a warehouse's tree: the locations
    under each warehouse's view location (which has the warehouse and no parent)."""
    tree = (select(Location.id.label("id"), Location.warehouse_id.label("warehouse_id"))
            .where(Location.warehouse_id.is_not(None), Location.parent_id.is_(None))
            .cte("warehouse_tree", recursive=True))
    child = aliased(Location)
    tree = tree.union_all(select(child.id, tree.c.warehouse_id).join(tree, child.parent_id == tree.c.id))
    return (select(Location.id.label("location_id"), tree.c.warehouse_id)
            .join(tree, tree.c.id == Location.id).where(Location.kind.in_(HELD)))


def product_condition(scope: Scope, product_id_column):
    """The condition on ``product_id_column`` for the scope's product or category tree (None: any)."""
    if scope.product_id is not None:
        return product_id_column == scope.product_id
    if scope.category_id is None:
        return None
    tree = select(ProductCategory.id).where(ProductCategory.id == scope.category_id).cte(
        "category_tree", recursive=True)
    child = aliased(ProductCategory)
    tree = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
    return product_id_column.in_(select(Product.id).where(Product.category_id.in_(select(tree.c.id))))


def where_product(statement, scope: Scope, product_id_column):
    condition = product_condition(scope, product_id_column)
    return statement if condition is None else statement.where(condition)


def net_quantity(locations):
    """What a move changes in ``locations`` (a SELECT of location ids): its quantity when it enters them
    from outside, minus it when it leaves them, nothing when it stays inside or outside."""
    return (case((StockMove.dest_location_id.in_(locations), StockMove.product_quantity), else_=0)
            - case((StockMove.source_location_id.in_(locations), StockMove.product_quantity), else_=0))


def touching(locations):
    """Moves into or out of ``locations`` (a SELECT of location ids)."""
    return or_(StockMove.source_location_id.in_(locations), StockMove.dest_location_id.in_(locations))


def done_until(at: dt.date):
    """Done moves dated on or before ``at`` (their date is a time: before the next day)."""
    return and_(StockMove.state == DONE, StockMove.date < dt.datetime.combine(at + dt.timedelta(days=1), dt.time()))


def location_path(location, parent):
    """A location's name under its parent's (``parent`` an alias outer-joined on ``location.parent_id``), as
    ``Location.display_name`` shows it."""
    return func.coalesce(parent.name.concat("/"), "").concat(location.name)


def unit_names(session: Session) -> dict[int, str]:
    """unit id -> the unit's name in the user's language (its label, not its code: "Kilogram", not "kg"); the
    units are few and shared by every company, so they are read at once."""
    return {unit.id: unit.display_name for unit in session.scalars(select(Uom))}
