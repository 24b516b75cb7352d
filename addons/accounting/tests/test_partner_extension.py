"""Accounting's fields on the partner's pages (an extension of contacts' Partner): edited on the partner form,
shown on its record page, list and export while accounting is installed; gone, with the data kept, when it is not."""
from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from addons.accounting.models import PartnerAccounting, PaymentTerm
from addons.accounting.tests.conftest import client_for
from addons.contacts.importing import PartnerImport
from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from core.imports import read_file, run_import
from core.testing import ADMIN_PASSWORD
from tests.lifecycle_helpers import query

ACCOUNTING_LABELS = ("Credit limit", "Receivable account", "Payable account", "Customer payment terms",
                     "Supplier payment terms")


def errors_of(page: str, name: str) -> list[str]:
    found = re.search(rf'id="{name}-errors">(.*?)</ul>', page, re.S)
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []


def term(shop, name: str) -> PaymentTerm:
    return shop.session.scalars(select(PaymentTerm).where(PaymentTerm.company_id == shop.company.id,
                                                          PaymentTerm.name == name)).one()


def plain_partner(shop, name: str) -> Partner:
    """A partner made by contacts alone: no accounting row yet."""
    partner = create_partner(shop.session, shop.company.id, name=name)
    shop.session.commit()
    return partner


def side_row(web, partner_id: int):
    return web.db.system().get(PartnerAccounting, partner_id)


def test_the_partner_form_saves_a_credit_limit_alone_and_the_accounts_take_the_company_defaults(web, shop):
    partner = plain_partner(shop, "Solo Límite S.L.")
    client = client_for(web, shop.accountant())
    form = client.get(f"/contacts/partners/{partner.id}/edit").get_data(as_text=True)
    for label in ACCOUNTING_LABELS:
        assert f">{label}</label>" in form, label
    saved = client.post(f"/contacts/partners/{partner.id}/edit", {"name": "Solo Límite S.L.", "credit_limit": "2500"})
    assert saved.status_code == 302, errors_of(saved.get_data(as_text=True), "receivable_account_id")
    row = side_row(web, partner.id)
    assert row.credit_limit == Decimal("2500.00") and row.company_id == shop.company.id
    assert (row.receivable_account_id, row.payable_account_id) == (shop.account("430").id, shop.account("400").id)


def test_a_new_partner_is_created_with_its_terms_accounts_and_limit_and_every_page_shows_them(web, shop):
    client = client_for(web, shop.accountant())
    client.get("/contacts/partners/new")
    thirty, cash = term(shop, "30 días"), term(shop, "Contado")
    customers = shop.account("440")  # not the default 430
    created = client.post("/contacts/partners/new", {
        "name": "Ferretería Norte S.L.", "is_company": "y", "credit_limit": "1234.5",
        "customer_payment_term_id": str(thirty.id), "supplier_payment_term_id": str(cash.id),
        "receivable_account_id": str(customers.id)})
    assert created.status_code == 302
    partner = web.db.system().scalars(select(Partner).where(Partner.name == "Ferretería Norte S.L.")).one()
    row = side_row(web, partner.id)
    assert (row.credit_limit, row.customer_payment_term_id, row.supplier_payment_term_id) == (
        Decimal("1234.50"), thirty.id, cash.id)
    assert (row.receivable_account_id, row.payable_account_id) == (customers.id, shop.account("400").id)

    record = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "<dt>Credit limit</dt><dd>1,234.5</dd>" in record
    assert "<dt>Customer payment terms</dt><dd>30 días</dd>" in record
    assert "<dt>Supplier payment terms</dt><dd>Contado</dd>" in record
    assert f"<dt>Receivable account</dt><dd>{html.escape(customers.display_name)}</dd>" in record
    listing = client.get("/contacts/partners/?q=Norte").get_data(as_text=True)
    assert ">Credit limit<" in listing and "1,234.5" in listing
    exported = client.get("/contacts/partners/export.csv?q=Norte").get_data(as_text=True).splitlines()
    header, line = exported[0].split(","), exported[1]
    assert set(ACCOUNTING_LABELS) <= set(header)
    assert "30 días" in line and "Contado" in line and "1,234.5" in line


def bad_values(shop):
    return {
        "negative limit": ({"credit_limit": "-1"}, "credit_limit", "Number must be between 0 and"),
        "limit of 100,000 digits": ({"credit_limit": "9" * 100_000}, "credit_limit", "Number must be between 0 and"),
        "a payable account as receivable": ({"receivable_account_id": str(shop.account("400").id)},
                                            "receivable_account_id", "Choose an active receivable account."),
        "a payment term that does not exist": ({"customer_payment_term_id": "999999"}, "customer_payment_term_id",
                                               "This record does not exist or you may not use it."),
        "100,000 characters as a payment term": ({"supplier_payment_term_id": "x" * 100_000},
                                                 "supplier_payment_term_id", "Not a valid choice."),
    }


@pytest.mark.parametrize("case", ["negative limit", "limit of 100,000 digits", "a payable account as receivable",
                                  "a payment term that does not exist", "100,000 characters as a payment term"])
def test_a_bad_accounting_value_is_refused_on_its_field_and_nothing_is_written(web, shop, case):
    values, field, message = bad_values(shop)[case]
    partner = plain_partner(shop, "Sin Cambios S.L.")
    client = client_for(web, shop.accountant())
    client.get(f"/contacts/partners/{partner.id}/edit")
    refused = client.post(f"/contacts/partners/{partner.id}/edit", {"name": "Cambiado S.L.", **values})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    problems = errors_of(page, field)
    assert problems and message in problems[0], problems
    assert len(page) < 300_000  # the value is not echoed back whole
    check = web.db.system()
    assert check.get(Partner, partner.id).name == "Sin Cambios S.L."
    assert check.get(PartnerAccounting, partner.id) is None

    before = check.scalar(select(func.count(Partner.id)))
    client.get("/contacts/partners/new")
    refused = client.post("/contacts/partners/new", {"name": "Nuevo S.L.", **values})
    assert refused.status_code == 422 and errors_of(refused.get_data(as_text=True), field)
    assert web.db.system().scalar(select(func.count(Partner.id))) == before


def test_an_account_of_another_company_is_refused(web, shop):
    partner = shop.partner("Mezcla S.L.")
    other = shop.generic()
    accountant = web.db.user("bothbooks", groups=["accounting.group_accountant"],
                             companies=[shop.company, other.company])
    client = client_for(web, accountant)
    client.get(f"/contacts/partners/{partner.id}/edit")
    receivable = other.settings.receivable_account_id
    refused = client.post(f"/contacts/partners/{partner.id}/edit",
                          {"name": "Mezcla S.L.", "receivable_account_id": str(receivable)})
    assert refused.status_code == 422
    assert "another company" in " ".join(errors_of(refused.get_data(as_text=True), "receivable_account_id"))
    assert side_row(web, partner.id).receivable_account_id == shop.account("430").id


def test_who_sees_and_who_edits_the_accounting_fields(web, shop):
    partner = shop.partner("Visto S.L.")
    row = shop.session.get(PartnerAccounting, partner.id)
    row.credit_limit = Decimal("700")
    shop.session.commit()
    clerk = shop.user(groups=["contacts.group_manager"])  # contacts only
    clerk_client = client_for(web, clerk)
    record = clerk_client.get(f"/contacts/partners/{partner.id}")
    assert record.status_code == 200
    page = record.get_data(as_text=True)
    assert "Credit limit" not in page and "Receivable account" not in page
    form = clerk_client.get(f"/contacts/partners/{partner.id}/edit").get_data(as_text=True)
    assert "credit_limit" not in form
    assert clerk_client.post(f"/contacts/partners/{partner.id}/edit",
                             {"name": "Visto y Cambiado S.L.", "credit_limit": "1"}).status_code == 302
    assert "Credit limit" not in clerk_client.get("/contacts/partners/export.csv").get_data(as_text=True)
    assert side_row(web, partner.id).credit_limit == Decimal("700.00")  # not a field of their form

    billing = client_for(web, shop.billing())  # reads the partner's accounting, does not change it
    assert "<dt>Credit limit</dt><dd>700</dd>" in billing.get(f"/contacts/partners/{partner.id}").get_data(
        as_text=True)
    assert "credit_limit" not in billing.get(f"/contacts/partners/{partner.id}/edit").get_data(as_text=True)


def test_deleting_a_partner_from_its_page_deletes_its_accounting_row(web, shop):
    gone, kept = shop.partner("Se Borra S.L."), shop.partner("Se Queda S.L.")
    client = client_for(web, shop.user(groups=["contacts.group_manager"]))
    client.get(f"/contacts/partners/{gone.id}/delete")
    assert client.post(f"/contacts/partners/{gone.id}/delete").status_code == 302
    rows = web.db.system().connection().execute(
        text("SELECT partner_id FROM accounting_partner WHERE partner_id IN (:gone, :kept)"),
        {"gone": gone.id, "kept": kept.id}).scalars().all()
    assert rows == [kept.id]


def test_uninstalling_accounting_hides_the_fields_and_keeps_the_rows_and_reinstalling_shows_them(served, catalog):
    client_for_served, url = served(catalog, ["accounting"])
    admin = client_for_served()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/contacts/partners/new")
    created = admin.post("/contacts/partners/new", {"name": "Duradero S.L.", "credit_limit": "900"})
    assert created.status_code == 302
    partner_page = created.headers["Location"]
    assert "<dt>Credit limit</dt><dd>900</dd>" in admin.get(partner_page).get_data(as_text=True)
    partner_id = int(partner_page.rstrip("/").rsplit("/", 1)[1])

    admin.get("/settings/addons/accounting/uninstall")
    assert admin.post("/settings/addons/accounting/uninstall").status_code == 302
    assert query(url, "SELECT state FROM core_addon WHERE name = 'accounting'") == [("deactivated",)]
    for page in (partner_page, partner_page + "/edit", "/contacts/partners/", "/contacts/partners/export.csv"):
        shown = admin.get(page)
        assert shown.status_code == 200 and "Credit limit" not in shown.get_data(as_text=True), page
    admin.get(partner_page + "/edit")
    assert admin.post(partner_page + "/edit", {"name": "Duradero y Callado S.L."}).status_code == 302
    assert query(url, "SELECT credit_limit FROM accounting_partner WHERE partner_id = :p", p=partner_id) == [
        (Decimal("900.00"),)]

    admin.get("/settings/addons/accounting/install")
    assert admin.post("/settings/addons/accounting/install").status_code == 302
    assert "<dt>Credit limit</dt><dd>900</dd>" in admin.get(partner_page).get_data(as_text=True)


def _import(session, company_id, text_data: str):
    table = read_file(text_data.encode("utf-8"), "partners.csv", None)
    return run_import(session, PartnerImport(session, company_id), table, None)


def test_a_partner_import_fills_the_accounting_fields_for_who_may_write_them(books):
    accountant = books.as_user(books.accountant())
    report = _import(accountant, books.company.id,
                     "Name;Credit limit;Customer payment terms\nImportada S.L.;1500;30 días\n")
    assert report.ok and report.committed, [str(issue) for issue in report.issues]
    accountant.commit()
    partner = books.session.scalars(select(Partner).where(Partner.name == "Importada S.L.")).one()
    row = books.session.get(PartnerAccounting, partner.id)
    assert (row.credit_limit, row.customer_payment_term_id) == (Decimal("1500.00"), term(books, "30 días").id)
    assert row.receivable_account_id == books.account("430").id

    before = books.session.scalar(select(func.count(Partner.id)))
    refused = _import(books.as_user(books.accountant()), books.company.id,
                      "Name;Credit limit\nBuena S.L.;10\nMala S.L.;-5\n")
    assert not refused.ok and not refused.committed
    assert [(issue.line, issue.column) for issue in refused.errors] == [(3, "Credit limit")]
    assert books.session.scalar(select(func.count(Partner.id))) == before

    clerk = books.as_user(books.user(groups=["contacts.group_manager"]))
    assert "credit_limit" not in {found.name for found in PartnerImport(clerk, books.company.id).fields}
