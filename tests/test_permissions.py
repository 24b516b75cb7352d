"""Model access and record rules, enforced in the session every service uses."""
import pytest
from sqlalchemy import select, update

from addons.contacts.models import Partner
from addons.contacts.services import create_partner, update_partner
from core.errors import AccessDenied

USER = "contacts.group_user"


def test_no_group_no_access(db):
    clerk = db.user("clerk", groups=["core.group_user"])
    session = db.as_user(clerk)
    with pytest.raises(AccessDenied, match="may not read Partner"):
        session.scalars(select(Partner)).all()


def test_user_sees_only_partners_of_allowed_companies(db):
    other = db.company("Other S.L.")
    system = db.system()
    create_partner(system, db.main_company.id, name="Ours")
    create_partner(system, other.id, name="Theirs")
    system.commit()

    alice = db.user("alice", groups=[USER])
    names = db.as_user(alice).scalars(select(Partner.name).order_by(Partner.name)).all()
    assert "Ours" in names and "Theirs" not in names

    both = db.user("both", groups=[USER], companies=[db.main_company, other])
    names = db.as_user(both).scalars(select(Partner.name)).all()
    assert {"Ours", "Theirs"} <= set(names)


def test_get_by_id_of_other_company_is_not_found(db):
    other = db.company("Other S.L.")
    system = db.system()
    theirs = create_partner(system, other.id, name="Theirs")
    system.commit()
    alice = db.user("alice", groups=[USER])
    assert db.as_user(alice).get(Partner, theirs.id) is None


def test_create_in_foreign_company_is_refused_and_nothing_written(db):
    other = db.company("Other S.L.")
    alice = db.user("alice", groups=[USER])
    session = db.as_user(alice)
    with pytest.raises(AccessDenied, match="allowed companies"):
        create_partner(session, other.id, name="Sneaky")
    session.rollback()
    assert db.system().scalars(select(Partner).where(Partner.name == "Sneaky")).first() is None


def test_moving_a_record_to_another_company_is_refused(db):
    other = db.company("Other S.L.")
    alice = db.user("alice", groups=[USER])
    session = db.as_user(alice)
    partner = create_partner(session, db.main_company.id, name="Mine")
    session.commit()
    with pytest.raises(AccessDenied):
        update_partner(session, partner, name="Moved")
        partner.company_id = other.id
        session.flush()
    session.rollback()
    stored = db.system().get(Partner, partner.id)
    assert (stored.name, stored.company_id) == ("Mine", db.main_company.id)


def test_delete_needs_the_delete_grant(db):
    alice = db.user("alice", groups=[USER])
    boss = db.user("boss", groups=["contacts.group_manager"])
    session = db.as_user(alice)
    partner = create_partner(session, db.main_company.id, name="Keep me")
    session.commit()
    session.delete(partner)
    with pytest.raises(AccessDenied, match="may not delete Partner"):
        session.flush()
    session.rollback()

    boss_session = db.as_user(boss)
    boss_session.delete(boss_session.get(Partner, partner.id))
    boss_session.commit()
    assert db.system().get(Partner, partner.id) is None


def test_bulk_update_statements_are_refused_in_a_user_session_and_change_nothing(db):
    system = db.system()
    ours = create_partner(system, db.main_company.id, name="Ours")
    system.commit()
    alice = db.user("alice", groups=[USER])
    session = db.as_user(alice)
    with pytest.raises(AccessDenied, match="UPDATE statements"):
        session.execute(update(Partner).values(city="Madrid"))
    session.rollback()
    assert db.system().get(Partner, ours.id).city is None


def test_admin_gets_addon_manager_groups_without_being_added(db, registry):
    session = db.as_user(db.admin())
    actor = session.info["actor"]
    assert "contacts.group_manager" in actor.groups
    assert registry.can(actor, Partner, "delete")


def test_company_switch_cannot_widen_allowed_companies(db):
    other = db.company("Other S.L.")
    alice = db.user("alice", groups=[USER])
    with pytest.raises(AccessDenied, match="may not work in companies"):
        db.as_user(alice, company_ids=[other.id])


def test_every_model_of_every_installed_addon_has_an_access_declaration(registry):
    missing = [
        f"{addon}: {model.__name__}"
        for addon, models in registry.models_by_addon.items()
        for model in models
        if not registry.access.get(model)
    ]
    assert missing == []
