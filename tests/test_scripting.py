"""``core.session``: a script acting as a user of the configured installation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

import core
from addons.accounting.models import Invoice
from addons.accounting.models.invoicing import PAID, POSTED
from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from core.models.audit import AuditLog
from core.errors import AccessDenied, ConfigError, DatabaseError, RecordNotFound, ValidationError
from core.models import Company, User
from tests.lifecycle_helpers import write_config


@pytest.fixture
def site(db_copy, tmp_path, monkeypatch):
    """A copy of the installed database, and a config file naming it (no override from the environment)."""
    for name in ("BOTTEGA_CONFIG", "BOTTEGA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    db_copy.config = write_config(tmp_path, db_copy.engine.url.render_as_string(hide_password=False))
    return db_copy


def partners_named(site, name: str) -> list[Partner]:
    with site.factory() as session:
        return list(session.scalars(select(Partner).where(Partner.name == name)))


def test_a_script_acts_as_the_user_and_its_work_is_committed(site):
    with core.session(user="admin", config=site.config) as s:
        actor = s.info["actor"]
        partner = create_partner(s, actor.company_id, name="Scripted S.L.")
    assert actor.login == "admin" and actor.company_id == site.main_company.id
    assert [p.id for p in partners_named(site, "Scripted S.L.")] == [partner.id]
    with site.factory() as session:  # the audit log names the acting user
        author = session.scalar(select(AuditLog.user_id).where(AuditLog.table_name == "contacts_partner",
                                                              AuditLog.record_id == partner.id))
    assert author == site.admin().id


def test_an_exception_in_the_block_rolls_everything_back(site):
    with pytest.raises(RuntimeError, match="changed my mind"):
        with core.session(user="admin", config=site.config) as s:
            create_partner(s, s.info["actor"].company_id, name="Never S.L.")
            s.flush()
            raise RuntimeError("changed my mind")
    assert partners_named(site, "Never S.L.") == []


def test_the_users_access_rules_apply(site):
    site.user("reader")  # in no group: may read nothing
    with pytest.raises(AccessDenied):
        with core.session(user="reader", config=site.config) as s:
            create_partner(s, s.info["actor"].company_id, name="Forbidden S.L.")
    assert partners_named(site, "Forbidden S.L.") == []


def test_the_company_is_chosen_by_name_or_id_and_defaults_to_the_users_own(site):
    other = site.company("Filiale S.r.l.")
    user = site.user("clerk", groups=["contacts.group_user"], companies=[site.main_company, other])
    with core.session(user="clerk", config=site.config) as s:
        assert s.info["actor"].company_id == site.main_company.id
        assert s.info["actor"].company_ids == {site.main_company.id, other.id}
    for company in ("Filiale S.r.l.", other.id, str(other.id)):
        with core.session(user=user.id, company=company, config=site.config) as s:
            assert (s.info["actor"].company_id, s.info["actor"].company_ids) == (other.id, {other.id})
            create_partner(s, other.id, name=f"Cliente {company}")
    assert len(partners_named(site, "Cliente Filiale S.r.l.")) == 1


def test_the_configuration_is_found_as_the_command_finds_it(site, monkeypatch, tmp_path):
    monkeypatch.setenv("BOTTEGA_CONFIG", str(site.config))
    with core.session(user="admin") as s:
        create_partner(s, s.info["actor"].company_id, name="From BOTTEGA_CONFIG")
    assert len(partners_named(site, "From BOTTEGA_CONFIG")) == 1
    monkeypatch.setenv("BOTTEGA_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'bottega.db'}")
    with pytest.raises(DatabaseError, match="missing"):
        with core.session(user="admin"):
            pass


def check_refused(site, error, message, **arguments):
    """The call is refused with ``error`` whose message is ``message``, before the block runs."""
    ran = []
    with pytest.raises(error) as raised:
        with core.session(config=arguments.pop("config", site.config), **arguments):
            ran.append(True)
    assert str(raised.value) == message
    assert ran == []


def test_an_unknown_user_is_refused(site):
    check_refused(site, RecordNotFound, "user 'bob': no such user", user="bob")
    check_refused(site, RecordNotFound, "user 987654: no such user", user=987654)
    check_refused(site, RecordNotFound, "user 100000000000000000000: no such user", user=10 ** 20)
    check_refused(site, ValidationError, "user None: give a login or an id", user=None)


def test_an_archived_user_is_refused(site):
    user = site.user("gone", groups=["contacts.group_user"])
    with site.factory() as session:
        session.execute(update(User).where(User.id == user.id).values(active=False))
        session.commit()
    check_refused(site, AccessDenied, "user 'gone': the user is archived", user="gone")


def test_a_company_is_refused_when_unknown_or_out_of_the_users_reach(site):
    site.company("Elsewhere Ltd")
    site.user("local", groups=["contacts.group_user"])
    check_refused(site, RecordNotFound, "company 'Nowhere': no such company", user="local", company="Nowhere")
    check_refused(site, RecordNotFound, "company 424242: no such company", user="local", company=424242)
    check_refused(site, AccessDenied, "company 'Elsewhere Ltd': user 'local' has no access to it",
                  user="local", company="Elsewhere Ltd")


def test_a_bad_configuration_path_is_refused(site, tmp_path):
    missing = tmp_path / "nowhere.toml"
    check_refused(site, ConfigError, f"{missing}: no such configuration file", user="admin", config=missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("[database\n")
    with pytest.raises(ConfigError, match="broken.toml: not valid TOML"):
        with core.session(user="admin", config=broken):
            pass


def test_nothing_is_written_when_the_session_is_refused(site):
    with site.factory() as session:
        before = session.scalar(select(func.count()).select_from(AuditLog))
    check_refused(site, RecordNotFound, "user 'bob': no such user", user="bob", company="Nowhere")
    with site.factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == before


def readme_script() -> str:
    """The Python block of the README's "Scripting" section, as a reader copies it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Scripting\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_script_bills_a_customer_and_records_the_payment(site, monkeypatch):
    code = readme_script()
    assert len(code.splitlines()) <= 10
    with site.factory() as session:  # the README's company, in a database with accounting installed
        session.execute(update(Company).where(Company.id == site.main_company.id).values(name="Bottega Demo S.L."))
        session.commit()
    monkeypatch.setenv("BOTTEGA_CONFIG", str(site.config))
    exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})
    with site.factory() as session:
        invoice = session.scalars(select(Invoice).join(Partner, Invoice.partner_id == Partner.id)
                                  .where(Partner.name == "Trattoria Da Mario")).one()
        assert (invoice.state, invoice.payment_state, invoice.residual) == (POSTED, PAID, 0)
        assert invoice.amount_total > 0


def test_the_engine_is_disposed_whether_the_block_ends_or_raises(site, monkeypatch):
    from core.installation import Installation

    disposed = []
    opened = Installation.engine

    def engine(self, create=False):
        made = opened(self, create)
        dispose = made.dispose
        monkeypatch.setattr(made, "dispose", lambda *args, **kwargs: (disposed.append(made), dispose(*args, **kwargs)))
        return made

    monkeypatch.setattr(Installation, "engine", engine)
    with core.session(user="admin", config=site.config):
        pass
    with pytest.raises(RecordNotFound):
        with core.session(user="bob", config=site.config):
            pass
    with pytest.raises(ZeroDivisionError):
        with core.session(user="admin", config=site.config):
            1 / 0
    assert len(disposed) == 3 and len(set(map(id, disposed))) == 3
