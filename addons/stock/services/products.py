"""The products' stock fields: their rows take the product's company; reading them with defaults."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product

from ..models import ProductStock


def complete_product_rows(session: Session, new, dirty) -> None:
    """Give product rows about to be written their product's company (run before every flush)."""
    rows = [row for row in (*new, *dirty) if isinstance(row, ProductStock)]
    if not rows:
        return
    ids = {row.product_id for row in rows if row.product_id is not None}
    companies = dict(session.connection().execute(
        select(Product.id, Product.company_id).where(Product.id.in_(ids))).all())
    for row in rows:
        company_id = companies.get(row.product_id)
        if company_id is not None and row.company_id != company_id:
            row.company_id = company_id
