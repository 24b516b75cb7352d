"""Business documents (an invoice, a purchase order) as HTML templates printed to PDF in the partner's language.

An addon keeps its document templates under its ``templates/<addon>/``,
extending ``core/document.html``. :func:`render_html` renders one in a
language, without a Flask application (a job or the CLI prints the same
PDF as the web), with Babel's translations for that language (the core's
catalogue with the addon's merged over it) and filters that format for
that locale: ``money(currency)``,
``number``, ``price``, ``percent``, ``date``, ``iban``. :class:`Party` is
what a document prints of the company or a partner; :func:`document_language`
picks the language. :func:`render_document` lays the HTML out with
WeasyPrint. The company's logo is embedded as a ``data:`` URI
(:func:`logo_uri`), so WeasyPrint fetches nothing.

WeasyPrint is imported when a PDF is rendered, not when this module is.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from core.languages import CODES
from core.taxid import international_vat
from core.web.i18n import TRANSLATIONS as CORE_TRANSLATIONS

#: the core's templates: ``core/document.html``, the base every document extends, and its parts
CORE_TEMPLATES = Path(__file__).resolve().parent / "web" / "templates"


@dataclass(frozen=True)
class Party:
    """The company or a partner as a document prints it: name, address, tax id, contacts."""

    name: str
    vat: str | None = None
    street: str | None = None
    street2: str | None = None
    zip: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    is_company: bool = True

    @classmethod
    def of(cls, partner) -> Party:
        """A contacts partner's side."""
        return cls(name=partner.name, vat=partner.vat, street=partner.street, street2=partner.street2,
                   zip=partner.zip, city=partner.city, country_code=(partner.country_code or "").upper() or None,
                   email=partner.email, phone=partner.phone, is_company=partner.is_company)

    @classmethod
    def of_company(cls, company) -> Party:
        """The company's side, from its profile."""
        return cls(name=company.name, vat=company.vat, street=company.street, street2=company.street2,
                   zip=company.zip, city=company.city, province=company.province,
                   country_code=company.country_code, email=company.email, phone=company.phone,
                   website=company.website)

    @property
    def vat_number(self) -> str | None:
        """The VAT number without its country prefix (as FatturaPA and Facturae want it)."""
        if not self.vat:
            return None
        vat = self.vat.replace(" ", "").upper()
        return vat[2:] if self.country_code and vat.startswith(self.country_code) else vat

    @property
    def vat_international(self) -> str | None:
        """The VAT number with its country prefix where the EU wants one (as UBL wants it)."""
        return international_vat(self.vat, self.country_code) if self.vat else None

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(part for part in (self.zip, self.city) if part)
        region = self.province if self.province and self.province != self.city else None
        return [part for part in (self.street, self.street2, town, region, self.country_code) if part]


def document_language(partner_lang: str | None, company) -> str:
    """The partner's language, else the company's document language, else its country's, else English."""
    for code in (partner_lang, company.lang, (company.country_code or "").lower()):
        if code in CODES:
            return code
    return "en"


def logo_uri(company) -> str | None:
    """The company's logo as a ``data:`` URI; None when it has none."""
    if not company.logo_type:
        return None
    return f"data:{company.logo_type};base64,{base64.b64encode(company.logo).decode()}"


def translations(addon_dir: Path, lang: str, also: tuple[Path, ...] = ()) -> NullTranslations:
    """Core's catalogue for ``lang``, then those of the addons ``also`` names, then the addon's, each merged over
    the previous one (English: none)."""
    merged = NullTranslations()
    for folder in (CORE_TRANSLATIONS, *(path / "translations" for path in (*also, addon_dir))):
        found = Translations.load(str(folder), [lang])
        if not isinstance(found, Translations):
            continue
        if isinstance(merged, Translations):
            merged.merge(found)
        else:
            merged = found
    return merged


@lru_cache(maxsize=16)
def environment(addon_dir: Path, lang: str, also: tuple[Path, ...] = ()) -> Environment:
    """The Jinja environment of an addon's document templates in ``lang`` (one per addon and language)."""
    from stdnum import iban

    loader = ChoiceLoader([FileSystemLoader(str(addon_dir / "templates")), FileSystemLoader(str(CORE_TEMPLATES))])
    env = Environment(loader=loader, autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(addon_dir, lang, also), newstyle=True)
    env.filters["money"] = lambda value, currency: format_currency(value, currency, locale=lang)
    env.filters["number"] = lambda value: format_decimal(value, locale=lang)
    env.filters["price"] = lambda value: format_decimal(value, "#,##0.00####", locale=lang)
    env.filters["percent"] = lambda value: format_percent(value / 100, "#,##0.##%", locale=lang)
    env.filters["date"] = lambda value: format_date(value, "long", locale=lang)
    env.filters["iban"] = lambda value: iban.format(value)
    return env


def render_html(addon_dir: Path, template: str, lang: str, *, catalogues: tuple[Path, ...] = (), **context) -> str:
    """``template`` of the addon rendered in ``lang``; ``catalogues``: other addons whose translations it uses."""
    return environment(addon_dir, lang, catalogues).get_template(template).render(lang=lang, **context)


def render_document(html: str):
    """The laid-out WeasyPrint document of ``html`` (its pages can be inspected; ``write_pdf()`` prints it)."""
    from weasyprint import HTML

    return HTML(string=html).render()


def filename(display_name: str, extension: str = "pdf") -> str:
    """A file name for a document called ``display_name`` (``INV/2026/00001`` -> ``INV-2026-00001.pdf``)."""
    return f"{display_name.replace('/', '-').replace(' ', '_')}.{extension}"
