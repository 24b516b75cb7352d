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
    ({"name": ""}, "name", "A partner needs a name."),
    ({"name": "x" * 121}, "name", "at most 120 characters"),
    ({"name": "A", "email": "not-an-email"}, "email", "is not an email address"),
    ({"name": "A", "country_code": "Spain"}, "country_code", "two-letter country code"),
    ({"name": "A", "colour": "red"}, "colour", "unknown partner fields: colour"),
    ({"name": "A", "parent_id": 999999}, "parent_id", "There is no partner 999999"),
])
def test_bad_input_names_the_field_and_saves_nothing(db, session, values, field, message):
    with pytest.raises(ValidationError, match=message) as error:
        create_partner(session, db.main_company.id, **values)
    assert error.value.field == field
    session.rollback()
    assert db.system().scalars(select(Partner)).all() == []


def test_a_person_cannot_be_the_parent(db, session):
    ana = create_partner(session, db.main_company.id, name="Ana")
    with pytest.raises(ValidationError, match="Ana is a person, not a company"):
        create_partner(session, db.main_company.id, name="Bob", parent_id=ana.id)


def test_update_and_archive(db, session):
    partner = create_partner(session, db.main_company.id, name="Rossi")
    update_partner(session, partner, city="Torino")
    archive_partner(session, partner)
    session.commit()
    stored = db.system().get(Partner, partner.id)
    assert (stored.city, stored.active) == ("Torino", False)
