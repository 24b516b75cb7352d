"""Which opportunity a quotation was made for.

The table belongs to the bridge, so it exists only while sales and CRM are
both installed and goes with the bridge when it is purged: the quotations and
the opportunities stay.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm.models import Lead
from core import Base
from core.fields import field


class QuoteOpportunity(Base):
    """What the bridge adds to a quotation (an extension): the opportunity it was made for, written by the
    bridge's services only (a revision keeps its predecessor's)."""

    __tablename__ = "sales_crm_order"
    __audit__ = False  # a link the system writes between two audited records; it goes when either does

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("crm_lead.id", ondelete="CASCADE"), index=True,
                                                info=field(_l("Opportunity"), readonly=True))

    opportunity: Mapped[Lead] = relationship()


ALL = (QuoteOpportunity,)
