"""Accounting's fields are declared once, on the models: labels, choices, domains, bounds and read-only rules
reach the pages and the services alike, and a bad value is refused naming its field with nothing written."""
from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Account, Invoice, PaymentTerm, Settings
from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice
from addons.accounting.services.payments import register_payment
from addons.accounting.services.terms import save_term
from addons.accounting.services.years import create_fiscal_year
from addons.accounting.tests.conftest import client_for
from core.errors import ValidationError
from core.fields import clean

DAY = dt.date(2026, 3, 2)
HUGE = "x" * 100_000


def errors_of(page: str, name: str) -> list[str]:
    found = re.search(rf'id="{name}-errors">(.*?)</ul>', page, re.S)
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_list_headers_and_record_labels_come_from_the_fields(web, shop):
    client = client_for(web, shop.accountant())
    accounts = client.get("/accounting/accounts/").get_data(as_text=True)
    for label in ("Code", "Name", "Type", "Reconcilable", "Active"):
        assert re.search(rf">{label}( [▲▼])?</a></th>", accounts), label
    assert ">Receivable<" in accounts  # the choice's label, not its value
    assert ">Customer</label>" in client.get("/accounting/invoices/new").get_data(as_text=True)
    assert ">Supplier</label>" in client.get("/accounting/bills/new").get_data(as_text=True)
    tax = shop.tax("S_IVA21")
    record = client.get(f"/accounting/taxes/{tax.id}").get_data(as_text=True)
    assert "<dt>Used on</dt><dd>Sales</dd>" in record and "<dt>Rate (%)</dt>" in record
    form = client.get("/accounting/taxes/new").get_data(as_text=True)
    assert "Negative for a withholding." in form


def test_a_choice_outside_the_list_is_refused_on_the_form_and_by_the_cleaning(web, shop):
    client = client_for(web, shop.accountant())
    before = count(web.db.system(), Account)
    client.get("/accounting/accounts/new")
    refused = client.post("/accounting/accounts/new", {"code": "999", "name": "Odd", "type": "treasure"})
    assert refused.status_code == 422 and errors_of(refused.get_data(as_text=True), "type") == ["Not a valid choice."]
    assert count(web.db.system(), Account) == before
    with pytest.raises(ValidationError, match="treasure is not one of the choices") as error:
        clean(Account, {"code": "999", "name": "Odd", "type": "treasure"})
    assert error.value.field == "type"


def test_a_settings_account_of_the_wrong_type_is_refused_on_its_field(web, shop):
    settings = shop.settings
    client = client_for(web, shop.accountant())
    client.get(f"/accounting/defaults/{settings.id}/edit")
    refused = client.post(f"/accounting/defaults/{settings.id}/edit", {
        "tax_rounding": "line", "receivable_account_id": str(shop.account("700").id)})
    assert refused.status_code == 422
    assert errors_of(refused.get_data(as_text=True), "receivable_account_id") == [
        "Choose an active receivable account."]
    assert web.db.system().get(Settings, settings.id).receivable_account_id == shop.account("430").id


@pytest.mark.parametrize("entry", ["form", "service"])
def test_a_100000_character_name_is_refused_naming_the_field(web, shop, entry):
    session = web.db.system()
    before = count(session, PaymentTerm)
    if entry == "form":
        client = client_for(web, shop.accountant())
        client.get("/accounting/payment-terms/new")
        refused = client.post("/accounting/payment-terms/new", {"name": HUGE, "lines-0-percent": "100"})
        assert refused.status_code == 422 and errors_of(refused.get_data(as_text=True), "name")
    else:
        with pytest.raises(ValidationError, match=r"Name: At most 120 characters \(this has 100000\)") as error:
            save_term(shop.session, shop.company.id, None, name=HUGE, lines=[{"percent": D(100)}])
        assert error.value.field == "name"
        shop.session.rollback()
    assert count(web.db.system(), PaymentTerm) == before


def test_a_term_line_out_of_bounds_is_refused_naming_its_line(books):
    with pytest.raises(ValidationError, match="Line 2: Percent of the total") as error:
        save_term(books.session, books.company.id, None, name="Mal",
                  lines=[{"percent": D(50)}, {"percent": D(150)}])
    assert error.value.field == "lines-1-percent"


@pytest.mark.parametrize("values, field, message", [
    ({"reference": HUGE}, "reference", r"Reference: At most 64 characters \(this has 100000\)"),
    ({"narration": HUGE}, "narration", "Notes: At most 20000 characters"),
    ({"date": "2026-02-30"}, "date", "2026-02-30 is not a date"),
    ({"due_date": "soon"}, "due_date", "soon is not a date"),
    ({"currency_code": "EURO"}, "currency_code", "At most 3 characters"),
    ({"lines": [LineInput(HUGE, unit_price=D(1))]}, "lines-0-description",
     r"Line 1: Description: At most 255 characters \(this has 100000\)"),
])
def test_a_bad_header_or_line_value_is_refused_by_the_invoicing_service(books, values, field, message):
    partner = books.partner()
    arguments = {"partner_id": partner.id, "date": DAY, "lines": [LineInput("ok", unit_price=D(1))], **values}
    before = count(books.session, Invoice)
    with pytest.raises(ValidationError, match=message) as error:
        create_invoice(books.session, **arguments)
    assert error.value.field == field
    books.session.rollback()
    assert count(books.session, Invoice) == before


def test_a_posted_invoice_s_header_is_read_only_to_the_cleaning(books):
    partner = books.partner()
    invoice = create_invoice(books.session, partner_id=partner.id, date=DAY,
                             lines=[LineInput("ok", unit_price=D(10))])
    assert clean(Invoice, {"reference": "A-1"}, record=invoice) == {"reference": "A-1"}
    post_invoice(books.session, invoice)
    with pytest.raises(ValidationError, match="Reference: It cannot be changed any more."):
        clean(Invoice, {"reference": "A-2"}, record=invoice)


def test_a_payment_and_a_fiscal_year_refuse_values_of_the_wrong_type(books):
    partner = books.partner()
    invoice = post_invoice(books.session, create_invoice(books.session, partner_id=partner.id, date=DAY,
                                                         lines=[LineInput("ok", unit_price=D(10))]))
    with pytest.raises(ValidationError, match="Reference: At most 64 characters") as error:
        register_payment(books.session, invoice, amount=invoice.amount_total, date=DAY, reference=HUGE)
    assert error.value.field == "reference"
    with pytest.raises(ValidationError, match="yesterday is not a date") as error:
        register_payment(books.session, invoice, amount=invoice.amount_total, date="yesterday")
    assert error.value.field == "date"
    with pytest.raises(ValidationError, match="Start date: This field is required") as error:
        create_fiscal_year(books.session, books.company.id, date_end=dt.date(2031, 12, 31))
    assert error.value.field == "date_start"
