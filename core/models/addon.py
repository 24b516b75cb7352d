from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow
from core.lifecycle import installed_names

INSTALLED = installed_names.INSTALLED  # the lifecycle also reads this table without the model
DEACTIVATED = "deactivated"


class AddonState(Base):
    """One row per addon that was ever installed in this database.

    ``deactivated`` means uninstalled without purge: the addon's tables and
    data are kept and come back when it is installed again.
    """

    __tablename__ = "core_addon"
    __audit__ = False

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
