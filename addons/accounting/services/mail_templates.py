"""The invoice's mail templates (one per language), created once; administrators change them afterwards."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.chatter.models import MailTemplate

from ..models import Invoice

INVOICE_TEMPLATES = (
    ("en", "Invoice", "Invoice {{ record.number or 'draft' }} from {{ company.name }}",
     "Dear {{ record.partner.name }},\n\nplease find attached invoice {{ record.number or 'draft' }} of "
     "{{ record.date }} for {{ record.amount_total }} {{ record.currency_code }}"
     "{% if record.due_date %}, due on {{ record.due_date }}{% endif %}.\n\nKind regards,\n{{ user.name }}\n"),
    ("es", "Factura", "Factura {{ record.number or 'borrador' }} de {{ company.name }}",
     "Estimado/a {{ record.partner.name }}:\n\nle adjuntamos la factura {{ record.number or 'borrador' }} del "
     "{{ record.date }} por {{ record.amount_total }} {{ record.currency_code }}"
     "{% if record.due_date %}, con vencimiento el {{ record.due_date }}{% endif %}.\n\nUn saludo,\n{{ user.name }}\n"),
    ("it", "Fattura", "Fattura {{ record.number or 'bozza' }} da {{ company.name }}",
     "Gentile {{ record.partner.name }},\n\nin allegato la fattura {{ record.number or 'bozza' }} del "
     "{{ record.date }} di {{ record.amount_total }} {{ record.currency_code }}"
     "{% if record.due_date %}, con scadenza il {{ record.due_date }}{% endif %}.\n\nCordiali saluti,\n"
     "{{ user.name }}\n"),
)


def ensure_invoice_templates(session: Session) -> None:
    """Create the invoice templates unless the invoice already has some (kept when reinstalled or upgraded)."""
    table = Invoice.__tablename__
    if session.scalar(select(MailTemplate.id).where(MailTemplate.model == table).limit(1)) is not None:
        return
    session.add_all(MailTemplate(model=table, name=name, subject=subject, body=body, lang=lang)
                    for lang, name, subject, body in INVOICE_TEMPLATES)
    session.flush()
