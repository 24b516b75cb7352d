"""The products' stock fields: a barcode names one product of a company (the core gives the side rows of
products and categories their record's company before this runs)."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError

from ..models import ProductStock


def check_barcodes(session: Session, new, dirty) -> None:
    """Refuse a barcode another product of the company has (run before every flush)."""
    table = ProductStock.__table__
    for row in (*new, *dirty):
        if not isinstance(row, ProductStock) or not row.barcode:
            continue
        other = session.connection().execute(
            select(table.c.product_id).where(table.c.company_id == row.company_id, table.c.barcode == row.barcode,
                                             table.c.product_id != row.product_id)).first()
        if other is not None:
            raise ValidationError(gettext("Another product already has the barcode %(barcode)s.",
                                          barcode=row.barcode), "barcode")
