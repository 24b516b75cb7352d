"""``bottega init``: the core's tables, the first company and the administrator."""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.catalog import Catalog
from core.errors import DatabaseError, ValidationError
from core.models import Company, User
from core.models.user import Group as GroupRow
from core.registry import CORE, build_registry
from core.security import credentials
from core.security.actor import ADMIN_GROUP

from .database import is_initialized, migration_transaction, redacted
from .migrations import Migrations
from .setup import set_up


MIN_PASSWORD_LENGTH = 8


def check_admin_password(password: str) -> None:
    """Refuse a password too short for the administrator (called before anything is created)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"the admin password must have at least {MIN_PASSWORD_LENGTH} characters",
                              field="admin_password")


def initialize(engine: Engine, catalog: Catalog, admin_password: str, company_name: str = "My Company",
               admin_login: str = "admin") -> None:
    if is_initialized(engine):
        raise DatabaseError(
            f"database {redacted(engine.url.render_as_string(hide_password=False))} is already initialized"
        )
    check_admin_password(admin_password)
    with migration_transaction(engine) as connection:
        Migrations(catalog).upgrade(connection, CORE)
        set_up(connection, build_registry(catalog, []), CORE, None)
        with Session(bind=connection) as session:
            company = Company(name=company_name)
            session.add(company)
            session.flush()
            admin = User(
                login=admin_login,
                name="Administrator",
                company_id=company.id,
                companies=[company],
                groups=list(session.scalars(select(GroupRow).where(GroupRow.key == ADMIN_GROUP))),
            )
            session.add(admin)
            session.flush()
            credentials.set_password(session, admin.id, admin_password)
