"""Products' default taxes and accounts: the product's own, else its categories' (nearest first), else the
company's settings; invoice lines with a product and no tax ids take them, explicit taxes stay as given."""
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from addons.accounting.models import CategoryAccounting, Invoice, ProductAccounting, Settings
from addons.accounting.models.products import product_sales_taxes
from addons.accounting.services.invoice_batches import InvoiceInput, post_new_invoices
from addons.accounting.services.invoices import LineInput, create_invoice
from addons.accounting.services.product_defaults import default_account_id, default_taxes, product_defaults
from addons.products.models import Product, ProductCategory
from addons.products.services import create_category, create_product
from core.errors import ValidationError
from core.fields import extensions_of, save_extension_values
from core.lifecycle import Lifecycle
from core.models import Company
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

YEAR = dt.date.today().year
DAY = dt.date(YEAR, 3, 15)


@pytest.fixture
def accountant(books):
    return books.as_user(books.accountant())


def set_defaults(books, record, **values):
    """Save accounting's fields of a product or category as the product form does (through the extension)."""
    session = books.session
    [extension] = [e for e in extensions_of(session.info["registry"], type(record))
                   if e.side in (ProductAccounting, CategoryAccounting)]
    save_extension_values(session, session.info["registry"], record, {extension: values})
    session.commit()


def codes(taxes):
    return [tax.code for tax in taxes]


def test_an_invoice_line_takes_the_products_taxes_and_account_by_kind_of_document(books, accountant):
    partner = books.partner()
    service = books.product("SRV", "Consultoría", list_price="100")
    set_defaults(books, service, sales_taxes=[books.tax("S_IVA21").id, books.tax("S_IRPF15").id],
                 purchase_taxes=[books.tax("P_IVA21").id], income_account_id=books.account("705").id,
                 expense_account_id=books.account("607").id)
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY, lines=[{"product_id": service.id}])
    [line] = invoice.lines
    assert (codes(line.taxes), line.account.code, line.description) == (["S_IVA21", "S_IRPF15"], "705",
                                                                         "Consultoría")
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (D("100.00"), D("6.00"),
                                                                                  D("106.00"))
    bill = create_invoice(accountant, partner_id=partner.id, kind="in_invoice", date=DAY,
                          lines=[LineInput(product_id=service.id, unit_price=D("50"))])
    assert (codes(bill.lines[0].taxes), bill.lines[0].account.code) == (["P_IVA21"], "607")
    credit = create_invoice(accountant, partner_id=partner.id, kind="out_refund", date=DAY,
                            lines=[LineInput(product_id=service.id)])
    assert codes(credit.lines[0].taxes) == ["S_IVA21", "S_IRPF15"]


def test_taxes_given_by_the_caller_even_none_are_kept(books, accountant):
    partner = books.partner()
    product = books.product("P1", list_price="10")
    set_defaults(books, product, sales_taxes=[books.tax("S_IVA21").id])
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY, lines=[
        LineInput(product_id=product.id, tax_ids=[]),
        LineInput(product_id=product.id, tax_ids=[books.tax("S_IVA10").id], account_id=books.account("705").id),
        LineInput("Free text, no product", unit_price=D("5"))])
    assert [codes(line.taxes) for line in invoice.lines] == [[], ["S_IVA10"], []]
    assert [line.account.code for line in invoice.lines] == ["700", "705", "700"]  # 700: the company's income


def test_a_category_chain_and_the_company_default_fill_what_the_product_leaves_empty(books, accountant):
    session = books.session
    tools = create_category(session, books.company.id, name="Tools")
    power = create_category(session, books.company.id, name="Power tools", parent_id=tools.id)
    session.commit()
    drill = books.product("DRILL", category_id=power.id, list_price="100")
    plain = books.product("PLAIN", list_price="1")
    set_defaults(books, tools, sales_taxes=[books.tax("S_IVA10").id], income_account_id=books.account("708").id,
                 purchase_taxes=[books.tax("P_IVA10").id])
    assert (codes(default_taxes(accountant, drill, "sale")), codes(default_taxes(accountant, drill, "purchase"))) \
        == (["S_IVA10"], ["P_IVA10"])  # from the grandparent: Power tools names nothing
    assert default_account_id(accountant, drill, "sale") == books.account("708").id
    accountant = books.as_user(books.accountant())  # what is read is kept for the transaction: a new one sees
    set_defaults(books, power, sales_taxes=[books.tax("S_IVA4").id])
    assert codes(default_taxes(accountant, drill, "sale")) == ["S_IVA4"]  # the nearest category wins
    accountant = books.as_user(books.accountant())
    set_defaults(books, drill, sales_taxes=[books.tax("S_IVA21").id])
    assert codes(default_taxes(accountant, drill, "sale")) == ["S_IVA21"]  # the product's own wins
    assert default_account_id(accountant, drill, "purchase") == books.settings.expense_account_id

    assert default_taxes(accountant, plain, "sale") == []  # nothing anywhere: no tax
    settings = books.settings
    settings.sale_tax_id = books.tax("S_IVA21").id
    books.session.commit()
    accountant = books.as_user(books.accountant())
    assert codes(default_taxes(accountant, plain, "sale")) == ["S_IVA21"]
    assert default_taxes(accountant, plain, "purchase") == []
    invoice = create_invoice(accountant, partner_id=books.partner().id, date=DAY,
                             lines=[LineInput(product_id=plain.id)])
    assert codes(invoice.lines[0].taxes) == ["S_IVA21"]


def test_a_loop_in_the_category_tree_does_not_hang_the_lookup(books, accountant):
    session = books.session
    a = create_category(session, books.company.id, name="A")
    b = create_category(session, books.company.id, name="B", parent_id=a.id)
    session.flush()
    a.parent_id = b.id  # around the service, which refuses it
    session.commit()
    product = books.product("LOOP", category_id=b.id)
    assert product_defaults(accountant, product).sales_tax_ids == ()


def test_bad_defaults_are_refused_and_nothing_is_stored(books, accountant):
    product = books.product("P2", list_price="10")
    with pytest.raises(ValidationError) as error:
        set_defaults(books, product, sales_taxes=[books.tax("P_IVA21").id])
    assert error.value.field == "sales_taxes"
    books.session.rollback()
    with pytest.raises(ValidationError) as error:
        set_defaults(books, product, income_account_id=books.account("600").id)  # an expense account
    assert error.value.field == "income_account_id"
    books.session.rollback()
    other = books.italian()
    with pytest.raises(ValidationError, match="another company"):
        set_defaults(books, product, sales_taxes=[other.tax("S_IVA22").id])
    books.session.rollback()
    assert books.session.scalar(select(func.count()).select_from(ProductAccounting)) == 0
    assert books.session.scalar(select(func.count()).select_from(product_sales_taxes)) == 0


def test_an_archived_default_tax_is_named_not_silently_dropped(books, accountant):
    product = books.product("P3", list_price="10")
    tax = books.tax("S_IVA10")
    set_defaults(books, product, sales_taxes=[tax.id])
    tax.active = False
    books.session.commit()
    before = accountant.scalar(select(func.count(Invoice.id)))
    with pytest.raises(ValidationError, match="S_IVA10|IVA 10") as error:
        create_invoice(accountant, partner_id=books.partner().id, date=DAY,
                       lines=[LineInput("ok", unit_price=D(1)), LineInput(product_id=product.id)])
    assert error.value.field == "lines-1-tax_ids" and "[P3]" in str(error.value)
    accountant.rollback()
    assert accountant.scalar(select(func.count(Invoice.id))) == before


def test_the_batch_path_takes_the_same_defaults(books, accountant):
    product = books.product("P4", list_price="200")
    set_defaults(books, product, sales_taxes=[books.tax("S_IVA21").id], income_account_id=books.account("705").id)
    partner = books.partner()
    [invoice_id] = post_new_invoices(accountant, [InvoiceInput(partner_id=partner.id, date=DAY,
                                                               lines=[LineInput(product_id=product.id)])])
    invoice = accountant.get(Invoice, invoice_id)
    assert (codes(invoice.lines[0].taxes), invoice.lines[0].account.code, invoice.amount_total) == (
        ["S_IVA21"], "705", D("242.00"))


def test_deleting_a_product_deletes_its_accounting_row(books):
    product = books.product("GONE")
    set_defaults(books, product, sales_taxes=[books.tax("S_IVA21").id])
    session = books.session
    session.delete(session.get(Product, product.id))
    session.commit()
    assert session.get(ProductAccounting, product.id) is None
    assert session.scalar(select(func.count()).select_from(product_sales_taxes)) == 0
    category = ProductCategory(company_id=books.company.id, name="Solo")
    session.add(category)
    session.commit()
    set_defaults(books, category, income_account_id=books.account("705").id)
    session.delete(category)
    session.commit()
    assert session.get(CategoryAccounting, category.id) is None
    assert session.get(Settings, books.settings.id) is not None


def test_installing_accounting_later_on_a_database_with_products(databases, catalog):
    engine = initialized_database(databases.new(), catalog, ["products"])
    try:
        def system():
            return actor_session(make_session_factory(engine), Lifecycle(engine, catalog).registry(), None)

        with system() as session:
            company = session.scalars(select(Company).order_by(Company.id)).first()
            tools = create_category(session, company.id, name="Tools")
            product_id = create_product(session, company.id, code="OLD", name="Old product", category_id=tools.id).id
            session.commit()
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["accounting"]))
        with system() as session:
            assert session.scalar(select(func.count()).select_from(ProductAccounting)) == 0  # rows on first use only
            assert session.scalar(select(func.count()).select_from(CategoryAccounting)) == 0
            product = session.get(Product, product_id)
            settings = session.scalars(select(Settings).where(Settings.company_id == company.id)).one()
            defaults = product_defaults(session, product)
            assert (defaults.sales_tax_ids, defaults.income_account_id, defaults.expense_account_id) == (
                (), settings.income_account_id, settings.expense_account_id)
    finally:
        engine.dispose()
