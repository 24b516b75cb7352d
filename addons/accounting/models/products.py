"""What accounting adds to products and product categories: default taxes and income/expense accounts.

Side tables of ``products_product`` and ``products_category`` (extensions,
see :mod:`core.fields.extensions`): they exist only while accounting is
installed, a product or category without a row simply names nothing, and
they go with their record by the database's cascade. A value left empty is
taken from the category, then its parent categories, then the company's
accounting settings (:mod:`..services.product_defaults` answers).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product, ProductCategory
from core import Base
from core.fields import field

from .ledger import ASSET, EXPENSE, INCOME, Account, active_account
from .taxes import PURCHASE, SALE, Tax

_INCOME_MESSAGE = _l("Choose an active income account.")
_EXPENSE_MESSAGE = _l("Choose an active expense or asset account.")


def _taxes_for(use: str):
    """A domain: active taxes of one use (sales or purchases)."""
    return lambda actor: Tax.active.is_(True) & (Tax.use == use)


def _tax_links(name: str, owner: str) -> Table:
    """The link table of a side row's taxes of one use (its rows go with the side row)."""
    return Table(name, Base.metadata,
                 Column("owner_id", ForeignKey(owner, ondelete="CASCADE"), primary_key=True),
                 Column("tax_id", ForeignKey("accounting_tax.id"), primary_key=True, index=True))


product_sales_taxes = _tax_links("accounting_product_sales_tax", "accounting_product.product_id")
product_purchase_taxes = _tax_links("accounting_product_purchase_tax", "accounting_product.product_id")
category_sales_taxes = _tax_links("accounting_category_sales_tax", "accounting_category.category_id")
category_purchase_taxes = _tax_links("accounting_category_purchase_tax", "accounting_category.category_id")


def _sales_taxes(links: Table, fallback):
    return relationship(secondary=links, order_by=Tax.sequence, lazy="selectin", info=field(
        _l("Sales taxes"), domain=_taxes_for(SALE), domain_message=_l("Choose active sales taxes."),
        help=fallback))


def _purchase_taxes(links: Table, fallback):
    return relationship(secondary=links, order_by=Tax.sequence, lazy="selectin", info=field(
        _l("Purchase taxes"), domain=_taxes_for(PURCHASE), domain_message=_l("Choose active purchase taxes."),
        help=fallback))


class ProductAccounting(Base):
    __tablename__ = "accounting_product"

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    income_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Income account"), domain=active_account(INCOME), domain_message=_INCOME_MESSAGE,
        help=_l("Where its sales are booked; empty: the category's, else the company's income account.")))
    expense_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Expense account"), domain=active_account(EXPENSE, ASSET), domain_message=_EXPENSE_MESSAGE,
        help=_l("Where its purchases are booked; empty: the category's, else the company's expense account.")))

    product: Mapped[Product] = relationship()
    income_account: Mapped[Account | None] = relationship(foreign_keys=[income_account_id])
    expense_account: Mapped[Account | None] = relationship(foreign_keys=[expense_account_id])
    sales_taxes: Mapped[list[Tax]] = _sales_taxes(product_sales_taxes, _l(
        "Put on its lines of quotations and invoices; empty: the category's, else the company's default."))
    purchase_taxes: Mapped[list[Tax]] = _purchase_taxes(product_purchase_taxes, _l(
        "Put on its lines of supplier bills; empty: the category's, else the company's default."))


class CategoryAccounting(Base):
    __tablename__ = "accounting_category"

    category_id: Mapped[int] = mapped_column(ForeignKey("products_category.id", ondelete="CASCADE"),
                                             primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    income_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Income account"), domain=active_account(INCOME), domain_message=_INCOME_MESSAGE,
        help=_l("Of its products that name none; empty: the parent category's, else the company's.")))
    expense_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Expense account"), domain=active_account(EXPENSE, ASSET), domain_message=_EXPENSE_MESSAGE,
        help=_l("Of its products that name none; empty: the parent category's, else the company's.")))

    category: Mapped[ProductCategory] = relationship()
    income_account: Mapped[Account | None] = relationship(foreign_keys=[income_account_id])
    expense_account: Mapped[Account | None] = relationship(foreign_keys=[expense_account_id])
    sales_taxes: Mapped[list[Tax]] = _sales_taxes(category_sales_taxes, _l(
        "Of its products that name none; empty: the parent category's, else the company's default."))
    purchase_taxes: Mapped[list[Tax]] = _purchase_taxes(category_purchase_taxes, _l(
        "Of its products that name none; empty: the parent category's, else the company's default."))
