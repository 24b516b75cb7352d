"""config/bottega.toml and its BOTTEGA_<SECTION>_<KEY> overrides."""
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import INT_RANGES, SCHEMA, EnabledAddonsWrite, load_config, write_enabled_addons
from core.errors import ConfigError

EXAMPLE = Path(__file__).parent.parent / "config" / "bottega.toml"


def write(tmp_path, text):
    path = tmp_path / "bottega.toml"
    path.write_text(text)
    return path


def test_committed_example_is_valid_and_uses_sqlite_under_instance():
    config = load_config(EXAMPLE, environ={})
    assert config.database_url == "sqlite:///instance/bottega.db"
    assert config.get("jobs", "backend") == "sqlite"
    assert config.get("server", "ratelimit_storage") == "database"


def test_the_example_shows_every_server_and_security_key():
    text = EXAMPLE.read_text()
    for section in ("server", "security"):
        assert f"[{section}]" in text
        for key in SCHEMA[section]:
            assert f"{key} = " in text, f"[{section}] {key}"


def test_rate_limit_storage_and_security_settings(tmp_path):
    config = load_config(write(tmp_path, '[server]\nratelimit_storage = "redis://127.0.0.1:6379/1"\n'
                                         'trusted_proxies = 2\n[security]\nrequire_two_factor_groups = '
                                         '["core.group_admin", "accounting.group_accountant"]\n'), environ={})
    assert config.get("server", "ratelimit_storage") == "redis://127.0.0.1:6379/1"
    assert config.get("server", "trusted_proxies") == 2
    assert config.get("security", "require_two_factor_groups") == ["core.group_admin", "accounting.group_accountant"]
    assert config.get("security", "log_retention_days") == 365


def test_defaults_apply_to_missing_keys(tmp_path):
    config = load_config(write(tmp_path, '[addons]\nenabled = ["contacts"]\n'), environ={})
    assert config.enabled_addons == ["contacts"]
    assert config.get("server", "port") == 8000


def test_environment_overrides_every_key(tmp_path):
    path = write(tmp_path, '[server]\nport = 8000\n')
    config = load_config(path, environ={
        "BOTTEGA_SERVER_PORT": "9000",
        "BOTTEGA_SERVER_HTTPS": "yes",
        "BOTTEGA_ADDONS_ENABLED": "crm, contacts",
        "BOTTEGA_DATABASE_URL": "postgresql+psycopg://u@db/bottega",
    })
    assert config.get("server", "port") == 9000
    assert config.get("server", "https") is True
    assert config.enabled_addons == ["crm", "contacts"]
    assert config.database_url == "postgresql+psycopg://u@db/bottega"
    assert "server.port" in config.from_env


@pytest.mark.parametrize("text, message", [
    ('[server]\nprot = 1\n', "[server] prot: unknown key (known: secret_key, host, port, workers, https, ratelimit_storage, "
                            "trusted_proxies, public_url)"),
    ('[server]\nratelimit_storage = "memcached://x"\n',
     '[server] ratelimit_storage: expected "database", "memory://" or a redis:// URL, got \'memcached://x\''),
    ('[server]\nratelimit_storage = "redis"\n', "[server] ratelimit_storage: expected \"database\""),
    ('[security]\nsession_idle_minutes = -5\n', "[security] session_idle_minutes: must be at least 1, got -5"),
    ('[security]\nrequire_two_factor_groups = "core.group_admin"\n',
     "[security] require_two_factor_groups: expected a list of names, got 'core.group_admin'"),
    ('[serverr]\nport = 1\n', "unknown section [serverr]"),
    ('[server]\nport = "80"\n', "[server] port: expected an integer, got '80'"),
    ('[server]\nhttps = "yes"\n', "[server] https: expected true or false, got 'yes'"),
    ('[addons]\nenabled = "crm"\n', "[addons] enabled: expected a list of names, got 'crm'"),
    ('[addons]\nenabled = ["crm", "crm"]\n', "[addons] enabled: listed twice: crm"),
    ('[jobs]\nbackend = "rabbit"\n', "[jobs] backend: must be one of sqlite, redis, got 'rabbit'"),
    ('[database]\nurl = "mysql://x/y"\n', "only sqlite and postgresql databases are supported"),
    ('[database]\nurl = "not a url"\n', "[database] url: not a database URL"),
    ('[database]\nurl = "postgresql+asyncpg://u@h/db"\n', "[database] url: postgresql+asyncpg is an asyncio driver"),
    ('[database]\nurl = "postgresql+nope://u@h/db"\n', "[database] url: unknown database driver 'postgresql+nope'"),
    ('[database]\nurl = "postgresql+pg8000://u@h/db"\n',
     "[database] url: the driver of postgresql+pg8000 cannot be loaded (ModuleNotFoundError"),
    ('[server\nport = 1\n', "not valid TOML"),
])
def test_bad_files_name_file_key_and_reason(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


@pytest.mark.parametrize("text, message", [
    ('[server]\nworkers = 0\n', "[server] workers: must be at least 1, got 0"),
    ('[server]\nport = 70000\n', "[server] port: must be between 1 and 65535, got 70000"),
    ('[server]\nport = 0\n', "[server] port: must be between 1 and 65535, got 0"),
    ('[mail]\nsmtp_port = 65536\n', "[mail] smtp_port: must be between 1 and 65535, got 65536"),
    ('[mail]\ntimeout = 0\n', "[mail] timeout: must be at least 1, got 0"),
    ('[mail]\nretries = -1\n', "[mail] retries: must be at least 0, got -1"),
    ('[mail]\nretry_delay = -5\n', "[mail] retry_delay: must be at least 0, got -5"),
])
def test_integers_out_of_range_name_file_key_and_reason(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert str(error.value) == f"{path}: {message}"


@pytest.mark.parametrize("variable, value, message", [
    ("BOTTEGA_SERVER_WORKERS", "0", "must be at least 1, got 0"),
    ("BOTTEGA_SERVER_PORT", "70000", "must be between 1 and 65535, got 70000"),
])
def test_integers_out_of_range_in_the_environment_name_the_variable(tmp_path, variable, value, message):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, ""), environ={variable: value})
    assert str(error.value) == f"{variable}: {message}"


def test_the_limits_themselves_are_accepted(tmp_path):
    path = write(tmp_path, "[server]\nport = 65535\nworkers = 1\n[mail]\nsmtp_port = 1\ntimeout = 1\n"
                           "retries = 0\nretry_delay = 0\n")
    config = load_config(path, environ={})
    assert (config.get("server", "port"), config.get("server", "workers")) == (65535, 1)


def test_every_integer_key_declares_its_range():
    integers = {(section, key) for section, keys in SCHEMA.items() for key, (kind, _d) in keys.items() if kind is int}
    assert integers == set(INT_RANGES)
    for (section, key), (lowest, highest) in INT_RANGES.items():
        default = SCHEMA[section][key][1]
        assert default >= lowest and (highest is None or default <= highest), (section, key)


def test_bad_environment_value_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="^BOTTEGA_SERVER_PORT: expected an integer, got 'x'$"):
        load_config(write(tmp_path, ""), environ={"BOTTEGA_SERVER_PORT": "x"})


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "missing.toml", environ={})


def test_unknown_addons_are_rejected(tmp_path):
    config = load_config(write(tmp_path, '[addons]\nenabled = ["contacts", "nope"]\n'), environ={})
    with pytest.raises(ConfigError, match=r"\[addons\] enabled: unknown addon 'nope' \(known: contacts\)"):
        config.check_addons({"contacts"})


def test_writing_enabled_addons_keeps_comments_and_other_keys(tmp_path):
    path = write(tmp_path, '# my notes\n[database]\nurl = "sqlite:///x.db"  # here\n\n[addons]\nenabled = []\n')
    write_enabled_addons(load_config(path, environ={}), ["crm", "contacts"])
    text = path.read_text()
    assert "# my notes" in text and '# here' in text
    assert load_config(path, environ={}).enabled_addons == ["contacts", "crm"]


def test_an_environment_override_is_not_copied_into_the_file(tmp_path):
    path = write(tmp_path, '[addons]\nenabled = ["crm"]  # mine\n')
    config = load_config(path, environ={"BOTTEGA_ADDONS_ENABLED": "contacts, sales"})
    # what the CLI and the web UI pass: the list in effect after installing notes and uninstalling sales
    assert write_enabled_addons(config, ["contacts", "notes"]) == ["crm", "notes"]
    assert load_config(path, environ={}).enabled_addons == ["crm", "notes"]
    assert "# mine" in path.read_text()
    write_enabled_addons(load_config(path, environ={"BOTTEGA_ADDONS_ENABLED": "contacts"}), remove=["crm"])
    assert load_config(path, environ={}).enabled_addons == ["notes"]


def test_a_config_file_that_cannot_be_written_is_refused_before_anything_is_staged(tmp_path):
    path = write(tmp_path, '[addons]\nenabled = []\n')
    path.chmod(0o444)
    with pytest.raises(ConfigError, match=r"cannot be written \(the file is read-only\).*nothing was changed$"):
        EnabledAddonsWrite(load_config(path, environ={}), add=["crm"])
    assert path.read_text() == '[addons]\nenabled = []\n'
    assert [p.name for p in tmp_path.iterdir()] == ["bottega.toml"]


def test_a_staged_write_changes_the_file_only_when_committed(tmp_path):
    path = write(tmp_path, '[addons]\nenabled = []\n')
    staged = EnabledAddonsWrite(load_config(path, environ={}), add=["crm"])
    assert load_config(path, environ={}).enabled_addons == []
    staged.discard()
    assert [p.name for p in tmp_path.iterdir()] == ["bottega.toml"]
    staged = EnabledAddonsWrite(load_config(path, environ={}), add=["crm"])
    staged.commit()
    assert load_config(path, environ={}).enabled_addons == ["crm"]
    assert [p.name for p in tmp_path.iterdir()] == ["bottega.toml"]


def test_a_file_staged_by_a_process_that_is_gone_is_removed_when_the_next_write_is_staged(tmp_path):
    path = write(tmp_path, '[addons]\nenabled = []\n')
    gone = int(subprocess.check_output([sys.executable, "-c", "import os; print(os.getpid())"]))  # ended
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        orphan = tmp_path / f".bottega.toml.{gone}.k2j3h4.tmp"
        busy = tmp_path / f".bottega.toml.{running.pid}.a8b7c6.tmp"
        for staged in (orphan, busy):
            staged.write_text('[addons]\nenabled = ["half"]\n')
        write_enabled_addons(load_config(path, environ={}), add=["crm"])
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bottega.toml", busy.name])
    finally:
        running.communicate(b"")
    assert load_config(path, environ={}).enabled_addons == ["crm"]

