"""The partner record page: contacts and addresses, duplicate hints, and what other addons say (partner_summary)."""
import pytest
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner, create_tag
from core import hookimpl
from core.web.panels import Panel


class Accounting:
    """A stand-in for an addon that knows something about partners."""

    calls = []

    @hookimpl
    def partner_summary(self, session, actor, partner):
        self.calls.append((actor.login, partner.name))
        return (Panel("Unpaid invoices", lines=(("Overdue", "1.250,00 €"), ("Invoices", "3")),
                      warning="Over the credit limit", endpoint="contacts.partner_list", sequence=5),)


class Quiet:
    @hookimpl
    def partner_summary(self, session, actor, partner):
        return None


@pytest.fixture
def panels(web):
    Accounting.calls = []
    for name, plugin in (("test-accounting", Accounting()), ("test-quiet", Quiet())):
        web.app.extensions["bottega"].registry.pm.register(plugin, name=name)
    yield Accounting.calls
    for name in ("test-accounting", "test-quiet"):
        web.app.extensions["bottega"].registry.pm.unregister(name=name)


def test_the_record_page_shows_the_panels_other_addons_return(web, clerk, panels):
    session = web.db.system()
    firm = create_partner(session, web.db.main_company.id, name="Rossi S.r.l.", is_company=True)
    session.commit()
    page = clerk.get(f"/contacts/partners/{firm.id}").get_data(as_text=True)
    assert panels == [("clerk", "Rossi S.r.l.")]
    assert 'aria-label="Unpaid invoices"' in page and "Over the credit limit" in page
    assert "<dt>Overdue</dt><dd>1.250,00 €</dd>" in page and 'href="/contacts/partners/"' in page


def test_a_company_lists_its_contacts_and_addresses_and_the_fields_read_well(web, clerk):
    session = web.db.system()
    seller = web.db.user("seller", groups=["contacts.group_user"])
    vip = create_tag(session, web.db.main_company.id, name="VIP")
    firm = create_partner(session, web.db.main_company.id, name="Ferretería Ibérica S.L.", is_company=True,
                          vat="B12345674", country_code="ES", salesperson_id=seller.id, tags=[vip])
    create_partner(session, web.db.main_company.id, name="Lucía Martín", parent_id=firm.id, email="lucia@iberica.es")
    create_partner(session, web.db.main_company.id, name="Almacén", parent_id=firm.id, type="delivery",
                   city="Getafe")
    session.commit()
    page = clerk.get(f"/contacts/partners/{firm.id}").get_data(as_text=True)
    assert "Contacts and addresses" in page
    assert "Lucía Martín" in page and "lucia@iberica.es" in page
    assert "<td>Delivery address</td>" in page and "Getafe" in page
    assert f'<dt>Salesperson</dt><dd><a href="/settings/users/{seller.id}">Seller</a></dd>' in page  # linked
    assert "<dt>Tags</dt><dd>VIP</dd>" in page and "<dt>Country</dt><dd>Spain</dd>" in page


def test_the_record_page_hints_at_duplicates_with_a_merge_link(web, clerk):
    session = web.db.system()
    first = create_partner(session, web.db.main_company.id, name="Acme S.L.", email="info@acme.es")
    second = create_partner(session, web.db.main_company.id, name="ACME SL")
    session.commit()
    page = clerk.get(f"/contacts/partners/{first.id}").get_data(as_text=True)
    assert "This partner may have duplicates" in page and "(Similar name)" in page
    assert f"/contacts/merge?source={second.id}&amp;target={first.id}" in page


def test_the_partner_form_takes_the_new_fields_and_shows_tax_id_errors_on_the_field(web, clerk):
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": "Bad Tax S.L.", "is_company": "y", "country_code": "ES",
                                                     "vat": "B12345675"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="vat-errors"' in html and "B12345675 is not a valid Spanish CIF" in html
    created = clerk.post("/contacts/partners/new", {"name": "Good Tax S.L.", "is_company": "y", "country_code": "es",
                                                    "vat": "es-b12345674", "mobile": "+34 600 11 22 33"})
    assert created.status_code == 302
    page = clerk.get(created.headers["Location"]).get_data(as_text=True)
    assert "<dt>Tax ID</dt><dd>B12345674</dd>" in page and "+34 600 11 22 33" in page


def test_editing_keeps_and_changes_tags_and_the_contact_type(web, clerk):
    session = web.db.system()
    vip = create_tag(session, web.db.main_company.id, name="VIP")
    supplier = create_tag(session, web.db.main_company.id, name="Supplier")
    firm = create_partner(session, web.db.main_company.id, name="Firm", is_company=True)
    person = create_partner(session, web.db.main_company.id, name="Billing", parent_id=firm.id, tags=[vip])
    session.commit()
    form = clerk.get(f"/contacts/partners/{person.id}/edit").get_data(as_text=True)
    assert 'value="invoice"' in form and f'value="{supplier.id}"' in form
    response = clerk.post(f"/contacts/partners/{person.id}/edit", {
        "name": "Billing", "parent_id": str(firm.id), "type": "invoice", "tags": [str(vip.id), str(supplier.id)]})
    assert response.status_code == 302
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "<dt>Contact type</dt><dd>Invoice address</dd>" in page
    assert "<dt>Tags</dt><dd>Supplier, VIP</dd>" in page


def partner_names(web) -> list[str]:
    from sqlalchemy import select

    from addons.contacts.models import Partner

    with web.db.factory() as session:
        return list(session.scalars(select(Partner.name).order_by(Partner.id)))


@pytest.mark.parametrize("values, field, message", [
    ({"name": "Loose", "type": "warehouse"}, "type", "Not a valid choice."),
    ({"name": "x" * 100_000}, "name", "Field cannot be longer than 120 characters."),
    ({"name": "Nowhere", "country_code": "SP"}, "country_code",
     "SP is not a country: write its name (Spain, España, Spagna) or its two-letter code (ES)."),
])
def test_bad_values_in_the_form_are_refused_on_their_field_and_nothing_is_saved(web, clerk, values, field, message):
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", values)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = html[html.index(f'id="{field}-errors"'):]
    assert message in errors[:errors.index("</")]
    assert partner_names(web) == []


def test_a_country_typed_by_name_in_the_form_is_saved_as_its_code(web, clerk):
    clerk.get("/contacts/partners/new")
    created = clerk.post("/contacts/partners/new", {"name": "Ferretería", "country_code": "Spain"})
    assert created.status_code == 302
    assert "<dt>Country</dt><dd>Spain</dd>" in clerk.get(created.headers["Location"]).get_data(as_text=True)
    assert web.db.system().scalar(select(Partner.country_code).where(Partner.name == "Ferretería")) == "ES"
