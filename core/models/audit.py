from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk, utcnow


class AuditLog(Base):
    """One changed field of one business record (or one create/delete), written by the core."""

    __tablename__ = "core_audit_log"
    __table_args__ = (Index("ix_core_audit_log_record", "table_name", "record_id"),)

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(8))
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
