"""Sales teams: a salesperson reads the quotations of the teams they belong to.

Sales keeps its own teams because it does not depend on CRM; a ``sales_crm``
bridge may later tie them to CRM's teams.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field
from core.models import User

team_members = Table(
    "sales_team_member",
    Base.metadata,
    Column("team_id", ForeignKey("sales_team.id"), primary_key=True),
    Column("user_id", ForeignKey("core_user.id"), primary_key=True, index=True),
)


def _active_users(actor):
    return User.active.is_(True)


class SalesTeam(CompanyMixin, TimestampMixin, Base):
    """A group of salespeople who read each other's quotations."""

    __tablename__ = "sales_team"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))

    members: Mapped[list[User]] = relationship(secondary=team_members, info=field(
        _l("Members"), domain=_active_users, domain_message=_l("Choose active users.")))

    @property
    def display_name(self) -> str:
        return self.name
