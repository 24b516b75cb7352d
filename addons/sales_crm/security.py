"""Salespeople and sales managers see which opportunity a quotation is for.

The link is written by the bridge's services as the system (see :mod:`.services`), so nobody is granted to write
it: a quotation's opportunity is chosen by making the quotation from the opportunity's page.
"""
from core import ModelAccess

from .models import QuoteOpportunity

ACCESS = (
    ModelAccess(QuoteOpportunity, "sales.group_salesperson", read=True),
    ModelAccess(QuoteOpportunity, "crm.group_readonly", read=True),
)
