import pytest
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import archive_partner, create_partner, update_partner
from core.errors import ValidationError


@pytest.fixture
def session(db):
    return db.as_user(db.user("clerk", groups=["contacts.group_user"]))


def test_a_person_belongs_to_a_company(db, session):
    acme = create_partner(session, db.main_company.id, name="Acme S.L.", is_company=True)
    ana = create_partner(session, db.main_company.id, name="  Ana García ", parent_id=acme.id,
                         email="ana@acme.es", country_code="es")
    assert (ana.name, ana.parent.name, ana.country_code) == ("Ana García", "Acme S.L.", "ES")


@pytest.mark.parametrize("values, field, message", [
    ({"name": ""}, "name", "Name: This field is required."),
    ({"name": "x" * 121}, "name", r"Name: At most 120 characters \(this has 121\)"),
    ({"name": "x" * 100_000}, "name", r"Name: At most 120 characters \(this has 100000\)"),
    ({"name": "A", "email": "not-an-email"}, "email", "Email: not-an-email is not an email address"),
    ({"name": "A", "country_code": "SP"}, "country_code", "Country: SP is not a country"),
    ({"name": "A", "type": "warehouse"}, "type",
     "Contact type: warehouse is not one of the choices: contact, invoice, delivery."),
    ({"name": "A", "colour": "red"}, "colour", "There is no field colour here."),
    ({"name": "A", "parent_id": 999999}, "parent_id", "Works at: Choose one of your partners that is a company"),
])
def test_bad_input_names_the_field_and_saves_nothing(db, session, values, field, message):
    with pytest.raises(ValidationError, match=message) as error:
        create_partner(session, db.main_company.id, **values)
    assert error.value.field == field
    session.rollback()
    assert db.system().scalars(select(Partner)).all() == []


def test_a_country_is_written_by_name_in_any_of_the_languages_and_stored_as_its_code(db, session):
    partner = create_partner(session, db.main_company.id, name="Spanish", country_code="Spain")
    assert partner.country_code == "ES"
    update_partner(session, partner, country_code="italia")
    assert partner.country_code == "IT"
    for written, code in (("UK", "GB"), ("EE.UU.", "US"), ("U.S.A.", "US"), ("Holland", "NL")):
        assert update_partner(session, partner, country_code=written).country_code == code


def test_a_person_cannot_be_the_parent(db, session):
    ana = create_partner(session, db.main_company.id, name="Ana")
    with pytest.raises(ValidationError, match="Choose one of your partners that is a company") as error:
        create_partner(session, db.main_company.id, name="Bob", parent_id=ana.id)
    assert error.value.field == "parent_id"


def test_update_and_archive(db, session):
    partner = create_partner(session, db.main_company.id, name="Rossi")
    update_partner(session, partner, city="Torino")
    archive_partner(session, partner)
    session.commit()
    stored = db.system().get(Partner, partner.id)
    assert (stored.city, stored.active) == ("Torino", False)


# --- tax ids, contact types, tags, salesperson ------------------------------------------------

from addons.contacts.models import Tag  # noqa: E402
from addons.contacts.services import create_tag, rename_tag  # noqa: E402


@pytest.mark.parametrize("vat, country, stored, stored_country", [
    ("B12345674", "ES", "B12345674", "ES"),        # CIF
    ("es b-1234567-4", "es", "B12345674", "ES"),   # with prefix, separators, lower case
    ("12345678-Z", "ES", "12345678Z", "ES"),       # DNI
    ("X1234567L", "ES", "X1234567L", "ES"),        # NIE
    ("IT 011 146 01006", "IT", "01114601006", "IT"),  # partita IVA
    ("rssmra85t10a562s", "IT", "RSSMRA85T10A562S", "IT"),  # codice fiscale
    ("136695976", "DE", "DE136695976", "DE"),      # EU VAT, prefix added
    ("EL094259216", "GR", "EL094259216", "GR"),
    ("FR40303265045", None, "FR40303265045", "FR"),  # the prefix gives the country
    ("98-7654321", "US", "987654321", "US"),       # outside the EU: kept, compact
])
def test_tax_ids_are_checked_per_country_and_stored_compact(db, session, vat, country, stored, stored_country):
    partner = create_partner(session, db.main_company.id, name="Taxed", vat=vat, country_code=country)
    assert (partner.vat, partner.country_code) == (stored, stored_country)


@pytest.mark.parametrize("vat, country, message", [
    ("B12345675", "ES", "B12345675 is not a valid Spanish CIF. The check digit is wrong"),
    ("12345678A", "ES", "12345678A is not a valid Spanish NIF. The check digit is wrong"),
    ("X1234567A", "ES", "X1234567A is not a valid Spanish NIE."),
    ("0111460100", "IT", "0111460100 is not a valid Italian partita IVA or codice fiscale. It has the wrong number"),
    ("RSSMRA85T10A562X", "IT", "is not a valid Italian partita IVA or codice fiscale. The check digit is wrong"),
    ("DE136695970", "DE", "DE136695970 is not a valid EU VAT number. The check digit is wrong"),
    ("IT01114601006", "ES", "IT01114601006 is a tax ID of IT, not of ES: check the country."),
    ("B12345674", None, "Set the country, or write the tax ID with its country prefix"),
])
def test_a_wrong_tax_id_is_refused_on_the_vat_field(db, session, vat, country, message):
    with pytest.raises(ValidationError, match=message) as error:
        create_partner(session, db.main_company.id, name="Taxed", vat=vat, country_code=country)
    assert error.value.field == "vat"


def test_changing_the_country_checks_the_tax_id_again(db, session):
    partner = create_partner(session, db.main_company.id, name="Moved", vat="B12345674", country_code="ES")
    with pytest.raises(ValidationError, match="is not a valid Italian partita IVA") as error:
        update_partner(session, partner, country_code="IT")
    assert error.value.field == "vat"


def test_every_wrong_field_is_reported_at_once(db, session):
    with pytest.raises(ValidationError) as error:
        create_partner(session, db.main_company.id, name="", email="nope", phone="call me", country_code="ESP",
                       lang="fr", type="warehouse")
    assert list(error.value.errors) == ["name", "email", "phone", "country_code", "lang", "type"]
    assert error.value.field == "name"


def test_invoice_and_delivery_addresses_belong_to_a_company(db, session):
    firm = create_partner(session, db.main_company.id, name="Firm", is_company=True)
    billing = create_partner(session, db.main_company.id, name="Firm billing", parent_id=firm.id, type="invoice",
                             street="Via Roma 1", city="Torino")
    assert (billing.type, billing.parent.name) == ("invoice", "Firm")
    assert create_partner(session, db.main_company.id, name="Plain").type is None  # on its own: no type
    assert create_partner(session, db.main_company.id, name="Ana", parent_id=firm.id).type == "contact"
    with pytest.raises(ValidationError, match="Only a contact of a company can be its invoice or delivery address"):
        create_partner(session, db.main_company.id, name="Loose", type="delivery")
    with pytest.raises(ValidationError, match="Firm has contacts: move them to another company first") as error:
        update_partner(session, firm, is_company=False)
    assert error.value.field == "is_company"


def test_tags_by_record_id_or_name_are_per_company(db, session):
    vip = create_tag(session, db.main_company.id, name="VIP")
    partner = create_partner(session, db.main_company.id, name="Tagged", tags=[vip.id, "supplier", "Vip", "  "])
    assert sorted(tag.name for tag in partner.tags) == ["VIP", "supplier"]
    update_partner(session, partner, tags=["Supplier"])
    assert [tag.name for tag in partner.tags] == ["supplier"]
    with pytest.raises(ValidationError, match="There is already a tag VIP"):
        create_tag(session, db.main_company.id, name="vip")
    other = db.company("Other Co")
    foreign = create_tag(db.system(), other.id, name="Foreign")
    db.sessions[-1].commit()
    system = db.system()
    with pytest.raises(ValidationError, match="The tag Foreign belongs to another company"):
        create_partner(system, db.main_company.id, name="Mixed", tags=[system.get(Tag, foreign.id)])
    manager = db.as_user(db.user("boss", groups=["contacts.group_manager"]))
    renamed = rename_tag(manager, manager.get(Tag, vip.id), name="V.I.P.")
    assert renamed.name == "V.I.P."


def test_the_salesperson_is_an_active_user(db, session):
    seller = db.user("seller", groups=["contacts.group_user"])
    partner = create_partner(session, db.main_company.id, name="Sold", salesperson_id=seller.id)
    assert partner.salesperson.login == "seller"
    with pytest.raises(ValidationError, match="Salesperson: Choose an active user.") as error:
        update_partner(session, partner, salesperson_id=999999)
    assert error.value.field == "salesperson_id"
    gone = db.user("gone", groups=["contacts.group_user"])
    with db.factory() as system:
        system.get(type(gone), gone.id).active = False
        system.commit()
    with pytest.raises(ValidationError, match="Salesperson: Choose an active user.") as error:
        update_partner(session, partner, salesperson_id=gone.id)

