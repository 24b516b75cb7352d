"""Settings → Companies: an administrator edits the profile; each wrong field is named on the form, nothing saved."""
import io

import pytest
from lxml import html

from core.images import MAX_LOGO_BYTES
from core.models import Company
from core.testing import ADMIN_PASSWORD, image_bytes

PROFILE = {"name": "Bottega Test S.L.", "vat": "ESB12345674", "street": "Calle de Alcalá 48", "street2": "",
           "zip": "28014", "city": "Madrid", "province": "Madrid", "country_code": "ES", "currency_code": "EUR",
           "iban": "ES91 2100 0418 4502 0005 1332", "email": "facturas@bottega.example", "phone": "+34 910 000 000",
           "website": "www.bottega.example", "lang": "es"}


@pytest.fixture
def admin(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    return client


def company(web, company_id: int = 1) -> dict:
    with web.db.factory() as session:
        record = session.get(Company, company_id)
        return {name: getattr(record, name) for name in (*PROFILE, "logo", "logo_type")}


def field_errors(response) -> dict[str, str]:
    """Each field's error list on the returned form, by field name."""
    page = html.fromstring(response.get_data(as_text=True))
    return {node.get("id").removesuffix("-errors"): " ".join(node.itertext()).strip()
            for node in page.xpath("//ul[@class='errors']")}


def upload(data: bytes, name: str = "logo.png"):
    return io.BytesIO(data), name


def test_an_administrator_fills_the_profile_and_uploads_a_logo(web, admin):
    admin.get("/settings/companies/1/edit")
    response = admin.post("/settings/companies/1/edit", {**PROFILE, "logo": upload(image_bytes("PNG"))})
    assert response.status_code == 302, field_errors(response)
    assert company(web) == {**PROFILE, "vat": "B12345674", "street2": None, "iban": "ES9121000418450200051332",
                            "website": "https://www.bottega.example", "logo": image_bytes("PNG"),
                            "logo_type": "image/png"}
    page = admin.get("/settings/companies/1").get_data(as_text=True)
    for words in ("B12345674", "Calle de Alcalá 48", "ES9121000418450200051332", "Document language", "Español",
                  'src="/settings/companies/1/logo"'):
        assert words in page
    logo = admin.get("/settings/companies/1/logo")
    assert (logo.status_code, logo.mimetype, logo.data) == (200, "image/png", image_bytes("PNG"))
    assert logo.headers["X-Content-Type-Options"] == "nosniff"

    admin.get("/settings/companies/1/edit")
    assert admin.post("/settings/companies/1/edit", {**PROFILE, "remove_logo": "y"}).status_code == 302
    assert company(web)["logo"] is None
    assert admin.get("/settings/companies/1/logo").status_code == 404


def test_every_wrong_field_gets_its_own_message_and_nothing_is_saved(web, admin):
    admin.get("/settings/companies/1/edit")
    assert admin.post("/settings/companies/1/edit", PROFILE).status_code == 302
    before = company(web)
    admin.get("/settings/companies/1/edit")
    response = admin.post("/settings/companies/1/edit", {
        **PROFILE, "vat": "B12345670", "iban": "ES91 2100 0418 4502 0005 1333", "email": "facturas@",
        "street": "x" * 100_000, "website": "javascript:alert(1)", "logo": upload(b"MZ\x90\x00 not an image", "a.png")})
    assert response.status_code == 422
    errors = field_errors(response)
    assert set(errors) == {"vat", "iban", "email", "street", "website", "logo"}
    assert "B12345670 is not a valid Spanish CIF" in errors["vat"]
    assert "is not a valid IBAN" in errors["iban"]
    assert "facturas@ is not an email address" in errors["email"]
    assert "120" in errors["street"]
    assert "not a PNG or JPEG image" in errors["logo"]
    assert company(web) == before


@pytest.mark.parametrize("data, name, words", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", "SVG images are not"),
    (b"\x89PNG\r\n\x1a\n" + bytes(MAX_LOGO_BYTES), "big.png", "The image is too big"),
    (b"%PDF-1.4", "logo.png", "not a PNG or JPEG image"),
])
def test_a_logo_that_is_not_a_small_image_is_refused_on_its_field(web, admin, data, name, words):
    admin.get("/settings/companies/1/edit")
    response = admin.post("/settings/companies/1/edit", {**PROFILE, "logo": upload(data, name)})
    assert response.status_code == 422
    assert words in field_errors(response)["logo"]
    assert company(web)["logo"] is None and company(web)["vat"] is None


def test_a_new_company_gets_its_profile_checked_too(web, admin):
    admin.get("/settings/companies/new")
    response = admin.post("/settings/companies/new", {"name": "Nueva S.L.", "country_code": "IT",
                                                      "vat": "ESB12345674", "currency_code": "EUR"})
    assert response.status_code == 422
    assert "tax ID of ES, not of IT" in field_errors(response)["vat"]
    with web.db.factory() as session:
        assert session.query(Company).filter_by(name="Nueva S.L.").count() == 0


def test_the_logo_of_a_company_the_user_does_not_work_in_is_not_found(web, admin):
    other = web.db.company("Otra S.L.")
    admin.get(f"/settings/companies/{other.id}/edit")
    assert admin.post(f"/settings/companies/{other.id}/edit",
                      {"name": "Otra S.L.", "currency_code": "EUR", "logo": upload(image_bytes("JPEG"), "o.jpg")}
                      ).status_code == 302
    web.db.user("clerk", groups=["contacts.group_user"])
    clerk = web.client()
    clerk.login("clerk")
    assert clerk.get(f"/settings/companies/{other.id}/logo").status_code == 404
    assert admin.get(f"/settings/companies/{other.id}/logo").mimetype == "image/jpeg"


def test_a_language_outside_the_list_or_a_wrong_country_sent_by_the_form_is_named_and_nothing_saved(web, admin):
    before = company(web)
    admin.get("/settings/companies/1/edit")
    response = admin.post("/settings/companies/1/edit", {**PROFILE, "lang": "fr", "country_code": "Atlantis",
                                                         "currency_code": "XYZ"})
    assert response.status_code == 422
    errors = field_errors(response)
    assert set(errors) == {"lang", "country_code", "currency_code"}
    assert "Atlantis is not a country" in errors["country_code"]
    assert "XYZ is not a currency code" in errors["currency_code"]
    assert company(web) == before


def test_the_form_and_the_list_read_labels_and_help_from_the_fields(web, admin):
    form = admin.get("/settings/companies/1/edit").get_data(as_text=True)
    for words in ("Tax ID", "Province or state", "Document language", "The account customers pay into",
                  "A PNG or JPEG image of at most 512 KB", "Remove the logo"):
        assert words in form
    assert 'name="logo_type"' not in form
    listing = html.fromstring(admin.get("/settings/companies/").get_data(as_text=True))
    assert [" ".join(th.itertext()).strip(" ▲▼") for th in listing.xpath("//table//th")][:5] == [
        "Name", "Tax ID", "City", "Country", "Currency"]
