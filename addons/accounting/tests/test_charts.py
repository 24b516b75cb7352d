"""Each chart template sets up complete books: accounts, taxes on tax accounts, journals, terms, settings."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.charts import templates
from addons.accounting.models import Account, Currency, FiscalYear, Journal, PaymentTerm, Settings, Tax
from addons.accounting.services.books import partner_accounts, setup_books
from addons.contacts.models import Partner
from core.errors import ValidationError


def _taxes(books):
    return books.session.scalars(select(Tax).where(Tax.company_id == books.company.id)).all()


@pytest.mark.parametrize("which", ["spanish", "italian", "generic"])
def test_every_template_sets_up_complete_books(books, which):
    target = {"spanish": lambda: books, "italian": books.italian, "generic": books.generic}[which]()
    session, company_id = target.session, target.company.id
    template = templates()[target.settings.chart]
    codes = set(session.scalars(select(Account.code).where(Account.company_id == company_id)))
    assert codes == {item.code for item in template.accounts}
    for tax in _taxes(target):
        assert tax.account.type == "tax", tax.code
        if tax.reverse_charge_account_id:
            assert tax.reverse_charge_account.type == "tax"
    kinds = set(session.scalars(select(Journal.kind).where(Journal.company_id == company_id)))
    assert kinds == {"sale", "purchase", "bank", "cash", "general"}
    for journal in session.scalars(select(Journal).where(Journal.company_id == company_id, Journal.kind != "general")):
        assert journal.default_account is not None
    settings = target.settings
    for column in ("receivable", "payable", "income", "expense", "retained_earnings", "exchange_gain",
                   "exchange_loss", "writeoff"):
        assert getattr(settings, f"{column}_account_id") is not None, column
    assert session.get(Account, settings.receivable_account_id).type == "receivable"
    assert session.get(Account, settings.payable_account_id).reconcile
    assert session.get(Account, settings.retained_earnings_account_id).type == "equity"
    terms = session.scalars(select(PaymentTerm).where(PaymentTerm.company_id == company_id)).all()
    assert len(terms) == 5
    for term in terms:
        assert sum((line.percent for line in term.lines), Decimal(0)) == 100
    assert [(line.days, line.end_of_month) for term in terms for line in term.lines if line.end_of_month] == [
        (30, True), (60, True)]
    year = session.scalars(select(FiscalYear).where(FiscalYear.company_id == company_id)).one()
    assert (year.date_start, year.date_end) == (dt.date(dt.date.today().year, 1, 1),
                                                dt.date(dt.date.today().year, 12, 31))
    assert [p.name for p in year.periods] == [f"{year.name}-{m:02d}" for m in range(1, 13)]


def test_spain_has_iva_21_10_4_irpf_and_intra_eu_reverse_charge(books):
    taxes = {tax.code: tax for tax in _taxes(books)}
    for use, prefix, account in (("sale", "S", "477"), ("purchase", "P", "472")):
        for rate in (21, 10, 4):
            tax = taxes[f"{prefix}_IVA{rate}"]
            assert (tax.use, tax.percent, tax.account.code) == (use, Decimal(rate), account)
    for use, prefix, account in (("sale", "S", "473"), ("purchase", "P", "4751")):
        for rate in (15, 7):
            tax = taxes[f"{prefix}_IRPF{rate}"]
            assert (tax.use, tax.percent, tax.account.code, tax.is_withholding) == (use, -Decimal(rate), account,
                                                                                     True)
    intra = taxes["P_IVA21_IC"]
    assert (intra.percent, intra.account.code, intra.reverse_charge_account.code) == (Decimal(21), "472", "477")
    assert books.settings.chart == "es"
    assert books.account("129").type == "equity"
    assert books.account("430").reconcile and books.account("400").reconcile


def test_italy_has_iva_22_10_5_4_ritenuta_and_inversione_contabile(books):
    italian = books.italian()
    taxes = {tax.code: tax for tax in _taxes(italian)}
    for rate in (22, 10, 5, 4):
        assert taxes[f"S_IVA{rate}"].account.name == "IVA a debito"
        assert taxes[f"P_IVA{rate}"].account.name == "IVA a credito"
    assert taxes["P_RA20"].percent == Decimal(-20)
    assert taxes["P_RA20"].account.name == "Erario c/ritenute da versare"
    assert taxes["P_IVA22_RC"].reverse_charge_account.name == "IVA a debito"


def test_generic_has_vat_20_10_0_and_reverse_charge(books):
    taxes = {tax.code: tax.percent for tax in _taxes(books.generic())}
    assert {code: taxes[code] for code in ("S_VAT20", "S_VAT10", "S_VAT0", "P_VAT20", "P_VAT10", "P_VAT0")} == {
        "S_VAT20": 20, "S_VAT10": 10, "S_VAT0": 0, "P_VAT20": 20, "P_VAT10": 10, "P_VAT0": 0}
    assert "P_VAT20_RC" in taxes


def test_currencies_are_there_with_their_decimals(books):
    decimals = dict(books.session.execute(select(Currency.code, Currency.decimals)).all())
    assert decimals["EUR"] == 2 and decimals["USD"] == 2 and decimals["JPY"] == 0
    assert {"GBP", "CHF"} <= decimals.keys()


def test_setting_up_twice_is_refused_and_changes_nothing(books):
    before = books.session.scalar(select(func.count(Account.id)).where(Account.company_id == books.company.id))
    with pytest.raises(ValidationError, match="already has its books"):
        setup_books(books.session, books.company, chart="es")
    books.session.rollback()
    assert books.session.scalar(select(func.count(Account.id)).where(
        Account.company_id == books.company.id)) == before
    assert books.session.scalar(select(func.count(Settings.id)).where(Settings.company_id == books.company.id)) == 1


def test_unknown_chart_is_refused(db):
    session = db.system()
    company = db.company("Sin plan")
    with pytest.raises(ValidationError, match="Unknown chart of accounts xx"):
        setup_books(session, company, chart="xx")


def test_chart_follows_the_company_country(db):
    session = db.system()
    company = db.company("Srl italiana")
    company = session.merge(company)
    company.country_code = "IT"
    assert setup_books(session, company).chart == "it"


def test_partner_accounts_uses_the_company_defaults_once(books):
    partner = Partner(company_id=books.company.id, name="Ferretería Sol")
    books.session.add(partner)
    books.session.flush()
    row = partner_accounts(books.session, partner)
    assert (row.receivable_account.code, row.payable_account.code) == ("430", "400")
    assert partner_accounts(books.session, partner) is row
