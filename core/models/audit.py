from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk, utcnow


class AuditLog(Base):
    """One created, changed or deleted business record, written by the core.

    ``changes`` maps each field to ``[old, new]`` as text (``None`` for empty):
    the initial values of a created record, the changed ones of an update, the
    last values of a deleted record.
    """

    __tablename__ = "core_audit_log"
    __table_args__ = (Index("ix_core_audit_log_record", "table_name", "record_id"),)

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(8))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
