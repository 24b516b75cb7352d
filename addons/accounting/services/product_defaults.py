"""The taxes and the account a product's lines take when the caller names none.

Each is the product's own, else its category's, else its parent categories'
in turn, else the company's accounting settings (default sales or purchase
tax, income or expense account). A list of taxes counts as named when it is
not empty: a product meant to carry no tax under a taxed category names a 0%
tax (exempt).

Invoices (:mod:`.invoices`), quotations (sales) and bills made from purchase
orders (purchase_accounting) all ask :func:`default_taxes` and
:func:`default_account`. What is asked is read with plain SQL on the
session's connection: which taxes a product defaults to is no secret, so a
salesperson who may not read accounting's product rows still gets them; the
taxes themselves are then loaded in the caller's session, under its access.
The answer is kept for the transaction (until one of the rows it depends on
is written).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product, ProductCategory
from core.errors import ValidationError
from core.transaction_cache import cached

from ..models import CategoryAccounting, ProductAccounting, Settings, Tax
from ..models.products import (category_purchase_taxes, category_sales_taxes, product_purchase_taxes,
                               product_sales_taxes)
from ..models.taxes import PURCHASE, SALE

#: deepest category tree walked (a corrupt tree cannot loop)
MAX_DEPTH = 32


@dataclass(frozen=True)
class ProductDefaults:
    """What a product's lines default to, as ids (``None`` / empty: nothing anywhere up the chain)."""

    sales_tax_ids: tuple[int, ...]
    purchase_tax_ids: tuple[int, ...]
    income_account_id: int | None
    expense_account_id: int | None

    def tax_ids(self, use: str) -> tuple[int, ...]:
        return self.sales_tax_ids if use == SALE else self.purchase_tax_ids

    def account_id(self, use: str) -> int | None:
        return self.income_account_id if use == SALE else self.expense_account_id


def product_defaults(session: Session, product: Product) -> ProductDefaults:
    """The product's defaults, worked out once per transaction."""
    return cached(session, ("accounting.product_defaults", product.id), lambda: _resolve(session, product),
                  depends_on=(ProductAccounting, CategoryAccounting, Settings, Product, ProductCategory))


def default_taxes(session: Session, product: Product, use: str) -> list[Tax]:
    """The taxes of ``use`` (``sale`` or ``purchase``) a line of ``product`` takes when none are given.

    A default tax archived since it was chosen is refused, naming the product, rather than silently left off.
    """
    taxes = [session.get(Tax, tax_id) for tax_id in product_defaults(session, product).tax_ids(use)]
    for tax in taxes:
        if not tax.active:
            raise ValidationError(gettext(
                "Tax %(tax)s, a default tax of product %(product)s, is archived: choose the line's taxes, or "
                "update the product's (or its category's) taxes.", tax=tax.name, product=product.display_name),
                "tax_ids")
    return sorted(taxes, key=lambda tax: (tax.sequence, tax.id))


def default_account_id(session: Session, product: Product, use: str) -> int | None:
    """The income (``sale``) or expense (``purchase``) account id of ``product``'s lines, if any is set."""
    return product_defaults(session, product).account_id(use)


def _resolve(session: Session, product: Product) -> ProductDefaults:
    connection = session.connection()
    chain = _category_chain(connection, product.category_id)
    accounts = {("product", row[0]): row[1:] for row in connection.execute(
        select(ProductAccounting.product_id, ProductAccounting.income_account_id,
               ProductAccounting.expense_account_id).where(ProductAccounting.product_id == product.id))}
    accounts.update((("category", row[0]), row[1:]) for row in connection.execute(
        select(CategoryAccounting.category_id, CategoryAccounting.income_account_id,
               CategoryAccounting.expense_account_id).where(CategoryAccounting.category_id.in_(chain))))
    taxes = _linked_taxes(connection, product.id, chain)
    levels = [("product", product.id), *(("category", category_id) for category_id in chain)]
    settings = connection.execute(
        select(Settings.sale_tax_id, Settings.purchase_tax_id, Settings.income_account_id,
               Settings.expense_account_id).where(Settings.company_id == product.company_id)).first()
    sale_tax, purchase_tax, income, expense = settings if settings is not None else (None,) * 4

    def first_taxes(use: str, fallback: int | None) -> tuple[int, ...]:
        found = next((taxes[use, level] for level in levels if taxes.get((use, level))), None)
        return tuple(found) if found else ((fallback,) if fallback is not None else ())

    def first_account(index: int, fallback: int | None) -> int | None:
        return next((accounts[level][index] for level in levels
                     if level in accounts and accounts[level][index] is not None), fallback)

    return ProductDefaults(first_taxes(SALE, sale_tax), first_taxes(PURCHASE, purchase_tax),
                           first_account(0, income), first_account(1, expense))


def _category_chain(connection, category_id: int | None) -> list[int]:
    """The category's id and its ancestors', nearest first."""
    chain: list[int] = []
    while category_id is not None and category_id not in chain and len(chain) < MAX_DEPTH:
        chain.append(category_id)
        category_id = connection.scalar(select(ProductCategory.parent_id).where(ProductCategory.id == category_id))
    return chain


def _linked_taxes(connection, product_id: int, chain: list[int]) -> dict[tuple, list[int]]:
    """(use, level) -> the tax ids linked to that level, in the taxes' order."""
    found: dict[tuple, list[int]] = {}
    for use, kind, links, owners in ((SALE, "product", product_sales_taxes, [product_id]),
                                     (PURCHASE, "product", product_purchase_taxes, [product_id]),
                                     (SALE, "category", category_sales_taxes, chain),
                                     (PURCHASE, "category", category_purchase_taxes, chain)):
        if not owners:
            continue
        rows = connection.execute(select(links.c.owner_id, links.c.tax_id).join(Tax, Tax.id == links.c.tax_id)
                                  .where(links.c.owner_id.in_(owners)).order_by(Tax.sequence, Tax.id))
        for owner_id, tax_id in rows:
            found.setdefault((use, (kind, owner_id)), []).append(tax_id)
    return found

