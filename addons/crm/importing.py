"""Importing leads from CSV or XLSX: the CRM part of the generic engine in core.imports.

The columns a file may fill are the lead's fields (:mod:`core.fields`), so a
new lead column is importable as it is declared; a header matches a field's
name, its label, or one of the synonyms below, and a related record (the
salesperson, the team, the partner, the campaign) is written by its name.
Not importable: what the services set (read-only fields; the source, which
is "import"; the stage, which qualifying gives). Every line is checked by
the same cleaning as the lead form, and each chunk of lines is created by
:func:`~addons.crm.services.create_leads` (set-wise, with what creating a
lead does: the audit log, a message on its timeline, the rules for new leads).
A line is recognised by the hash of its content, stored on the lead it
created: re-running the same file creates nothing twice. The same address
twice in one file is reported as a duplicate line.
"""
from __future__ import annotations

from functools import cache

from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import Field, fields_of
from core.imports import ImportField, ImportSpec
from core.imports.model_import import IMPORTABLE_KINDS, RelatedNames, imported_lines

from . import services
from .models import Lead

#: set by the import or the services, never by a file
NOT_IMPORTED = ("company_id", "source", "stage_id")
#: other header names (any language, accents and case ignored) of some fields
SYNONYMS = {
    "name": ("title", "subject", "lead", "asunto", "titulo", "oggetto", "titolo"),
    "contact_name": ("contact", "name", "full name", "nombre", "contacto", "nome", "contatto", "referente"),
    "partner_name": ("company", "organisation", "organization", "empresa", "compania", "azienda", "societa", "ditta"),
    "email": ("e-mail", "mail", "correo", "correo electronico", "posta elettronica"),
    "phone": ("telephone", "mobile", "telefono", "movil", "cellulare"),
    "country_code": ("country", "pais", "paese", "nazione"),
    "partner_id": ("customer", "cliente"),
    "user_id": ("owner", "comercial", "vendedor", "commerciale", "venditore"),
    "team_id": ("sales team", "equipo", "squadra"),
    "expected_revenue": ("revenue", "amount", "value", "importe", "valor", "importo", "valore"),
    "date_deadline": ("deadline", "closing date", "fecha de cierre", "cierre", "data di chiusura", "chiusura"),
    "category": ("categoria",),
    "campaign_id": ("campana", "campagna"),
    "description": ("notes", "message", "notas", "mensaje", "note", "messaggio"),
}


@cache
def importable() -> dict[str, Field]:
    """The lead fields a file can fill."""
    return {name: found for name, found in fields_of(Lead).items() if found.kind in IMPORTABLE_KINDS
            and not (found.automatic or found.is_readonly(None) or name in NOT_IMPORTED)}


@cache
def import_fields() -> tuple[ImportField, ...]:
    """The import fields of :func:`importable`; a title is not required (a name or an email stands in for it)."""
    return tuple(ImportField.from_field(found, synonyms=SYNONYMS.get(name, ()), key=name == "email", required=False)
                 for name, found in importable().items())


class LeadImport(ImportSpec):
    """Leads of one company, from a file; one instance per import run."""

    name = "leads"
    model = Lead

    def __init__(self, session: Session, company_id: int):
        self.company_id = company_id
        self.fields = import_fields()
        self.related = RelatedNames(importable())

    def prepare(self, session: Session, rows: list[dict]) -> None:
        self.related.prepare(session, rows)

    def validate(self, session: Session, values: dict) -> dict:
        values = dict(values)
        unknown = self.related.resolve(values)
        try:
            cleaned = services.clean_lead_values(session, values)
        except ValidationError as error:
            unknown = {**error.errors, **unknown}
        if unknown:
            field, message = next(iter(unknown.items()))
            raise ValidationError(message, field, unknown)
        return cleaned

    def find_existing(self, session: Session, key: str, values: set) -> dict:
        return {}  # the same person may send several requests: only identical lines count as imported

    def find_imported(self, session: Session, hashes: set[str]) -> dict[str, str]:
        return imported_lines(session, Lead, self.company_id, hashes)

    def create_lines(self, session: Session, lines: list) -> None:
        services.create_leads(session, self.company_id, [{**item.values, "import_hash": item.hash} for item in lines],
                              source="import")
