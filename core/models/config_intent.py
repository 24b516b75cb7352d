from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk, utcnow


class ConfigIntent(Base):
    """The ``[addons] enabled`` a lifecycle command meant to write into a config file.

    Recorded in the command's own transaction, so that a command killed after
    its database commit but before its config file was moved into place is
    noticed by the next one (see core.lifecycle.intent). One row per file;
    removed once the file is known to hold ``enabled_after``.
    """

    __tablename__ = "core_config_intent"
    __audit__ = False

    id: Mapped[intpk]
    config_path: Mapped[str] = mapped_column(String(1024), unique=True)
    enabled_before: Mapped[list[str]] = mapped_column(JSON)
    enabled_after: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
