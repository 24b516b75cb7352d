"""Importing partners from CSV or XLSX: the contacts part of the generic engine in core.imports.

A file may fill every field of :class:`~addons.contacts.models.Partner` and
the fields installed addons add to it (a field added to the model is
importable at once): the columns are recognised by the fields' names and
labels and by the synonyms below. Every line is
checked by :func:`~addons.contacts.services.clean_partner_values` (the same
checks as the form), and each chunk of lines is created set-wise by
:func:`~addons.contacts.services.create_partners` (access, record rules and
the audit log of :mod:`core.bulk`). A person's company is named
in the ``parent`` column: an existing company of the same company account,
or a company created by another line of the same file (companies are created
first); the salesperson is named by login, name or email. Natural keys, which
make a re-run create nothing twice: the tax id, and the email together with
the name; a line with neither is recognised by the hash of its content,
stored on the partner it created.
"""
from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import replace
from functools import cache, lru_cache

from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean_one, extensions_of, fields_of, save_extension_values, split_values
from core.imports import ImportField, ImportSpec
from core.imports.engine import normalize_header
from core.imports.model_import import IMPORTABLE_KINDS, RelatedNames, clean_extensions, imported_lines
from core.imports.spec import LineError, read_bool
from core.languages import CODES
from core.models import User
from core.taxid import same_tax_id_key

from .matching import normalize_email, normalize_name
from .models import CONTACT, DELIVERY, INVOICE, Partner, Tag
from .services import clean_partner_values, create_partners

COMPANY_WORDS = {"company", "business", "organisation", "organization", "empresa", "sociedad", "compania",
                 "azienda", "societa", "ditta", "impresa", "persona giuridica"}
PERSON_WORDS = {"person", "individual", "people", "contact", "persona", "particular", "individuo", "privato",
                "persona fisica"}
TYPE_WORDS = {
    CONTACT: {"contact", "person", "contacto", "persona", "contatto"},
    INVOICE: {"invoice", "invoice address", "billing", "billing address", "factura", "facturacion",
              "direccion de facturacion", "fattura", "fatturazione", "indirizzo di fatturazione"},
    DELIVERY: {"delivery", "delivery address", "shipping", "shipping address", "entrega", "envio",
               "direccion de entrega", "direccion de envio", "consegna", "spedizione", "indirizzo di consegna",
               "indirizzo di spedizione"},
}
#: the (email, name) pairs of a file held in memory at once while it is surveyed
SURVEYED = 5000
#: relations a file names by text (looked up in :meth:`PartnerImport.validate`): field -> import field
BY_NAME = {"parent_id": "parent", "salesperson_id": "salesperson"}


def _words(text: str) -> str:
    return " ".join(normalize_header(part) for part in str(text).split() if normalize_header(part))


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    names = {}
    for code in CODES:
        names[code] = code
        for locale in CODES:
            names[_words(Locale.parse(locale).languages[code])] = code
    names.update({"castellano": "es", "english": "en"})
    return names


def read_language(text: str) -> str:
    raw = text.strip().lower()
    if re.fullmatch(r"[a-z]{2}[-_][a-z]{2}", raw):  # es_ES, it-IT
        raw = raw[:2]
    code = _languages().get(_words(raw))
    if code is None:
        raise ValueError(_l("%(value)s is not a language: use English, Spanish or Italian (en, es, it).",
                            value=text))
    return code


def read_is_company(text: str) -> bool:
    word = _words(text)
    if word in COMPANY_WORDS:
        return True
    if word in PERSON_WORDS:
        return False
    return read_bool(text)


def read_type(text: str) -> str:
    word = _words(text)
    for kind, words in TYPE_WORDS.items():
        if word in words or word == kind:
            return kind
    raise ValueError(_l("%(value)s is not a contact type: write contact, invoice or delivery.", value=text))


#: cells read more leniently than the field's own choices (words in English, Spanish and Italian)
READERS = {"is_company": read_is_company, "type": read_type, "lang": read_language}
#: other header names, in English, Spanish and Italian; a field's name and label are recognised too
SYNONYMS = {
    "name": ("full name", "company name", "partner", "partner name", "contact name", "display name", "nombre",
             "nombre completo", "razon social", "denominacion", "nome", "nome completo", "ragione sociale",
             "denominazione", "nominativo"),
    "is_company": ("is company", "kind", "partner type", "es empresa", "es una empresa", "tipo de contacto",
                   "e un azienda", "tipo soggetto"),
    "parent_id": ("company", "parent", "parent company", "organization", "organisation", "account", "employer",
                  "empresa", "trabaja en", "organizacion", "azienda", "lavora presso", "organizzazione", "societa"),
    "type": ("address type", "contact type", "tipo", "tipo de direccion", "tipo indirizzo", "tipo contatto"),
    "email": ("e-mail", "mail", "email address", "correo", "correo electronico", "posta elettronica",
              "indirizzo email", "pec"),
    "phone": ("telephone", "tel", "phone number", "telefono", "tel fijo", "fijo", "numero di telefono"),
    "mobile": ("mobile phone", "cell", "cellphone", "cell phone", "movil", "telefono movil", "celular",
               "cellulare"),
    "street": ("address", "address line 1", "street address", "direccion", "calle", "domicilio", "indirizzo",
               "via"),
    "street2": ("street 2", "address line 2", "address 2", "direccion 2", "indirizzo 2"),
    "zip": ("zip code", "postal code", "post code", "codigo postal", "cp", "cap", "codice postale"),
    "city": ("town", "ciudad", "poblacion", "localidad", "municipio", "citta", "comune", "localita"),
    "country_code": ("country", "country code", "pais", "paese", "nazione", "stato"),
    "vat": ("vat", "vat number", "vat id", "tax number", "tax id number", "nif", "cif", "nie", "dni", "nif cif",
            "nif/cif", "partita iva", "p iva", "piva", "p.iva", "codice fiscale", "cf"),
    "lang": ("lang", "idioma", "lengua", "lingua"),
    "salesperson_id": ("sales person", "account manager", "sales rep", "comercial", "vendedor", "agente",
                       "commerciale", "venditore"),
    "tags": ("tag", "categories", "category", "labels", "etiquetas", "categorias", "etichette", "categorie"),
}


def _by_format(field):
    """A cell of a field with a format (email, phone, country) read by it at once, so that a line reports
    every wrong cell together; a tax id waits for the line's country."""
    if field.format is None or field.format == "taxid":
        return None
    return lambda text: clean_one(field, text)


@cache
def import_fields() -> tuple[ImportField, ...]:
    """What a file may fill: every field of a partner that a person fills, read from the field layer."""
    found = []
    for name, field in fields_of(Partner).items():
        if field.automatic or name == "company_id":
            continue
        imported = ImportField.from_field(field, synonyms=SYNONYMS.get(name, ()),
                                          convert=READERS.get(name) or _by_format(field))
        found.append(replace(imported, name=BY_NAME.get(name, name)))
    return tuple(found)


class PartnerImport(ImportSpec):
    """Partners of one company, from a file; one instance per import run."""

    name = "contacts"
    model = Partner

    def __init__(self, session: Session, company_id: int):
        self.registry = session.info.get("registry")
        writable = extensions_of(self.registry, Partner, session.info.get("actor"), ("create", "write"))
        added = {name: found for extension in writable
                 for name, found in extension.fields.items() if found.kind in IMPORTABLE_KINDS}
        self.fields = import_fields() + tuple(ImportField.from_field(found) for found in added.values())
        self.related = RelatedNames(added)  # the installed addons' fields on partners (accounting's accounts...)
        self.company_id = company_id
        self.created: dict[str, int] = {}
        self.by_key: dict[str, dict] | None = None
        self.waiting: list = []

    # --- preparation: everything looked up once (or once per chunk), not per line ---------------

    def survey(self, rows, mapping: dict[int, str]) -> None:
        """The companies the file creates (people may name them as their company), and the emails its lines give
        with different names. The emails met are counted in a private temporary SQLite database, so the memory
        this takes stays flat however long the file is; only the shared ones are kept."""
        columns = {name: index for index, name in mapping.items() if name in ("name", "is_company", "email")}
        self.file_companies: set[str] = set()
        with closing(sqlite3.connect("")) as emails:
            emails.execute("CREATE TABLE named (email TEXT, name TEXT, PRIMARY KEY (email, name)) WITHOUT ROWID")
            named = []
            for row in rows:
                values = {name: self._read(name, row.cells[index]) for name, index in columns.items()}
                if values.get("is_company") and values.get("name"):
                    self.file_companies.add(normalize_name(values["name"]))
                if values.get("email"):
                    named.append((normalize_email(values["email"]), normalize_name(values.get("name"))))
                if len(named) >= SURVEYED:
                    emails.executemany("INSERT OR IGNORE INTO named VALUES (?, ?)", named)
                    named = []
            emails.executemany("INSERT OR IGNORE INTO named VALUES (?, ?)", named)
            self.shared_emails = {email for (email,) in emails.execute(
                "SELECT email FROM named GROUP BY email HAVING count(*) > 1")}

    def _read(self, name: str, text: str):
        try:
            return self.field(name).read(text) if text else None
        except ValueError:
            return None  # the line's check reports it

    def prepare(self, session: Session, rows: list[dict]) -> None:
        self.related.prepare(session, rows)
        if self.by_key is None:
            self._load(session)

    def _load(self, session: Session) -> None:
        """The company's partners, tags and the users, as they were before the import."""
        self.by_key = {"vat": {}, "email_name": {}}
        self.names: dict[str, list[str]] = defaultdict(list)
        self.emails: dict[str, str] = {}
        self.companies: dict[str, int] = {}
        statement = select(Partner.id, Partner.name, Partner.is_company, Partner.vat, Partner.country_code,
                           Partner.email, Partner.active).where(Partner.company_id == self.company_id)
        for partner_id, name, is_company, vat, country, email, active in session.execute(statement):
            label = name if active else str(_l("%(name)s (archived)", name=name))
            vat_key = same_tax_id_key(vat, country)
            if vat_key:
                self.by_key["vat"].setdefault(vat_key, label)
            normalized = normalize_name(name)
            if email:
                self.by_key["email_name"].setdefault((normalize_email(email), normalized), label)
                self.emails.setdefault(normalize_email(email), label)
            if active:
                self.names[normalized].append(name)
                if is_company:
                    self.companies.setdefault(normalized, partner_id)
        self.tags = {tag.name.lower(): tag for tag in session.scalars(
            select(Tag).where(Tag.company_id == self.company_id))}
        self.users: dict[str, int] = {}
        for user_id, login, name, email in session.execute(
                select(User.id, User.login, User.name, User.email).where(User.active.is_(True))):
            for handle in (login, name, email):
                if handle:
                    self.users.setdefault(handle.strip().lower(), user_id)

    # --- one line ---------------------------------------------------------------------------

    def validate(self, session: Session, values: dict) -> dict:
        errors: dict[str, object] = {}
        values = dict(values)
        parent_name = values.pop("parent", None)
        salesperson = values.pop("salesperson", None)
        tags = values.pop("tags", None)
        errors.update(self.related.resolve(values))
        values, added = split_values(self.registry, Partner, {k: v for k, v in values.items() if v is not None})
        parent_key = None
        if parent_name:
            wanted = normalize_name(parent_name)
            if wanted in self.companies:
                values["parent_id"] = self.companies[wanted]
            elif wanted in self.file_companies:
                parent_key = wanted
            else:
                errors["parent"] = _l("There is no company called %(name)s among your partners or in this file.",
                                      name=parent_name)
        if salesperson:
            user_id = self.users.get(salesperson.strip().lower())
            if user_id is None:
                errors["salesperson"] = _l("There is no user %(name)s (give a login, name or email).",
                                           name=salesperson)
            else:
                values["salesperson_id"] = user_id
        if tags:
            values["tags"] = [self.tags.get(tag.lower(), tag) for tag in tags]
        checked_type = values.get("type")
        if parent_key is not None:
            if values.get("is_company"):
                errors["parent"] = _l("A company cannot belong to another company.")
            values.pop("type", None)  # checked against the parent once it exists; the type itself is valid
        try:
            cleaned = clean_partner_values(session, self.company_id, values)
        except ValidationError as invalid:
            for field, message in invalid.errors.items():
                errors.setdefault(BY_NAME.get(field, field), message)
        errors.update(clean_extensions(session, added))
        if errors:
            field, message = next(iter(errors.items()))
            raise ValidationError(str(message), field, errors)
        if parent_key is not None:
            cleaned["type"] = checked_type or CONTACT
            cleaned["_parent"] = parent_key
        if added:
            cleaned["_extensions"] = added
        return cleaned

    def keys(self, values: dict) -> dict:
        found = {}
        vat_key = same_tax_id_key(values.get("vat"), values.get("country_code"))
        if vat_key:
            found["vat"] = vat_key
        if values.get("email"):
            found["email_name"] = (normalize_email(values["email"]), normalize_name(values.get("name")))
        return found

    def key_label(self, key: str):
        return _l("tax ID") if key == "vat" else _l("email and name")

    def find_existing(self, session: Session, key: str, values: set) -> dict:
        known = self.by_key.get(key, {})
        return {value: known[value] for value in values if value in known}

    def find_imported(self, session: Session, hashes: set[str]) -> dict[str, str]:
        return imported_lines(session, Partner, self.company_id, hashes)

    def warnings(self, session: Session, line: int, values: dict):
        found = []
        name = normalize_name(values.get("name"))
        if name in self.names:
            found.append(("name", _l("Looks like %(name)s, an existing partner with a similar name.",
                                     name=self.names[name][0])))
        email = normalize_email(values.get("email"))
        if email and email in self.emails and (email, name) not in self.by_key["email_name"]:
            found.append(("email", _l("%(partner)s, an existing partner, has the same email.",
                                      partner=self.emails[email])))
        elif email in self.shared_emails:
            found.append(("email", _l("Other lines of this file have the same email.")))
        return found

    def describe(self, values: dict) -> str:
        return values.get("name") or ""

    def priority(self, values: dict) -> int:
        return 0 if values.get("is_company") else 1

    def create_lines(self, session: Session, lines: list) -> None:
        """A chunk's lines set-wise: its companies first, then the people whose company exists by now; people whose
        company a later chunk creates wait for :meth:`finish`."""
        companies = [item for item in lines if item.values.get("is_company")]
        self._create(session, companies)
        self._create(session, [item for item in lines if not item.values.get("is_company") and not self._waits(item)])

    def _waits(self, item) -> bool:
        parent_key = item.values.get("_parent")
        if parent_key is None or parent_key in self.created or parent_key in self.companies:
            return False
        self.waiting.append(item)
        return True

    def finish(self, session: Session) -> None:
        self._create(session, self.waiting)
        self.waiting = []

    def deferred_lines(self) -> set[int]:
        return {item.line for item in self.waiting}

    def _create(self, session: Session, lines: list) -> None:
        if not lines:
            return
        rows, added = [], []
        for item in lines:
            values = dict(item.values)
            parent_key = values.pop("_parent", None)
            added.append(values.pop("_extensions", None))
            if parent_key is not None:
                values["parent_id"] = self.created.get(parent_key) or self.companies.get(parent_key)
                if values["parent_id"] is None:
                    raise LineError(item.line, ValidationError(
                        _l("There is no company called %(name)s among your partners or in this file.",
                           name=parent_key), "parent_id"))
            rows.append({**values, "import_hash": item.hash})
        ids = create_partners(session, self.company_id, rows)
        for row, partner_id, extension_values in zip(rows, ids, added, strict=True):
            if row.get("is_company"):
                self.created.setdefault(normalize_name(row["name"]), partner_id)
            if extension_values:  # other addons' rows, through the session (their guards see each one)
                save_extension_values(session, self.registry, session.get(Partner, partner_id), extension_values)
        if any(not isinstance(tag, Tag) for row in rows for tag in row.get("tags") or ()):
            self.tags = {tag.name.lower(): tag for tag in session.scalars(
                select(Tag).where(Tag.company_id == self.company_id))}
