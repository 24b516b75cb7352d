"""The products' and categories' stock fields: their rows take the product's (category's) company."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product, ProductCategory
from core.errors import ValidationError

from ..models import CategoryStock, ProductStock

_SIDES = ((ProductStock, Product, "product_id"), (CategoryStock, ProductCategory, "category_id"))


def complete_product_rows(session: Session, new, dirty) -> None:
    """Give product and category rows about to be written their record's company, and refuse a barcode another
    product of the company has (run before every flush)."""
    for side, model, key in _SIDES:
        rows = [row for row in (*new, *dirty) if isinstance(row, side)]
        if not rows:
            continue
        ids = {getattr(row, key) for row in rows if getattr(row, key) is not None}
        companies = dict(session.connection().execute(
            select(model.id, model.company_id).where(model.id.in_(ids))).all())
        for row in rows:
            company_id = companies.get(getattr(row, key))
            if company_id is not None and row.company_id != company_id:
                row.company_id = company_id
        if side is ProductStock:
            _check_barcodes(session, rows)


def _check_barcodes(session: Session, rows: list[ProductStock]) -> None:
    table = ProductStock.__table__
    for row in rows:
        if not row.barcode:
            continue
        other = session.connection().execute(
            select(table.c.product_id).where(table.c.company_id == row.company_id, table.c.barcode == row.barcode,
                                             table.c.product_id != row.product_id)).first()
        if other is not None:
            raise ValidationError(gettext("Another product already has the barcode %(barcode)s.",
                                          barcode=row.barcode), "barcode")
