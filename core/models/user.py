from __future__ import annotations

import datetime as dt

from typing import TYPE_CHECKING

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, TimestampMixin, intpk, str120
from core.fields import field
from core.languages import LANGUAGES
from core.timezones import timezone_choices

if TYPE_CHECKING:
    from .company import Company

user_groups = Table(
    "core_user_group",
    Base.metadata,
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("core_group.id", ondelete="CASCADE"), primary_key=True),
)

user_companies = Table(
    "core_user_company",
    Base.metadata,
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
    Column("company_id", ForeignKey("core_company.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Base):
    """A role. Declared groups are kept in step with the installed addons' declarations."""

    __tablename__ = "core_group"

    id: Mapped[intpk]
    key: Mapped[str120] = mapped_column(unique=True, info=field(_l("Key"), readonly=True))
    label: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    addon: Mapped[str | None] = mapped_column(String(64), info=field(_l("Addon"), readonly=True))

    @property
    def display_name(self) -> str:
        """The label people read (translated where a catalogue has it); the key is for code."""
        return gettext(self.label)


class User(TimestampMixin, Base):
    __tablename__ = "core_user"

    id: Mapped[intpk]
    login: Mapped[str120] = mapped_column(unique=True, info=field(_l("Login"), listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    email: Mapped[str | None] = mapped_column(info=field(_l("Email"), format="email", listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))
    lang: Mapped[str] = mapped_column(String(8), default="en", info=field(_l("Language"), choices=LANGUAGES,
                                                                          listed=True))
    timezone: Mapped[str | None] = mapped_column(String(64), info=field(
        _l("Time zone"), choices=timezone_choices(), help=_l("Dates and times are shown in it (UTC when empty).")))
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), info=field(_l("Main company"),
                                                                                     required=True))

    companies: Mapped[list[Company]] = relationship(secondary=user_companies, info=field(_l("Companies")))
    groups: Mapped[list[Group]] = relationship(secondary=user_groups, info=field(_l("Groups"), listed=True))


class Credential(Base):
    """A user's secrets, apart from the user record so that no user session can read them.

    Only core.security.credentials reads and writes this table (granted to nobody).
    """

    __tablename__ = "core_credential"
    __audit__ = False

    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]  # the last accepted 30-second step: a code works once


class LoginSession(Base):
    """A logged-in browser: the cookie carries a random token, only its SHA-256 is stored.

    Logging out deletes the row, so a copied cookie stops working at once.
    Granted to nobody: only core.security.credentials touches it.
    """

    __tablename__ = "core_login_session"
    __audit__ = False

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]  # the absolute end; an idle session ends earlier (see last_seen_at)
    last_seen_at: Mapped[dt.datetime]
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None]


class RecoveryCode(Base):
    """A one-time code that stands in for the TOTP code; only its SHA-256 is stored."""

    __tablename__ = "core_recovery_code"
    __audit__ = False

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used: Mapped[bool] = mapped_column(default=False)
