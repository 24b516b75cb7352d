"""Encrypted fields (core/encryption.py): keys from the configuration, checked at start-up and install, rotated."""
import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from addons.hr.models import Contract
from addons.hr.services import create_contract, create_employee
from core import encrypted_columns, encryption
from core.config import load_config
from core.errors import ConfigError
from core.lifecycle import Lifecycle
from core.sessions import make_session_factory
from core.testing import initialized_database


@pytest.fixture
def keys():
    """Lets a test change this process's keys; the test key comes back afterwards."""
    saved = encryption._keys, encryption._where
    yield encryption
    encryption._keys, encryption._where = saved


def _contract(session, company_id: int, wage: str) -> int:
    employee = create_employee(session, company_id, name="Eva")
    contract = create_contract(session, company_id, name="C1", employee_id=employee.id,
                               date_start=dt.date(2026, 1, 1), wage=Decimal(wage))
    session.commit()
    return contract.id


def test_a_key_that_is_not_a_key_is_named_in_the_configuration(tmp_path, keys):
    path = tmp_path / "bottega.toml"
    path.write_text(f'[security]\nencryption_keys = ["{keys.generate_key()}", "too-short"]\n')
    with pytest.raises(ConfigError, match=r"bottega.toml: \[security\] encryption_keys: key 2 is not a key"):
        keys.configure(load_config(path, environ={}))


def test_start_up_refuses_a_missing_or_wrong_key_and_names_the_column(databases, catalog, keys):
    engine = initialized_database(databases.new(), catalog, ["hr"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        with make_session_factory(engine)() as session:
            _contract(session, 1, "1800.00")
        with engine.connect() as connection:
            encrypted_columns.check_keys(connection, registry.models)  # the right key: nothing to say
            keys.use_keys([])
            with pytest.raises(ConfigError, match=r"encryption_keys is empty, but the installed addons keep"):
                encrypted_columns.check_keys(connection, registry.models)
            keys.use_keys([keys.generate_key()])
            with pytest.raises(ConfigError, match=r"no key decrypts the stored values.*\(checked on hr_\w+\.\w+\)"):
                encrypted_columns.check_keys(connection, registry.models)
    finally:
        engine.dispose()


def test_a_webhook_secret_demands_the_keys_once_one_is_stored(databases, catalog, keys):
    """Every installation has the webhooks' table: it starts without a key until a subscription exists; subscribing
    without a key is refused with the reason and writes nothing."""
    from core.models.webhook import WebhookSubscription
    from core.security import actor_session
    from core.webhooks.subscriptions import create_subscription

    engine = initialized_database(databases.new(), catalog, ["crm"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        test_keys = encryption._keys
        keys.use_keys([])
        with engine.connect() as connection:
            encrypted_columns.check_keys(connection, registry.models)  # nothing stored: nothing to say
        factory = make_session_factory(engine)
        values = {"name": "Shop", "url": "http://127.0.0.1:9/hook", "events": ["crm.lead_created"], "owner_id": 1}
        with actor_session(factory, registry, None) as session:
            with pytest.raises(ConfigError, match="encryption_keys is empty"):
                create_subscription(session, 1, values, allow_private=True)
            session.rollback()
            assert session.scalars(select(WebhookSubscription)).all() == []
        encryption._keys = test_keys
        with actor_session(factory, registry, None) as session:
            create_subscription(session, 1, values, allow_private=True)
            session.commit()
        keys.use_keys([])
        with engine.connect() as connection, pytest.raises(ConfigError, match=r"encryption_keys is empty"):
            encrypted_columns.check_keys(connection, registry.models)
    finally:
        engine.dispose()


def test_rotation_re_encrypts_every_value_with_the_first_key(databases, catalog, keys):
    old = os.environ[keys.ENV_NAME]
    engine = initialized_database(databases.new(), catalog, ["hr"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        with make_session_factory(engine)() as session:
            contract_id = _contract(session, 1, "2500.10")
        new = keys.generate_key()
        keys.use_keys([new, old])
        with engine.begin() as connection:
            assert encrypted_columns.rotate(connection, registry.models) == 1
        keys.use_keys([new])  # the old key is gone: the values still read
        with make_session_factory(engine)() as session:
            assert session.get(Contract, contract_id).wage == Decimal("2500.10")
        keys.use_keys([old])
        with engine.connect() as connection, pytest.raises(ConfigError, match="no key decrypts"):
            encrypted_columns.check_keys(connection, registry.models)
    finally:
        engine.dispose()


def test_installing_an_addon_with_encrypted_fields_without_a_key_is_refused_and_nothing_is_installed(
        databases, catalog, keys):
    engine = initialized_database(databases.new(), catalog, ["contacts"])
    try:
        keys.use_keys([])
        lifecycle = Lifecycle(engine, catalog)
        with pytest.raises(ConfigError, match="encryption_keys is empty"):
            lifecycle.run(lifecycle.plan_install(["hr"]))
        assert lifecycle.installed() == ["contacts"]
        with engine.connect() as connection:
            assert not connection.execute(text("SELECT 1 FROM core_addon WHERE name = 'hr'")).first()
    finally:
        engine.dispose()


def test_the_commands_generate_a_key_and_rotate(tmp_path, databases, catalog):
    old = os.environ[encryption.ENV_NAME]
    url = databases.new()
    engine = initialized_database(url, catalog, ["hr"])
    with make_session_factory(engine)() as session:
        _contract(session, 1, "999.99")
    config = tmp_path / "bottega.toml"
    config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["hr"]\n')
    command = [sys.executable, "-m", "core.cli", "--config", str(config)]
    new = subprocess.run([*command, "keys", "generate"], capture_output=True, text=True, check=True).stdout.strip()
    env = {**os.environ, encryption.ENV_NAME: f"{new},{old}"}
    rotated = subprocess.run([*command, "keys", "rotate"], capture_output=True, text=True, env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert "Re-encrypted 1 values" in rotated.stdout
    env[encryption.ENV_NAME] = old
    refused = subprocess.run([*command, "keys", "rotate"], capture_output=True, text=True, env=env)
    assert refused.returncode == 2 and "no key decrypts" in refused.stderr and "Traceback" not in refused.stderr
    with engine.connect() as connection:
        token = connection.execute(select(text("wage")).select_from(text("hr_contract"))).scalar()
    engine.dispose()
    saved = encryption._keys
    try:
        encryption.use_keys([new])
        assert encryption.decrypt(token) == "999.99"
    finally:
        encryption._keys = saved


@pytest.mark.parametrize("keys_given", ["", "wrong"])
def test_the_server_refuses_to_start_with_a_missing_or_wrong_key_and_says_so(tmp_path, databases, catalog, keys_given):
    """Nothing is served, so nothing is decrypted wrongly: the command ends with the reason, no traceback."""
    from core.testing import free_port

    url = databases.new()
    engine = initialized_database(url, catalog, ["hr"])
    with make_session_factory(engine)() as session:
        _contract(session, 1, "1234.56")
    engine.dispose()
    config = tmp_path / "bottega.toml"
    config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["hr"]\n'
                      '[server]\nsecret_key = "start-up-secret-key-start-up-secret"\n')
    key = encryption.generate_key() if keys_given == "wrong" else ""
    env = {**os.environ, encryption.ENV_NAME: key}
    started = subprocess.run([sys.executable, "-m", "core.cli", "--config", str(config), "run", "--host", "127.0.0.1",
                              "--port", str(free_port())], capture_output=True, text=True, env=env, timeout=120)
    assert started.returncode != 0 and "Traceback" not in started.stderr, started.stderr[-2000:]
    expected = "no key decrypts the stored values" if key else "KEYS is empty, but the installed addons keep encrypted"
    assert expected in started.stderr and "1234.56" not in started.stdout + started.stderr
