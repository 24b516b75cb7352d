"""The accounting UI through HTTP: menus per role, invoices from draft to paid, posted documents frozen."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from addons.accounting.models import (BankStatement, BankStatementLine, Budget, BudgetLine, FiscalYear, Invoice,
                                      InvoiceLine, Move, PartnerAccounting, Payment, Settings)
from addons.accounting.services.invoices import create_invoice, post_invoice
from addons.accounting.tests.conftest import client_for
from tests import bombs

TODAY = dt.date.today()


def sidebar(page: str) -> str:
    return page[page.index('<nav class="sidebar"'):page.index("</nav>", page.index('<nav class="sidebar"'))]


def invoice_form(shop, partner, lines, **header):
    data = {"partner_id": str(partner.id), "date": TODAY.isoformat(), "journal_id": str(shop.journal("INV").id),
            "currency_code": "EUR", **header}
    for n, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{n}-{key}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def draft(shop, partner, price="100"):
    invoice = create_invoice(shop.session, partner_id=partner.id, date=TODAY,
                             lines=[{"description": "Repair", "unit_price": price,
                                     "tax_ids": [shop.tax("S_IVA21").id]}])
    shop.session.commit()
    return invoice


def count(web, model) -> int:
    return web.db.system().scalar(select(func.count(model.id)))


# --- menus and what each role may do ---------------------------------------------------------------------------


def test_each_role_sees_the_menus_it_may_use(web, shop):
    accountant = sidebar(client_for(web, shop.accountant()).get("/accounting/invoices/").get_data(as_text=True))
    for label in ("Invoices", "Credit notes", "Payments received", "Bills", "Payments sent", "Journal entries",
                  "Journal items", "Bank statements", "Reconciliation", "Financial reports", "Chart of accounts",
                  "Journals", "Taxes", "Payment terms", "Fiscal years", "Currencies and rates", "Budgets",
                  "Settings and lock date"):
        assert f">{label}<" in accountant, label

    billing_page = client_for(web, shop.billing()).get("/accounting/invoices/").get_data(as_text=True)
    billing = sidebar(billing_page)
    for label in ("Invoices", "Credit notes", "Bills"):
        assert f">{label}<" in billing, label
    for label in ("Payments received", "Journal entries", "Bank statements", "Reconciliation", "Financial reports",
                  "Configuration", "Chart of accounts", "Settings and lock date"):
        assert f">{label}<" not in billing, label
    assert "/accounting/invoices/new" in billing_page  # billing users prepare drafts

    auditor_client = client_for(web, shop.auditor())
    auditor_page = auditor_client.get("/accounting/invoices/").get_data(as_text=True)
    auditor = sidebar(auditor_page)
    for label in ("Invoices", "Journal entries", "Financial reports", "Chart of accounts", "Taxes"):
        assert f">{label}<" in auditor, label
    for label in ("Reconciliation", "Settings and lock date"):
        assert f">{label}<" not in auditor, label
    assert "/accounting/invoices/new" not in auditor_page  # read-only: no New button
    assert auditor_client.get("/accounting/invoices/new").status_code == 403
    assert "/accounting/accounts/new" not in auditor_client.get("/accounting/accounts/").get_data(as_text=True)


def test_a_billing_user_cannot_reach_the_ledger_or_the_reports(web, shop):
    client = client_for(web, shop.billing())
    for url in ("/accounting/entries/", "/accounting/reports?report=trial_balance", "/accounting/settings"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Traceback" not in response.get_data(as_text=True)


# --- an invoice from draft to paid, through the pages ------------------------------------------------------------


def test_an_invoice_is_created_posted_printed_and_paid_through_the_pages(web, shop):
    partner = shop.partner("Cliente Web", email="pagos@cliente.example")
    client = client_for(web, shop.accountant())
    iva = shop.tax("S_IVA21").id
    created = client.post("/accounting/invoices/new", invoice_form(shop, partner, [
        {"description": "Consulting", "product_id": shop.product("CONS").id, "quantity": "2", "unit_price": "100",
         "discount": "10", "tax_ids": [iva]},
        {"description": "Travel", "quantity": "1", "unit_price": "50.50", "tax_ids": [iva]},
        {"description": "", "quantity": "1", "unit_price": ""},  # the blank row the page offers
    ]))
    assert created.status_code == 302, created.get_data(as_text=True)
    invoice_url = created.headers["Location"]
    invoice_id = int(re.search(r"/invoices/(\d+)$", invoice_url).group(1))
    invoice = web.db.system().get(Invoice, invoice_id)
    assert invoice.state == "draft" and [line.description for line in invoice.lines] == ["Consulting", "Travel"]
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("230.50"), Decimal("48.41"), Decimal("278.91"))  # 180 + 50.50; 21 % of each line, rounded per line

    page = client.get(invoice_url).get_data(as_text=True)
    assert "€278.91" in page and ">Post<" in page and ">Edit<" in page and "<td>CONS</td>" in page

    posted = client.post(f"/accounting/documents/{invoice_id}/post", follow_redirects=True)
    page = posted.get_data(as_text=True)
    assert "Posted as INV/" in page
    assert ">Edit<" not in page and ">Delete<" not in page and ">Post<" not in page
    assert "Download PDF" in page and "Register payment" in page

    pdf = client.get(f"/accounting/documents/{invoice_id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    ubl = client.get(f"/accounting/documents/{invoice_id}/einvoice/ubl")
    assert ubl.status_code == 200 and b"<cbc:PayableAmount" in ubl.data and b"278.91" in ubl.data
    facturae = client.get(f"/accounting/documents/{invoice_id}/einvoice/facturae")  # the company has no tax ID yet
    assert facturae.status_code == 400 and "needs a tax number for a Facturae invoice" in facturae.get_data(
        as_text=True)

    bank = shop.journal("BNK1").id
    form = client.get(f"/accounting/documents/{invoice_id}/payment").get_data(as_text=True)
    assert 'value="278.91"' in form
    too_much = client.post(f"/accounting/documents/{invoice_id}/payment",
                           {"amount": "500", "date": TODAY.isoformat(), "journal_id": str(bank)})
    assert too_much.status_code == 422
    assert count(web, Payment) == 0
    partial = client.post(f"/accounting/documents/{invoice_id}/payment",
                          {"amount": "100", "date": TODAY.isoformat(), "journal_id": str(bank)},
                          follow_redirects=True)
    assert "Payment of €100.00 registered." in partial.get_data(as_text=True)
    invoice = web.db.system().get(Invoice, invoice_id)
    assert (invoice.payment_state, invoice.residual) == ("partial", Decimal("178.91"))
    client.post(f"/accounting/documents/{invoice_id}/payment",
                {"amount": "178.91", "date": TODAY.isoformat(), "journal_id": str(bank)})
    invoice = web.db.system().get(Invoice, invoice_id)
    assert (invoice.payment_state, invoice.residual) == ("paid", Decimal("0.00"))
    page = client.get(invoice_url).get_data(as_text=True)
    assert "Register payment" not in page and page.count("Cancel payment") == 2
    first = web.db.system().scalars(select(Payment).order_by(Payment.id)).first()
    cancelled = client.post(f"/accounting/payments/{first.id}/cancel", {"invoice_id": str(invoice_id)},
                            follow_redirects=True)
    assert "The payment is cancelled" in cancelled.get_data(as_text=True)
    invoice = web.db.system().get(Invoice, invoice_id)
    assert (invoice.payment_state, invoice.residual) == ("partial", Decimal("100.00"))


def test_bad_input_on_the_invoice_form_shows_the_field_error_and_stores_nothing(web, shop):
    partner = shop.partner("Cliente Torpe")
    client = client_for(web, shop.accountant())
    before = count(web, Invoice)
    not_a_number = client.post("/accounting/invoices/new", invoice_form(shop, partner, [
        {"description": "Consulting", "quantity": "1", "unit_price": "12,5x"}]))
    assert not_a_number.status_code == 422
    assert "Not a valid decimal value" in not_a_number.get_data(as_text=True)
    no_description = client.post("/accounting/invoices/new", invoice_form(shop, partner, [
        {"description": "Consulting", "unit_price": "10"},
        {"description": "", "quantity": "3", "unit_price": "5"}]))
    page = no_description.get_data(as_text=True)
    assert no_description.status_code == 422
    # the service's error lands on the second row's description, not on the form as a whole
    assert page.count("has-error col-description") == 1
    start = page.rindex("<td", 0, page.index('name="lines-1-description"'))
    cell = page[start:page.index("</td>", start)]
    assert "has-error col-description" in cell and "Line 2 needs a description." in cell
    negative = client.post("/accounting/invoices/new", invoice_form(shop, partner, [
        {"description": "Refund?", "unit_price": "-3"}]))
    assert negative.status_code == 422 and "The unit price cannot be negative" in negative.get_data(as_text=True)
    assert count(web, Invoice) == before and count(web, InvoiceLine) == 0


# --- posted documents cannot change, whatever the way in ----------------------------------------------------------


def test_a_posted_invoice_cannot_be_changed_through_the_form_or_the_json(web, shop):
    partner = shop.partner("Cliente Fijo")
    invoice = draft(shop, partner)
    post_invoice(shop.session, invoice)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    url = f"/accounting/invoices/{invoice.id}"

    page = client.get(url).get_data(as_text=True)
    assert f'href="{url}/edit"' not in page
    edit = client.post(f"{url}/edit", invoice_form(shop, partner, [{"description": "Changed", "unit_price": "1"}]))
    assert edit.status_code == 422
    text = edit.get_data(as_text=True)
    assert "is posted: it cannot be changed or deleted; issue a credit note instead." in text
    assert "Traceback" not in text

    as_json = client.get(f"/accounting/documents/{invoice.id}.json")
    assert as_json.status_code == 200 and as_json.json["state"] == "posted" and as_json.json["amount_total"] == "121.00"
    for method in ("patch", "post"):
        refused = getattr(client.client, method)(f"/accounting/documents/{invoice.id}.json",
                                                 json={"reference": "changed", "lines": [
                                                     {"description": "Changed", "unit_price": "1"}]},
                                                 headers={"X-CSRFToken": client.token})
        assert refused.status_code == 422, refused.get_data(as_text=True)
        assert "is posted: it cannot be changed" in refused.json["error"]

    deleted = client.post(f"{url}/delete", follow_redirects=True)
    assert "is posted: it cannot be changed or deleted" in deleted.get_data(as_text=True)
    stored = web.db.system().get(Invoice, invoice.id)
    assert (stored.reference, stored.amount_total) == (None, Decimal("121.00"))
    assert [line.description for line in stored.lines] == ["Repair"]


def test_a_draft_changes_through_the_json_and_bad_json_is_refused(web, shop):
    partner = shop.partner("Cliente API")
    invoice = draft(shop, partner)
    client = client_for(web, shop.accountant())
    url = f"/accounting/documents/{invoice.id}.json"
    changed = client.client.patch(url, json={"reference": "PO-7", "lines": [
        {"description": "Repair", "quantity": 2, "unit_price": 100.1, "tax_ids": [shop.tax("S_IVA21").id]}]},
        headers={"X-CSRFToken": client.token})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.json["reference"] == "PO-7" and changed.json["amount_total"] == "242.24"  # 200.20 x 1.21
    wrong = client.client.patch(url, json={"lines": [{"description": "X", "unit_price": "abc"}]},
                                headers={"X-CSRFToken": client.token})
    assert wrong.status_code == 422 and wrong.json["field"] == "lines[0].unit_price"
    unknown = client.client.patch(url, json={"amount_total": "1"}, headers={"X-CSRFToken": client.token})
    assert unknown.status_code == 422 and "amount_total" in unknown.json["error"]
    assert web.db.system().get(Invoice, invoice.id).amount_total == Decimal("242.24")


def test_a_posted_journal_entry_has_no_edit_and_its_form_is_refused_cleanly(web, shop):
    partner = shop.partner("Cliente Asiento")
    invoice = draft(shop, partner)
    post_invoice(shop.session, invoice)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    page = client.get(f"/accounting/entries/{invoice.move_id}").get_data(as_text=True)
    assert invoice.number in page and "/edit" not in page and "€121.00" in page
    refused = client.post(f"/accounting/entries/{invoice.move_id}/edit", {"ref": "changed"})
    assert refused.status_code == 403
    assert "cannot be edited by hand" in refused.get_data(as_text=True)
    assert web.db.system().get(Move, invoice.move_id).ref is None


def test_a_billing_user_prepares_drafts_but_cannot_post(web, shop):
    partner = shop.partner("Cliente Borrador")
    client = client_for(web, shop.billing())
    created = client.post("/accounting/invoices/new", invoice_form(shop, partner, [
        {"description": "Draft work", "unit_price": "40"}]))
    assert created.status_code == 302, created.get_data(as_text=True)
    invoice_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert ">Edit<" in page and ">Post<" not in page
    refused = client.post(f"/accounting/documents/{invoice_id}/post", follow_redirects=True)
    assert "Only an accountant can post invoices" in refused.get_data(as_text=True)
    stored = web.db.system().get(Invoice, invoice_id)
    assert stored.state == "draft" and stored.move_id is None and count(web, Move) == 0


def test_an_accountant_posts_every_draft_from_the_list_and_a_billing_user_sees_no_button(web, shop):
    partner = shop.partner("Cliente Lote")
    drafts = [draft(shop, partner, price) for price in ("100", "250", "80")]
    billing = client_for(web, shop.billing())
    assert "Post the drafts" not in billing.get("/accounting/invoices/").get_data(as_text=True)
    assert billing.post("/accounting/documents/out_invoice/post-drafts").status_code == 403
    accountant = client_for(web, shop.accountant())
    page = accountant.get("/accounting/invoices/").get_data(as_text=True)
    assert "Post the drafts" in page
    done = accountant.post("/accounting/documents/out_invoice/post-drafts", follow_redirects=True)
    assert "3 drafts posted." in done.get_data(as_text=True)
    check = web.db.system()
    assert sorted(check.get(Invoice, d.id).number for d in drafts) == [f"INV/{TODAY.year}/{n:05d}" for n in (1, 2, 3)]
    again = accountant.post("/accounting/documents/out_invoice/post-drafts", follow_redirects=True)
    assert "There are no drafts to post." in again.get_data(as_text=True)


def test_a_draft_that_cannot_be_posted_stops_the_list_s_batch_and_is_named(web, shop):
    partner = shop.partner("Cliente Lote")
    drafts = [draft(shop, partner, price) for price in ("100", "250")]
    shop.settings.lock_date = TODAY
    shop.session.commit()
    accountant = client_for(web, shop.accountant())
    page = accountant.post("/accounting/documents/out_invoice/post-drafts", follow_redirects=True)
    assert "locked up to" in page.get_data(as_text=True)
    assert {web.db.system().get(Invoice, d.id).state for d in drafts} == {"draft"} and count(web, Move) == 0


# --- reports, lock date --------------------------------------------------------------------------------------------


def test_the_reports_page_shows_a_report_and_exports_it(web, shop):
    partner = shop.partner("Cliente Informe")
    post_invoice(shop.session, draft(shop, partner))
    shop.session.commit()
    client = client_for(web, shop.auditor())
    args = f"report=trial_balance&date_from={TODAY.year}-01-01&date_to={TODAY.year}-12-31"
    page = client.get(f"/accounting/reports?{args}").get_data(as_text=True)
    assert "Trial balance" in page and "430" in page and "121.00" in page
    assert f"/accounting/reports/export.xlsx?{args}" in page.replace("&amp;", "&") or "export.xlsx" in page
    csv = client.get(f"/accounting/reports/export.csv?{args}")
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and "121.00" in csv.get_data(as_text=True)
    pdf = client.get(f"/accounting/reports/export.pdf?{args}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/accounting/reports/export.xlsx?{args}")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    aged = client.get("/accounting/reports?report=aged_receivables").get_data(as_text=True)
    assert "Aged receivables" in aged and "Cliente Informe" in aged
    bad = client.get("/accounting/reports?report=trial_balance&date_from=2026-13-45")
    assert bad.status_code == 422 and "is not a date" in bad.get_data(as_text=True)


def test_an_accountant_sets_the_lock_date_and_a_bad_date_is_refused(web, shop):
    client = client_for(web, shop.accountant())
    page = client.get("/accounting/settings").get_data(as_text=True)
    assert "The books are not locked." in page
    wrong = client.post("/accounting/settings/lock-date", {"lock_date": "31/12/2025"}, follow_redirects=True)
    assert "31/12/2025 is not a date: write it as 12/31/2026." in wrong.get_data(as_text=True)  # an English user
    done = client.post("/accounting/settings/lock-date", {"lock_date": "2025-12-31"}, follow_redirects=True)
    assert "Lock date set to 2025-12-31." in done.get_data(as_text=True)
    assert web.db.system().scalars(select(Settings.lock_date).where(
        Settings.company_id == shop.company.id)).one() == dt.date(2025, 12, 31)


def test_the_lock_date_needs_a_recent_confirmation_and_goes_to_the_security_log(web, shop):
    from core.models import SecurityEvent
    from core.testing import USER_PASSWORD

    accountant = shop.accountant()
    client = client_for(web, accountant)
    client.get("/accounting/settings")
    with client.client.session_transaction() as cookie:
        cookie["auth_at"] = 0  # logged in long ago
    asked = client.post("/accounting/settings/lock-date", {"lock_date": "2025-12-31"},
                        headers={"Referer": "http://localhost/accounting/settings"})
    assert asked.headers["Location"] == "/reauth?next=/accounting/settings"
    assert web.db.system().scalars(select(Settings.lock_date).where(
        Settings.company_id == shop.company.id)).one() is None
    client.get(asked.headers["Location"])
    assert client.post(asked.headers["Location"], {"password": USER_PASSWORD}).status_code == 302
    client.get("/accounting/settings")
    done = client.post("/accounting/settings/lock-date", {"lock_date": "2025-12-31"}, follow_redirects=True)
    assert "Lock date set to 2025-12-31." in done.get_data(as_text=True)
    event = web.db.system().scalars(select(SecurityEvent).where(SecurityEvent.kind == "lock_date_changed")).one()
    assert event.user_id == accountant.id
    assert event.detail == f"company {shop.company.id}: none → 2025-12-31"


# --- bank statements ------------------------------------------------------------------------------------------------

CSV = ("Fecha;Concepto;Importe;Ordenante\n"
       "{d};Pago factura {number};{amount};CLIENTE BANCO SL\n"
       "{d};Comisión mantenimiento;-12,50;\n")


def test_a_csv_statement_is_mapped_imported_once_and_matched_from_its_suggestion(web, shop):
    partner = shop.partner("Cliente Banco S.L.")
    invoice = draft(shop, partner)
    post_invoice(shop.session, invoice)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    bank = shop.journal("BNK1").id
    content = CSV.format(d=TODAY.strftime("%d/%m/%Y"), number=invoice.number, amount="121,00").encode()

    def upload(data):
        return client.post("/accounting/bank/import", {"journal_id": str(bank),
                                                       "file": (io.BytesIO(data), "extracto.csv")},
                           content_type="multipart/form-data")

    uploaded = upload(content)
    assert uploaded.status_code == 302
    mapping_url = uploaded.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    assert "Columns of extracto.csv" in page and "<th>Concepto</th>" in page
    mapping = {"journal_id": str(bank), "date": "Fecha", "label": "Concepto", "amount": "Importe",
               "partner_name": "Ordenante", "date_format": "%d/%m/%Y", "decimal_separator": ",",
               "thousands_separator": ".", "delimiter": ";", "encoding": "utf-8"}
    wrong_column = client.post(mapping_url, {**mapping, "amount": "Importe total"})
    assert wrong_column.status_code == 422 and "are not in the file" in wrong_column.get_data(as_text=True)
    wrong_date = client.post(mapping_url, {**mapping, "date_format": "%Y-%m-%d"})
    assert wrong_date.status_code == 422 and "is not a date in the format" in wrong_date.get_data(as_text=True)
    assert count(web, BankStatement) == 0
    imported = client.post(mapping_url, mapping, follow_redirects=True)
    page = imported.get_data(as_text=True)
    assert "2 lines imported." in page, page
    assert invoice.number in page and "same amount" in page and ">Confirm<" in page

    again = client.post(upload(content).headers["Location"], mapping, follow_redirects=True)
    assert "2 lines were already imported and are skipped." in again.get_data(as_text=True)
    assert count(web, BankStatementLine) == 2

    not_a_number = upload(content.replace(b"121,00", b"12x"))
    refused = client.post(not_a_number.headers["Location"], mapping)
    assert refused.status_code == 422 and "is not a number" in refused.get_data(as_text=True)
    assert count(web, BankStatementLine) == 2

    line = web.db.system().scalars(select(BankStatementLine).where(BankStatementLine.amount > 0)).one()
    matched = client.post(f"/accounting/bank/lines/{line.id}/match", {"invoice_id": str(invoice.id)},
                          follow_redirects=True)
    assert "The bank line is matched." in matched.get_data(as_text=True)
    stored = web.db.system().get(Invoice, invoice.id)
    assert stored.payment_state == "paid"
    fee = web.db.system().scalars(select(BankStatementLine).where(BankStatementLine.amount < 0)).one()
    booked = client.post(f"/accounting/bank/lines/{fee.id}/match", {"account_id": str(shop.account("626").id)},
                         follow_redirects=True)
    assert "The bank line is matched." in booked.get_data(as_text=True)
    assert web.db.system().get(BankStatementLine, fee.id).state == "matched"


def test_a_credit_note_is_drafted_from_a_posted_invoice_and_posted(web, shop):
    partner = shop.partner("Cliente Abono")
    invoice = draft(shop, partner)
    post_invoice(shop.session, invoice)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    created = client.post(f"/accounting/documents/{invoice.id}/credit-note")
    assert created.status_code == 302 and "/accounting/credit-notes/" in created.headers["Location"]
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Draft credit note created" in page and "€121.00" in page and ">Post<" in page
    note_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/accounting/documents/{note_id}/post")
    note = web.db.system().get(Invoice, note_id)
    assert (note.kind, note.state, note.origin_invoice_id) == ("out_refund", "posted", invoice.id)
    assert ">Credit note<" not in client.get(f"/accounting/credit-notes/{note_id}").get_data(as_text=True)


def test_an_accountant_closes_a_fiscal_year_from_the_settings_page(web, shop):
    from addons.accounting.models import FiscalYear

    client = client_for(web, shop.accountant())
    created = client.post("/accounting/fiscal-years/new", {"date_start": f"{TODAY.year - 1}-01-01",
                                                          "date_end": f"{TODAY.year - 1}-12-31"})
    assert created.status_code == 302, created.get_data(as_text=True)
    overlapping = client.post("/accounting/fiscal-years/new", {"date_start": f"{TODAY.year - 1}-06-01",
                                                              "date_end": f"{TODAY.year}-05-31"})
    assert overlapping.status_code == 422 and "overlap fiscal year" in overlapping.get_data(as_text=True)
    year = web.db.system().scalars(select(FiscalYear).where(FiscalYear.company_id == shop.company.id,
                                                            FiscalYear.name == str(TODAY.year - 1))).one()
    assert len(year.periods) == 12
    closed = client.post(f"/accounting/settings/years/{year.id}/close", follow_redirects=True)
    assert f"Fiscal year {year.name} is closed." in closed.get_data(as_text=True)
    again = client.post(f"/accounting/settings/years/{year.id}/close", follow_redirects=True)
    assert "is already closed" in again.get_data(as_text=True)
    assert web.db.system().get(FiscalYear, year.id).state == "closed"


def test_payment_terms_are_edited_with_their_instalments(web, shop):
    from addons.accounting.models import PaymentTerm

    client = client_for(web, shop.accountant())
    form = client.get("/accounting/payment-terms/new").get_data(as_text=True)
    assert 'name="lines-0-percent"' in form and 'name="lines-1-percent"' not in form
    before = count(web, PaymentTerm)
    too_much = client.post("/accounting/payment-terms/new", {
        "name": "Raro", "active": "y", "lines-0-percent": "80", "lines-0-days": "30",
        "lines-1-percent": "40", "lines-1-days": "60", "lines-2-percent": "10", "lines-2-days": "90"})
    assert too_much.status_code == 422 and "add up to more than 100 percent" in too_much.get_data(as_text=True)
    assert count(web, PaymentTerm) == before
    created = client.post("/accounting/payment-terms/new", {
        "name": "30/70", "active": "y", "lines-0-percent": "30", "lines-0-days": "30",
        "lines-1-percent": "70", "lines-1-days": "60", "lines-1-end_of_month": "y",
        "lines-2-percent": "", "lines-2-days": "0"})
    assert created.status_code == 302, created.get_data(as_text=True)
    term = web.db.system().scalars(select(PaymentTerm).where(PaymentTerm.name == "30/70")).one()
    assert [(line.percent, line.days, line.end_of_month) for line in term.lines] == [
        (Decimal("30"), 30, False), (Decimal("70"), 60, True)]
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Instalments" in page and "70 %" in page
    edit = client.get(f"/accounting/payment-terms/{term.id}/edit").get_data(as_text=True)
    assert 'name="lines-2-percent"' in edit  # its two instalments and room for a third


def test_the_accounting_pages_speak_the_users_language(web, shop):
    from core.models import User

    partner = shop.partner("Cliente Idioma")
    invoice = draft(shop, partner)
    user = shop.accountant()
    session = web.db.system()
    session.get(User, user.id).lang = "es"
    session.commit()
    client = client_for(web, user)
    page = client.get(f"/accounting/invoices/{invoice.id}").get_data(as_text=True)
    for text in ("Facturas de cliente", "Contabilizar", "Base imponible", "Plan de cuentas",
                 "Ajustes y fecha de bloqueo"):
        assert text in page, text
    posted = client.post(f"/accounting/documents/{invoice.id}/post", follow_redirects=True).get_data(as_text=True)
    assert "Contabilizada como INV/" in posted
    refused = client.post(f"/accounting/invoices/{invoice.id}/edit",
                          invoice_form(shop, partner, [{"description": "Otro", "unit_price": "1"}]))
    assert "está contabilizada: no se puede modificar ni eliminar" in refused.get_data(as_text=True)


def test_the_home_page_shows_what_customers_owe_to_those_who_may_read_invoices(web, shop):
    partner = shop.partner("Cliente Tablero")
    post_invoice(shop.session, draft(shop, partner, price="1000"))
    shop.session.commit()
    home = client_for(web, shop.accountant()).get("/").get_data(as_text=True)
    assert "Customers owe" in home and "€1,210.00" in home and "Draft invoices to post" in home
    billing = client_for(web, shop.billing()).get("/").get_data(as_text=True)
    assert "Customers owe" in billing and "Draft invoices to post" not in billing
    outsider = client_for(web, shop.user(groups=["contacts.group_user"])).get("/").get_data(as_text=True)
    assert "Customers owe" not in outsider


def test_a_camt053_file_is_imported_at_once_and_a_broken_one_stores_nothing(web, shop):
    data = (Path(__file__).parent / "data" / "camt053_v02.xml").read_bytes()
    client = client_for(web, shop.accountant())
    bank = str(shop.journal("BNK1").id)

    def upload(content, name="camt.xml"):
        return client.post("/accounting/bank/import", {"journal_id": bank, "file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data", follow_redirects=True)

    broken = upload(data.replace(b"</Document>", b""))
    assert broken.status_code == 422 and "is not a valid XML file" in broken.get_data(as_text=True)
    assert count(web, BankStatement) == 0
    done = upload(data).get_data(as_text=True)
    assert "lines imported." in done and "Match" in done
    assert count(web, BankStatement) == 1
    nothing = upload(b"")
    assert nothing.status_code == 422


def test_an_invoice_and_its_credit_note_are_matched_on_the_reconciliation_page_and_undone(web, shop):
    from addons.accounting.services.invoices import create_credit_note

    partner = shop.partner("Cliente Concilia")
    invoice = draft(shop, partner)
    post_invoice(shop.session, invoice)
    note = create_credit_note(shop.session, invoice)
    post_invoice(shop.session, note)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    receivable = shop.account("430").id
    overview = client.get("/accounting/reconcile").get_data(as_text=True)
    assert "Cliente Concilia" in overview
    url = f"/accounting/reconcile?partner_id={partner.id}&account_id={receivable}"
    page = client.get(url).get_data(as_text=True)
    assert invoice.number in page and note.number in page
    ids = re.findall(r'name="line_id" value="(\d+)"', page)
    assert len(ids) == 2
    one_side = client.post("/accounting/reconcile", {"line_id": ids[:1], "partner_id": str(partner.id),
                                                     "account_id": str(receivable)}, follow_redirects=True)
    assert "Choose at least one debit and one credit line to reconcile." in one_side.get_data(as_text=True)
    matched = client.post("/accounting/reconcile", {"line_id": ids, "partner_id": str(partner.id),
                                                    "account_id": str(receivable)}, follow_redirects=True)
    assert "Matched." in matched.get_data(as_text=True)
    assert web.db.system().get(Invoice, invoice.id).payment_state == "credited"  # settled by its credit note
    assert "Cliente Concilia" not in client.get("/accounting/reconcile").get_data(as_text=True)
    page = client.get(f"/accounting/invoices/{invoice.id}").get_data(as_text=True)
    assert "Undo the matches" in page
    undone = client.post(f"/accounting/documents/{invoice.id}/unreconcile", follow_redirects=True)
    assert "The matches of this invoice are undone; it is open again." in undone.get_data(as_text=True)
    assert web.db.system().get(Invoice, invoice.id).payment_state == "not_paid"


def test_an_auditor_reads_a_paid_invoice_and_may_change_nothing(web, shop):
    from addons.accounting.services.payments import register_payment

    partner = shop.partner("Cliente Auditado")
    invoice = draft(shop, partner)
    post_invoice(shop.session, invoice)
    register_payment(shop.session, invoice, journal=shop.journal("BNK1"), date=TODAY, amount=Decimal("121.00"))
    shop.session.commit()
    client = client_for(web, shop.auditor())
    page = client.get(f"/accounting/invoices/{invoice.id}").get_data(as_text=True)
    assert "Download PDF" in page and "Payments" in page and "€121.00" in page
    for action in (">Edit<", ">Delete<", ">Post<", "Register payment", ">Credit note<", "Cancel payment",
                   "Undo the matches"):
        assert action not in page, action
    refused = client.post(f"/accounting/documents/{invoice.id}/credit-note", follow_redirects=True)
    assert re.search(r'flash-error">access denied: \w+ may not create Invoice records<',
                     refused.get_data(as_text=True))
    assert count(web, Invoice) == 1


def test_the_budget_lines_list_and_its_exports_show_the_lines(web, shop):
    year = shop.session.scalars(select(FiscalYear).where(FiscalYear.company_id == shop.company.id)).first()
    budget = Budget(company_id=shop.company.id, name="Plan 2026", fiscal_year_id=year.id)
    budget.lines.append(BudgetLine(company_id=shop.company.id, account_id=shop.account("629").id,
                                   period_id=year.periods[0].id, amount=Decimal("1500.00")))
    shop.session.add(budget)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    listed = client.get("/accounting/budget-lines/")
    assert listed.status_code == 200 and "Plan 2026" in listed.get_data(as_text=True)
    exported = client.get("/accounting/budget-lines/export.csv?sort=budget")
    assert exported.status_code == 200
    assert "Plan 2026" in exported.get_data(as_text=True) and "1,500" in exported.get_data(as_text=True)
    assert client.get("/accounting/budget-lines/export.xlsx").status_code == 200


def test_a_partner_with_posted_entries_is_not_merged_away_and_the_page_says_why(web, shop):
    from addons.contacts.merge import merge_partners
    from addons.contacts.models import Partner
    from core.errors import ValidationError

    booked, twin = shop.partner("Cliente Contable"), shop.partner("CLIENTE CONTABLE")
    post_invoice(shop.session, draft(shop, booked))
    shop.session.commit()
    reason = "Cliente Contable has 1 posted journal entry, and a posted entry never changes partner"
    client = client_for(web, shop.accountant())
    page = client.get(f"/contacts/merge?source={booked.id}&target={twin.id}").get_data(as_text=True)
    assert reason in page and '<button type="submit" class="button primary">Merge</button>' not in page
    refused = client.post("/contacts/merge", {"source": booked.id, "target": twin.id})
    assert refused.status_code == 422 and reason in refused.get_data(as_text=True)
    with pytest.raises(ValidationError, match=reason):
        merge_partners(shop.as_user(shop.accountant()), booked, twin)
    check = web.db.system()
    assert check.get(Partner, booked.id).active
    assert check.scalars(select(Invoice.partner_id)).all() == [booked.id]

    kept = client.post("/contacts/merge", {"source": twin.id, "target": booked.id})  # the other way round is fine
    assert kept.status_code == 302
    check = web.db.system()
    assert not check.get(Partner, twin.id).active
    assert check.scalars(select(PartnerAccounting.partner_id).where(
        PartnerAccounting.partner_id.in_([booked.id, twin.id]))).all() == [booked.id]  # the kept one's settings


def test_two_partners_with_posted_entries_cannot_be_merged_either_way(web, shop):
    from addons.contacts.merge import check_can_merge
    from core.errors import ValidationError

    first, second = shop.partner("Uno"), shop.partner("UNO")
    for partner in (first, second):
        post_invoice(shop.session, draft(shop, partner))
    shop.session.commit()
    for source, target in ((first, second), (second, first)):
        with pytest.raises(ValidationError, match="both have posted journal entries"):
            check_can_merge(shop.session, source, target)


def test_bank_files_built_to_exhaust_the_server_are_refused_on_the_pages(web, shop):
    client = client_for(web, shop.accountant())
    bank = str(shop.journal("BNK1").id)

    def upload(content, name):
        return client.post("/accounting/bank/import", {"journal_id": bank, "file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")

    statement = (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
                 b"<BkToCstmrStmt><Stmt><Id>LAUGHS</Id></Stmt></BkToCstmrStmt></Document>")
    laughs = bombs.billion_laughs(b"Document", statement)
    refused = upload(laughs, "laughs.xml")
    assert refused.status_code == 422
    assert "laughs.xml declares a document type (&lt;!DOCTYPE&gt;)" in refused.get_data(as_text=True)

    wide = b"date;amount;label\n2026-02-01;1.00;" + b"x" * 200_000 + b"\n"
    mapping_url = upload(wide, "wide.csv").headers["Location"]
    for odd in ({"encoding": "no-such-encoding"}, {"delimiter": "ab"}, {"delimiter": '"'}):
        assert client.get(f"{mapping_url}&{urlencode(odd)}").status_code == 200, odd
        posted = client.post(mapping_url, {"journal_id": bank, "date": "date", "amount": "amount", **odd})
        assert posted.status_code == 422, odd
    too_long = client.post(mapping_url, {"journal_id": bank, "date": "date", "amount": "amount", "delimiter": ";"})
    assert too_long.status_code == 422
    assert "wide.csv, line 2: a cell may hold at most 32767 characters" in too_long.get_data(as_text=True)
    assert count(web, BankStatement) == 0


@pytest.mark.parametrize("report, args, message", [
    ("aged_receivables", "at=0001-01-01", "at: 0001-01-01 is out of range: a date from 1900-01-01 to 9990-12-31."),
    ("aged_payables", "at=9999-12-31", "at: 9999-12-31 is out of range"),
    ("balance_sheet", "at=0001-01-01", "at: 0001-01-01 is out of range"),
    ("general_ledger", "date_from=0001-01-01", "date_from: 0001-01-01 is out of range"),
    ("budget_vs_actual", f"budget_id={2**64}", f"budget_id: {2**64} is not the id of a record."),
])
def test_report_dates_at_the_ends_of_the_calendar_and_ids_past_the_database_are_refused(web, shop, report, args,
                                                                                          message):
    client = client_for(web, shop.accountant())
    page = client.get(f"/accounting/reports?report={report}&{args}")
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    export = client.get(f"/accounting/reports/export.csv?report={report}&{args}")
    assert export.status_code == 400 and message in export.get_data(as_text=True)


@pytest.mark.parametrize("body, status, field", [
    ([{"reference": "PO-1"}], 400, "body"),
    ("reference", 400, "body"),
    ({"reference": "PO\u00001"}, 400, "reference"),
    ({"reference": ["PO-1"]}, 422, "reference"),
    ({"partner_id": 2**64}, 422, "partner_id"),
    ({"partner_id": [1]}, 422, "partner_id"),
    ({"date": "0001-01-01"}, 422, "date"),
    ({"lines": {"description": "Repair"}}, 400, "lines"),
    ({"lines": [{"description": "Repair", "unit_price": "1e30"}]}, 422, "lines[0].unit_price"),
    ({"lines": [{"description": "Repair", "quantity": 12345678901234567}]}, 422, "lines[0].quantity"),
    ({"lines": [{"description": "Repair", "unit_price": "NaN"}]}, 422, "lines[0].unit_price"),
    ({"lines": [{"description": "Repair", "tax_ids": [2**64]}]}, 422, "lines[0].tax_ids"),
    ({"lines": [{"description": "Repair", "tax_ids": "1"}]}, 422, "lines[0].tax_ids"),
])
def test_malformed_invoice_json_is_refused_naming_the_field_and_changes_nothing(web, shop, body, status, field):
    invoice = draft(shop, shop.partner("Cliente JSON"))
    client = client_for(web, shop.accountant())
    response = client.client.patch(f"/accounting/documents/{invoice.id}.json", json=body,
                                   headers={"X-CSRFToken": client.token})
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json()["field"] == field
    stored = web.db.system().get(Invoice, invoice.id)
    assert (stored.reference, stored.amount_total, stored.date) == (None, Decimal("121.00"), TODAY)


def test_an_amount_past_its_column_on_the_invoice_form_is_a_field_error(web, shop):
    partner = shop.partner("Cliente Enorme")
    client = client_for(web, shop.accountant())
    client.get("/accounting/invoices/new")
    response = client.post("/accounting/invoices/new", invoice_form(shop, partner, [
        {"description": "Everything", "quantity": "999999999", "unit_price": "999999999999"}]))
    assert response.status_code == 422
    assert "is out of range: at most 16 digits before the decimal point." in response.get_data(as_text=True)
    assert count(web, Invoice) == 0


@pytest.mark.parametrize("url, data", [
    ("/accounting/reconcile", {"line_id": str(2**64)}),
    ("/accounting/bank/lines/LINE/match", {"move_line_id": str(2**64)}),
    ("/accounting/bank/lines/LINE/match", {"account_id": "99999999999999999999"}),
])
def test_ids_past_the_database_in_accounting_forms_are_refused_naming_the_field(web, shop, url, data):
    line = BankStatementLine(company_id=shop.company.id, journal_id=shop.journal("BNK1").id, sequence=1, date=TODAY,
                             amount=Decimal("10.00"), unique_key="line-1")
    statement = BankStatement(company_id=shop.company.id, journal_id=shop.journal("BNK1").id, date=TODAY,
                              name="Sweep", lines=[line])
    shop.session.add(statement)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    response = client.post(url.replace("LINE", str(line.id)), data)
    [(name, value)] = data.items()
    assert response.status_code == 400
    assert f"{name}: {value} is not the id of a record." in response.get_data(as_text=True)


def test_an_invoice_id_past_the_database_when_cancelling_a_payment_is_refused_naming_it(web, shop):
    from addons.accounting.services.payments import register_payment

    invoice = draft(shop, shop.partner("Cliente Pago"))
    post_invoice(shop.session, invoice)
    payment = register_payment(shop.session, invoice, journal=shop.journal("BNK1"), date=TODAY,
                               amount=Decimal("121.00"))
    shop.session.commit()
    client = client_for(web, shop.accountant())
    client.get(f"/accounting/invoices/{invoice.id}")
    response = client.post(f"/accounting/payments/{payment.id}/cancel", {"invoice_id": str(2**63)})
    assert response.status_code == 400
    assert f"invoice_id: {2**63} is not the id of a record." in response.get_data(as_text=True)
    assert web.db.system().get(Payment, payment.id).state == "posted"


def test_invoices_are_found_by_their_partners_name_in_the_list_and_its_export(web, shop):
    invoice = draft(shop, shop.partner("Ferretería Buscada"))
    post_invoice(shop.session, invoice)
    shop.session.commit()
    client = client_for(web, shop.accountant())
    listed = client.get("/accounting/invoices/?q=Buscada")
    assert listed.status_code == 200 and invoice.number in listed.get_data(as_text=True)
    with client.get("/accounting/invoices/export.csv?q=Buscada") as exported:  # closing ends the streamed request
        assert exported.status_code == 200 and invoice.number in exported.get_data(as_text=True)
    assert invoice.number not in client.get("/accounting/invoices/?q=Nadie").get_data(as_text=True)
