from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, TimestampMixin, intpk
from core.fields import field


class SavedFilter(TimestampMixin, Base):
    """A list's search, filters and groups saved under a name (see core.saved_filters).

    ``view`` is the list's endpoint prefix (``crm.opportunities``), ``query`` its arguments as a URL query
    string, read back through the same ListParams as the address bar. A shared filter is offered to everyone of
    its company who may read the list; only its owner changes or deletes it.
    """

    __tablename__ = "core_saved_filter"
    __audit__ = False
    __table_args__ = (Index("ix_core_saved_filter_view_user", "view", "user_id"),)

    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), info=field(_l("Owner")))
    view: Mapped[str] = mapped_column(String(120), info=field(_l("List")))
    name: Mapped[str] = mapped_column(String(120), info=field(_l("Name")))
    query: Mapped[str] = mapped_column(Text, info=field(_l("Search")))
    shared: Mapped[bool] = mapped_column(default=False, info=field(_l("Shared")))
    is_default: Mapped[bool] = mapped_column(default=False, info=field(_l("Default")))
