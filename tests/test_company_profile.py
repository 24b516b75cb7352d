"""A company's profile: every value checked by the field layer and core.companies, each refusal naming its field,
nothing stored."""
import pytest
import weasyprint  # noqa: F401 (it makes Pillow load cut images: the logo check must not rely on Pillow's default)
from sqlalchemy import select

from core.companies import create_company, update_company
from core.errors import ValidationError
from core.images import MAX_LOGO_BYTES
from core.models import AuditLog, Company, SecurityEvent
from core.testing import image_bytes

PROFILE = {"name": "Taller Ibérico S.L.", "street": "Calle de Alcalá 48", "zip": "28014", "city": "Madrid",
           "province": "Madrid", "country_code": "es", "vat": "b-1234567-4", "iban": "es91 2100 0418 4502 0005 1332",
           "email": "Facturas@Taller.example", "phone": "+34  910 00 00 00", "website": "taller.example",
           "lang": "es"}


@pytest.fixture
def session(db):
    return db.system()


def stored(db, company_id: int) -> dict:
    """The company as the database holds it, read apart from the session under test."""
    with db.factory() as other:
        company = other.get(Company, company_id)
        return {name: getattr(company, name) for name in (*PROFILE, "logo", "logo_type")}


def test_a_profile_is_stored_in_its_normal_form(db, session):
    company = create_company(session, **PROFILE, logo=image_bytes("PNG"))
    session.commit()
    assert stored(db, company.id) == {
        "name": "Taller Ibérico S.L.", "street": "Calle de Alcalá 48", "zip": "28014", "city": "Madrid",
        "province": "Madrid", "country_code": "ES", "vat": "B12345674", "iban": "ES9121000418450200051332",
        "email": "facturas@taller.example", "phone": "+34 910 00 00 00", "website": "https://taller.example",
        "lang": "es", "logo": image_bytes("PNG"), "logo_type": "image/png"}
    assert company.currency_code == "EUR"


def test_an_eu_vat_number_with_its_prefix_gives_the_country(session):
    company = create_company(session, name="Rheinwerk GmbH", vat="DE 136 695 976")
    assert (company.vat, company.country_code) == ("DE136695976", "DE")


@pytest.mark.parametrize("field, value, words", [
    ("vat", "B12345670", "not a valid Spanish CIF"),
    ("iban", "ES91 2100 0418 4502 0005 1333", "not a valid IBAN"),
    ("email", "facturas@", "not an email address"),
    ("phone", "call us", "not a phone number"),
    ("website", "javascript:alert(1)", "not a web address"),
    ("lang", "fr", "not one of the choices: en, es, it"),
    ("country_code", "XX", "not a country"),
    ("currency_code", "EURO", "At most 3 characters"),
    ("street", "x" * 100_000, "At most 120 characters (this has 100000)"),
    ("name", "x" * 100_000, "At most 120 characters"),
    ("name", "   ", "This field is required"),
    ("currency_code", "ABC", "not a currency code"),
    ("logo_type", "image/gif", "There is no field logo_type here"),
])
def test_a_wrong_value_is_refused_naming_its_field_and_nothing_changes(db, session, field, value, words):
    company = create_company(session, **PROFILE)
    session.commit()
    before = stored(db, company.id)
    with pytest.raises(ValidationError) as refused:
        update_company(session, company, **{field: value})
    assert refused.value.field == field
    assert words in str(refused.value.errors[field])
    assert str(refused.value).startswith({"vat": "Tax ID: ", "iban": "IBAN: ", "street": "Street: ",
                                          "name": "Name: "}.get(field, ""))
    session.commit()
    assert stored(db, company.id) == before


def test_every_wrong_field_is_named_at_once(session):
    with pytest.raises(ValidationError) as refused:
        create_company(session, name="Mal S.L.", country_code="ES", vat="B12345670", iban="ES00",
                       email="no", street="x" * 121, logo=b"GIF89a not really")
    assert set(refused.value.errors) == {"vat", "iban", "email", "street", "logo"}
    assert session.scalars(select(Company).where(Company.name == "Mal S.L.")).first() is None


def test_a_new_country_checks_the_stored_tax_id_again(session):
    company = create_company(session, **PROFILE)
    with pytest.raises(ValidationError) as refused:
        update_company(session, company, country_code="IT")
    assert refused.value.field == "vat" and "tax ID of" not in str(refused.value)
    update_company(session, company, country_code="IT", vat="IT01234560157")
    assert (company.vat, company.country_code) == ("01234560157", "IT")


def test_two_companies_cannot_share_a_name(session):
    create_company(session, name="Gemela S.L.")
    with pytest.raises(ValidationError) as refused:
        create_company(session, name="Gemela S.L.")
    assert refused.value.field == "name" and "already a company called Gemela S.L." in str(refused.value)


def test_a_new_iban_is_written_to_the_security_log(session):
    company = create_company(session, **PROFILE)
    update_company(session, company, iban="ES79 2100 0813 6101 2345 6789", city="Madrid")
    update_company(session, company, city="Alcalá de Henares", iban="ES7921000813610123456789")  # the same IBAN
    events = session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "company_iban_changed")).all()
    assert [event.detail for event in events] == ["Taller Ibérico S.L.: ES91…1332 → ES79…6789"]


def test_unknown_fields_are_refused(session):
    with pytest.raises(ValidationError, match="There is no field colour here"):
        create_company(session, name="Colores S.L.", colour="red")


# --- the logo --------------------------------------------------------------------------


def test_a_jpeg_logo_is_taken_and_can_be_removed(db, session):
    company = create_company(session, name="Foto S.L.", logo=image_bytes("JPEG"))
    session.commit()
    assert stored(db, company.id)["logo_type"] == "image/jpeg"
    update_company(session, company, logo=None)
    session.commit()
    assert (stored(db, company.id)["logo"], stored(db, company.id)["logo_type"]) == (None, None)


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(document.cookie)</script></svg>')


@pytest.mark.parametrize("upload, words", [
    (b"%PDF-1.7 this is a document", "not a PNG or JPEG image"),
    (image_bytes("GIF"), "not a PNG or JPEG image"),
    (SVG, "SVG images are not accepted"),
    (image_bytes("PNG")[:60], "damaged or incomplete"),
    (image_bytes("JPEG")[:400], "damaged or incomplete"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_LOGO_BYTES + 10), "too big"),
    (image_bytes("PNG", size=(5000, 5000)), "too large: 5000 × 5000 pixels"),
    (b"", "empty"),
])
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(db, session, upload, words):
    company = create_company(session, name="Logo S.L.", logo=image_bytes("PNG"))
    session.commit()
    with pytest.raises(ValidationError) as refused:
        update_company(session, company, logo=upload)
    assert refused.value.field == "logo" and words in str(refused.value)
    assert str(refused.value).startswith("Logo: ")
    session.rollback()
    assert stored(db, company.id)["logo"] == image_bytes("PNG")


def test_the_audit_log_records_the_logo_s_type_not_its_bytes(db, session):
    company = create_company(session, name="Auditada S.L.", logo=image_bytes("PNG"))
    session.commit()
    fields = {name: new for row in session.scalars(
        select(AuditLog).where(AuditLog.table_name == "core_company", AuditLog.record_id == company.id))
        for name, (_old, new) in row.changes.items()}
    assert fields["logo_type"] == "image/png" and "logo" not in fields
