from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk, utcnow


class ConfigIntent(Base):
    """The ``[addons] enabled`` a lifecycle command meant to write into a config file.

    Recorded in the command's own transaction, so that a command killed after
    its database commit but before its config file was moved into place is
    noticed by the next one (see core.lifecycle.intent). One row per file,
    found by the SHA-256 of its absolute path; removed once the file is known
    to hold ``enabled_after``.
    """

    __tablename__ = "core_config_intent"
    __audit__ = False

    id: Mapped[intpk]
    config_key: Mapped[str] = mapped_column(String(64), unique=True)
    config_path: Mapped[str] = mapped_column(Text)
    enabled_before: Mapped[list[str]] = mapped_column(JSON)
    enabled_after: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
