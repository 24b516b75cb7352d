"""Importing leads from CSV or XLSX: the CRM part of the generic engine in core.imports.

Every line is checked by the same cleaning as the lead form and created by
:func:`~addons.crm.services.create_lead` (so the rules for new leads apply).
A line is recognised by the hash of its content, stored on the lead it
created: re-running the same file creates nothing twice. The same address
twice in one file is reported as a duplicate line.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.imports import ImportField, ImportSpec

from . import services
from .models import Lead

CHUNK = 500

FIELDS = (
    ImportField("name", _l("Title"), synonyms=("title", "subject", "lead", "asunto", "titulo", "oggetto", "titolo")),
    ImportField("contact_name", _l("Contact"), synonyms=("contact", "name", "full name", "nombre", "contacto",
                                                          "nome", "contatto", "referente")),
    ImportField("partner_name", _l("Company name"), synonyms=("company", "organisation", "organization", "empresa",
                                                              "compania", "azienda", "societa", "ditta")),
    ImportField("email", _l("Email"), key=True, synonyms=("e-mail", "mail", "correo", "correo electronico",
                                                          "posta elettronica")),
    ImportField("phone", _l("Phone"), synonyms=("telephone", "mobile", "telefono", "movil", "cellulare")),
    ImportField("country_code", _l("Country"), synonyms=("country", "pais", "paese", "nazione")),
    ImportField("expected_revenue", _l("Expected revenue"), kind="decimal",
                synonyms=("revenue", "amount", "value", "importe", "valor", "importo", "valore")),
    ImportField("description", _l("Notes"), synonyms=("notes", "message", "notas", "mensaje", "note", "messaggio")),
)


class LeadImport(ImportSpec):
    """Leads of one company, from a file; one instance per import run."""

    name = "leads"
    model = Lead
    fields = FIELDS

    def __init__(self, session: Session, company_id: int):
        self.company_id = company_id

    def validate(self, session: Session, values: dict) -> dict:
        cleaned = services.clean_lead_values({k: v for k, v in values.items() if v not in (None, "")})
        if not cleaned.get("name"):
            cleaned["name"] = cleaned.get("partner_name") or cleaned.get("contact_name") or cleaned.get("email")
        if not cleaned.get("name"):
            from core.errors import ValidationError

            raise ValidationError(_l("A lead needs a title, a name or an email address."), "name")
        return cleaned

    def find_existing(self, session: Session, key: str, values: set) -> dict:
        return {}  # the same person may send several requests: only identical lines count as imported

    def find_imported(self, session: Session, hashes: set[str]) -> dict[str, str]:
        found, wanted = {}, sorted(hashes)
        for start in range(0, len(wanted), CHUNK):
            for digest, name in session.execute(
                    select(Lead.import_hash, Lead.name).where(Lead.company_id == self.company_id,
                                                              Lead.import_hash.in_(wanted[start:start + CHUNK]))):
                found.setdefault(digest, name)
        return found

    def create(self, session: Session, values: dict, line_hash: str):
        lead = services.create_lead(session, self.company_id, source="import", **values)
        lead.import_hash = line_hash
        return lead
