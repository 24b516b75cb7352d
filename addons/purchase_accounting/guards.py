"""What the bridge checks at every flush and batch write.

- The three-way check holds whichever way a bill is posted: accounting's
  ``post_invoice`` flushes the bill's new state (``validate_flush``), its
  batch posting writes it with core.bulk (``validate_rows``).
- A draft's lines are replaced whenever it is edited (accounting's
  ``update_invoice``, the bill's form): the new line of the same product
  takes over the link of the line it replaces, so an edited bill is still
  checked against its order; a line removed from the bill leaves its order
  line unbilled.
- A supplier credit note of such a bill links its lines to the order lines
  of the bill lines they credit, so what it credits is no longer billed.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from addons.accounting.models import Invoice, InvoiceLine
from addons.accounting.models.invoicing import POSTED

from .models import Acceptance, BillLine
from .services.bills import credit_note_links
from .services.check import require_checked


def validate_flush(session: Session, new: list, dirty: list, deleted: list) -> None:
    with session.no_autoflush:
        added = [o for o in new if isinstance(o, InvoiceLine)]
        kept = _keep_links(session, added, [o for o in deleted if isinstance(o, InvoiceLine)])
        session.add_all(credit_note_links(session, [line for line in added if line not in kept]))
        _forget_acceptances(session, [o for o in deleted if isinstance(o, Invoice)])
        posting = [o for o in dirty if isinstance(o, Invoice) and o.state == POSTED
                   and inspect(o).attrs.state.history.has_changes()]
        if posting:
            require_checked(session, posting)


def validate_rows(session: Session, model: type, operation: str, rows: list[dict]) -> None:
    if model is not Invoice or operation != "write":
        return
    ids = [row["id"] for row in rows if row.get("state") == POSTED]
    if ids:
        with session.no_autoflush:
            require_checked(session, [session.get(Invoice, invoice_id) for invoice_id in ids])


def _forget_acceptances(session: Session, invoices: list[Invoice]) -> None:
    """A deleted draft bill's acceptance goes with it through the session, so its deletion is audited."""
    for invoice in invoices:
        found = session.get(Acceptance, invoice.id)
        if found is not None:
            session.delete(found)


def _keep_links(session: Session, added: list[InvoiceLine], removed: list[InvoiceLine]) -> list[InvoiceLine]:
    """Carry the links of the ``removed`` lines over to the ``added`` ones; the lines that took one."""
    if not added or not removed:
        return []
    links = session.scalars(select(BillLine).where(BillLine.invoice_line_id.in_({line.id for line in removed})))
    free = defaultdict(list)  # (invoice, product) -> links of the lines removed, in the bill's order
    by_line = {line.id: line for line in removed}
    for link in sorted(links, key=lambda link: by_line[link.invoice_line_id].sequence):
        free[link.invoice_id, by_line[link.invoice_line_id].product_id].append(link)
    kept = []
    for line in sorted(added, key=lambda line: line.sequence):
        invoice_id = line.invoice.id if line.invoice is not None else line.invoice_id
        waiting = free.get((invoice_id, line.product_id))
        if waiting:
            old = waiting.pop(0)
            session.add(BillLine(invoice_line=line, invoice_id=old.invoice_id, order_line_id=old.order_line_id,
                                 order_id=old.order_id, company_id=old.company_id))
            session.expunge(old)
            kept.append(line)
    return kept
