"""``bottega init``: the core's tables, the first company and the administrator."""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.catalog import Catalog
from core.errors import DatabaseError
from core.models import Company, User
from core.models.user import Group as GroupRow
from core.registry import CORE, build_registry
from core.security import credentials
from core.security.actor import ADMIN_GROUP
from core.security.password_policy import check_password_policy

from .database import is_initialized, migration_transaction, redacted
from .migrations import Migrations
from .setup import set_up

ADMIN_NAME = "Administrator"


def check_admin_password(password: str, login: str = "admin") -> None:
    """Refuse an administrator's password the policy refuses (called before anything is created)."""
    check_password_policy(password, (login, ADMIN_NAME), field="admin_password")


def initialize(engine: Engine, catalog: Catalog, admin_password: str, company_name: str = "My Company",
               admin_login: str = "admin") -> None:
    if is_initialized(engine):
        raise DatabaseError(
            f"database {redacted(engine.url.render_as_string(hide_password=False))} is already initialized"
        )
    check_admin_password(admin_password, admin_login)
    with migration_transaction(engine) as connection:
        Migrations(catalog).upgrade(connection, CORE)
        set_up(connection, build_registry(catalog, []), CORE, None)
        with Session(bind=connection) as session:
            company = Company(name=company_name)
            session.add(company)
            session.flush()
            admin = User(
                login=admin_login,
                name=ADMIN_NAME,
                company_id=company.id,
                companies=[company],
                groups=list(session.scalars(select(GroupRow).where(GroupRow.key == ADMIN_GROUP))),
            )
            session.add(admin)
            session.flush()
            credentials.set_password(session, admin.id, admin_password)
