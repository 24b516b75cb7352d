from sqlalchemy import select

from core import ModelAccess, hookimpl
from core.models import Company

from ..tally.plugin import KEEPER, register_groups, set_up
from .models import Book

__all__ = ["register_groups"]


@hookimpl
def register_models():
    return (Book,)


@hookimpl
def register_model_access():
    return (ModelAccess(Book, KEEPER, read=True),)


@hookimpl
def after_install(session, previous_version):
    """1.0.0's setup, then the currency of the company on each book without one (old books too)."""
    set_up(session, Book, previous_version)
    currencies = dict(session.execute(select(Company.id, Company.currency_code)).all())
    for book in session.scalars(select(Book).where(Book.currency.is_(None))):
        book.currency = currencies[book.company_id]
