"""Setup data comes from the addon's after_install hook, run at head, inside the install's transaction.

The fixture addon tally makes a book per company in its hook, with today's
model: 1.0.0 fills ``code``, a column its second migration adds, and 1.1.0
(tally_v2) sets ``currency``, added by its third. faulty (which needs tally)
writes in its hook, then fails.
"""
import pytest
from sqlalchemy.orm import Session

from core.db import make_engine
from core.lifecycle import Lifecycle
from core.models import Company
from tests.fixture_addons.tally.plugin import SETUP_CALLS

from .lifecycle_helpers import Bottega, fixture_catalog, query, tables, write_config


@pytest.fixture(autouse=True)
def _forget_setup_calls():
    SETUP_CALLS.clear()


def run(url, catalog, plan_of):
    """Carry out ``plan_of(lifecycle)`` on the database at ``url``."""
    engine = make_engine(url)
    try:
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(plan_of(lifecycle))
    finally:
        engine.dispose()


def install(url, *names, release="tally"):
    """Install ``names`` from a catalog of tally's ``release`` and the other fixture addons named."""
    others = [name for name in names if name != "tally"]
    run(url, fixture_catalog(release, *others), lambda lifecycle: lifecycle.plan_install(list(names)))


def add_companies(url, *names_and_currencies):
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.add_all(Company(name=name, currency_code=currency) for name, currency in names_and_currencies)
            session.commit()
    finally:
        engine.dispose()


def companies(url):
    return query(url, "SELECT id, name, currency_code FROM core_company ORDER BY id")


def books(url, columns="id, company_id, name, code"):
    return query(url, f"SELECT {columns} FROM tally_book ORDER BY company_id, id")


def expected_books(url):
    return [(company_id, f"Books of {name}", f"B{company_id:04d}") for company_id, name, _c in companies(url)]


def keepers(url):
    return query(url, "SELECT u.login FROM core_user_group m JOIN core_group g ON g.id = m.group_id "
                      "JOIN core_user u ON u.id = m.user_id WHERE g.key = 'tally.group_keeper'")


@pytest.mark.parametrize("release", ["tally", "tally_v2"])
def test_a_fresh_install_sets_up_with_todays_model_after_the_column_it_fills_is_added(initialized_url, release):
    install(initialized_url, "tally", release=release)
    assert books(initialized_url, "company_id, name, code") == expected_books(initialized_url)
    assert SETUP_CALLS == [None]
    assert keepers(initialized_url) == [("admin",)]  # its groups existed when its hook ran
    if release == "tally_v2":
        assert books(initialized_url, "currency") == [("EUR",)]


@pytest.mark.parametrize("release", ["tally", "tally_v2"])
def test_an_install_on_a_database_in_use_sets_up_every_company_and_leaves_their_rows_alone(initialized_url,
                                                                                        release):
    add_companies(initialized_url, ("Acme Inc.", "USD"), ("Britannia Ltd", "GBP"))
    before = companies(initialized_url)
    install(initialized_url, "tally", release=release)
    assert companies(initialized_url) == before
    assert books(initialized_url, "company_id, name, code") == expected_books(initialized_url)
    assert len(before) == 3
    if release == "tally_v2":
        assert books(initialized_url, "currency") == [(currency,) for _i, _n, currency in before]


def test_an_upgrade_runs_the_new_release_hook_over_the_old_data(initialized_url):
    add_companies(initialized_url, ("Acme Inc.", "USD"))
    install(initialized_url, "tally")
    old_books = books(initialized_url)
    add_companies(initialized_url, ("Britannia Ltd", "GBP"))  # while 1.0.0 is installed: no book yet
    assert len(books(initialized_url)) == 2

    run(initialized_url, fixture_catalog("tally_v2"), lambda lifecycle: lifecycle.plan_upgrade(["tally"]))

    assert SETUP_CALLS == [None, "1.0.0"]
    assert books(initialized_url)[:2] == old_books
    assert books(initialized_url, "company_id, name, code") == expected_books(initialized_url)
    assert books(initialized_url, "currency") == [(currency,) for _i, _n, currency in companies(initialized_url)]
    assert keepers(initialized_url) == [("admin",)]


def test_an_install_again_after_an_uninstall_without_purge_duplicates_nothing(initialized_url):
    install(initialized_url, "tally")
    kept = books(initialized_url)
    run(initialized_url, fixture_catalog("tally"), lambda lifecycle: lifecycle.plan_uninstall("tally"))
    add_companies(initialized_url, ("Acme Inc.", "USD"))  # while tally is uninstalled

    install(initialized_url, "tally")

    assert SETUP_CALLS == [None, "1.0.0"]
    assert books(initialized_url)[:1] == kept
    assert books(initialized_url, "company_id, name, code") == expected_books(initialized_url)
    assert keepers(initialized_url) == [("admin",)]


def test_the_hook_runs_for_the_addon_installed_only(initialized_url):
    install(initialized_url, "tally")
    install(initialized_url, "alpha")
    run(initialized_url, fixture_catalog("tally", "alpha"), lambda lifecycle: lifecycle.plan_upgrade())
    assert SETUP_CALLS == [None]  # not again for alpha's install, nor for an upgrade with nothing to do


def everything(url, config):
    """What a failed command must leave as it was: schema, history, companies, groups, members, config."""
    return {
        "tables": tables(url),
        "revisions": query(url, "SELECT version_num FROM alembic_version ORDER BY version_num"),
        "companies": companies(url),
        "groups": query(url, "SELECT key, label FROM core_group ORDER BY key"),
        "memberships": query(url, "SELECT user_id, group_id FROM core_user_group ORDER BY 1, 2"),
        "config": config.read_text(),
    }


def test_a_failing_setup_rolls_the_whole_command_back(tmp_path, initialized_url):
    config = write_config(tmp_path, initialized_url)
    before = everything(initialized_url, config)

    result = Bottega(config, fixture_catalog("tally", "faulty"))("addons", "install", "faulty")

    assert result.exit_code == 2
    assert result.stderr == ("error: install faulty 1.0.0 failed while setting up its data: RuntimeError: the setup "
                             "of faulty fails on purpose; the database was left as it was\n")
    assert SETUP_CALLS == [None]  # tally, which faulty needs, was set up first and is rolled back with it
    assert query(initialized_url, "SELECT name FROM core_addon WHERE name IN ('tally', 'faulty')") == []
    assert {"tally_book", "faulty_note"}.isdisjoint(tables(initialized_url))
    assert everything(initialized_url, config) == before
