"""Configuration: ``config/bottega.toml`` plus ``BOTTEGA_<SECTION>_<KEY>`` environment overrides.

The file is the desired state of the installation (database, enabled addons,
server, mail, jobs). Every key is typed; an unknown section or key, a wrong
type or a bad value is a :class:`ConfigError` naming the file (or variable),
the key and the reason. The CLI keeps ``[addons] enabled`` in step when it
installs or uninstalls an addon, preserving the file's comments.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from core.errors import ConfigError

DEFAULT_PATH = Path("config/bottega.toml")
ENV_PATH = "BOTTEGA_CONFIG"

# section -> key -> (type, default)
SCHEMA: dict[str, dict[str, tuple[type, Any]]] = {
    "database": {"url": (str, "sqlite:///instance/bottega.db")},
    "addons": {"enabled": (list, [])},
    "server": {
        "secret_key": (str, ""),
        "host": (str, "127.0.0.1"),
        "port": (int, 8000),
        "workers": (int, 2),
        "https": (bool, False),
        "ratelimit_storage": (str, "database"),
        "trusted_proxies": (int, 0),
        "public_url": (str, "http://127.0.0.1:8000"),
    },
    "security": {
        "session_idle_minutes": (int, 60),
        "reauth_minutes": (int, 5),
        "require_two_factor_groups": (list, []),
        "log_retention_days": (int, 365),
        # Fernet keys for encrypted fields, newest first (core/encryption.py)
        "encryption_keys": (list, []),
    },
    "mail": {
        "smtp_host": (str, "127.0.0.1"),
        "smtp_port": (int, 25),
        "smtp_user": (str, ""),
        "smtp_password": (str, ""),
        "smtp_starttls": (bool, False),
        "from_address": (str, "bottega@localhost"),
        "timeout": (int, 30),
        "retries": (int, 5),
        "retry_delay": (int, 300),
        # the largest message `bottega mail receive` / `bottega mail lmtp` accept, in MB as sent (base64 and all)
        "incoming_max_mb": (int, 30),
    },
    "attachments": {
        "folder": (str, "instance/attachments"),
        "max_mb": (int, 20),
    },
    "jobs": {
        "backend": (str, "sqlite"),
        "sqlite_path": (str, "instance/jobs.db"),
        "redis_url": (str, "redis://127.0.0.1:6379/0"),
        "files_path": (str, "instance/task-files"),
    },
    "webhooks": {
        # seconds a target has to answer one delivery attempt
        "timeout": (int, 10),
        # attempts of one delivery, the first included; the n-th retry waits retry_delay * 2**(n-1) seconds
        "attempts": (int, 6),
        "retry_delay": (int, 30),
        # targets on loopback, private, link-local or reserved addresses are refused unless this is true
        "allow_private_targets": (bool, False),
    },
}
CHOICES = {("jobs", "backend"): ("sqlite", "redis")}
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster")
# (section, key) -> (lowest, highest or None) allowed for each integer key
INT_RANGES: dict[tuple[str, str], tuple[int, int | None]] = {
    ("server", "port"): (1, 65535),
    ("server", "workers"): (1, None),
    ("mail", "smtp_port"): (1, 65535),
    ("mail", "timeout"): (1, None),  # seconds
    ("mail", "retries"): (0, None),
    ("mail", "retry_delay"): (0, None),  # seconds
    ("mail", "incoming_max_mb"): (1, 2048),
    ("attachments", "max_mb"): (1, 1024),
    ("server", "trusted_proxies"): (0, 10),  # reverse proxies in front of the app whose headers are believed
    ("security", "session_idle_minutes"): (1, None),
    ("security", "reauth_minutes"): (1, None),
    ("security", "log_retention_days"): (1, None),
    ("webhooks", "timeout"): (1, 300),
    ("webhooks", "attempts"): (1, 20),
    ("webhooks", "retry_delay"): (1, None),
}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list of names"}


@dataclass(frozen=True)
class Config:
    path: Path
    values: Mapping[str, Mapping[str, Any]]
    from_env: frozenset[str] = frozenset()

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    @property
    def database_url(self) -> str:
        return self.get("database", "url")

    @property
    def enabled_addons(self) -> list[str]:
        return list(self.get("addons", "enabled"))

    def check_addons(self, known) -> None:
        unknown = [name for name in self.enabled_addons if name not in known]
        if unknown:
            where = "BOTTEGA_ADDONS_ENABLED" if "addons.enabled" in self.from_env else f"{self.path}: [addons] enabled"
            raise ConfigError(
                f"{where}: unknown addon {', '.join(map(repr, unknown))} "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )


#: The password in a database URL, as SQLAlchemy's URL pattern finds it (user, then ``:password@``).
_URL_PASSWORD = re.compile(r"^(?P<before>[\w+]+://[^:/]*:)[^@]*@")


def redacted(url: str) -> str:
    """``url`` with its password shown as ``***``, for messages and logs (without importing SQLAlchemy)."""
    return _URL_PASSWORD.sub(r"\g<before>***@", url)


def config_path(explicit: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """The file to read, and whether the user named it (a named file must exist)."""
    if explicit:
        return Path(explicit), True
    if os.environ.get(ENV_PATH):
        return Path(os.environ[ENV_PATH]), True
    return DEFAULT_PATH, False


def load_config(explicit: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None, *,
                check_database_url: bool = True) -> Config:
    """The configuration, every key checked.

    ``check_database_url=False`` checks ``[database] url`` only as a string:
    its full check asks SQLAlchemy and loads the driver, which listing the
    commands does without (it reads the database with the driver alone,
    :mod:`core.lifecycle.installed_names`).
    """
    environ = os.environ if environ is None else environ
    path, named = config_path(explicit)
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}") from exc
    elif named:
        raise ConfigError(f"{path}: no such configuration file")

    values: dict[str, dict[str, Any]] = {}
    for section, value in raw.items():
        if section not in SCHEMA:
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(SCHEMA)})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{section}] must be a table of keys")
        for key in value:
            if key not in SCHEMA[section]:
                raise ConfigError(
                    f"{path}: [{section}] {key}: unknown key (known: {', '.join(SCHEMA[section])})"
                )
    from_env = set()
    for section, keys in SCHEMA.items():
        values[section] = {}
        for key, (kind, default) in keys.items():
            env_name = f"BOTTEGA_{section.upper()}_{key.upper()}"
            if env_name in environ:
                value = _parse_env(env_name, environ[env_name], kind)
                from_env.add(f"{section}.{key}")
                where = env_name
            else:
                value = raw.get(section, {}).get(key, default)
                where = f"{path}: [{section}] {key}"
            values[section][key] = _check(where, section, key, value, kind)
            if (section, key) == ("database", "url") and check_database_url:
                _check_database_url(where, value)
    return Config(path=path, values=values, from_env=frozenset(from_env))


def _parse_env(name: str, text: str, kind: type) -> Any:
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{name}: expected an integer, got {text!r}") from None
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{name}: expected true or false, got {text!r}")
    if kind is list:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _check(where: str, section: str, key: str, value: Any, kind: type) -> Any:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is list and ok:
        ok = all(isinstance(item, str) for item in value)
    if not ok:
        raise ConfigError(f"{where}: expected {_TYPE_NAMES[kind]}, got {value!r}")
    choices = CHOICES.get((section, key))
    if choices and value not in choices:
        raise ConfigError(f"{where}: must be one of {', '.join(choices)}, got {value!r}")
    if kind is int:
        _check_range(where, value, *INT_RANGES.get((section, key), (0, None)))
    if (section, key) == ("server", "ratelimit_storage") and value != "database" and (
            value.partition("://")[0] not in RATELIMIT_SCHEMES or "://" not in value):
        raise ConfigError(f'{where}: expected "database", "memory://" or a redis:// URL, got {value!r}')
    if kind is list:
        duplicated = sorted({v for v in value if value.count(v) > 1})
        if duplicated:
            raise ConfigError(f"{where}: listed twice: {', '.join(duplicated)}")
    return list(value) if kind is list else value


def check_database_url(config: Config) -> None:
    """The check of ``[database] url`` that ``load_config(..., check_database_url=False)`` left out."""
    where = ("BOTTEGA_DATABASE_URL" if "database.url" in config.from_env
             else f"{config.path}: [database] url")
    _check_database_url(where, config.database_url)


def _check_database_url(where: str, value: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"{where}: not a database URL: {value!r}") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"{where}: only sqlite and postgresql databases are supported, got {value!r}")
    _check_driver(where, url)


def _check_range(where: str, value: int, lowest: int, highest: int | None) -> None:
    if highest is not None and not lowest <= value <= highest:
        raise ConfigError(f"{where}: must be between {lowest} and {highest}, got {value}")
    if value < lowest:
        raise ConfigError(f"{where}: must be at least {lowest}, got {value}")


def _check_driver(where: str, url) -> None:
    """The URL's driver must be importable and synchronous (Bottega does not use asyncio drivers)."""
    name = url.drivername
    try:
        dialect = url.get_dialect()
    except Exception:
        raise ConfigError(f"{where}: unknown database driver {name!r} (use sqlite or postgresql+psycopg)") from None
    if getattr(dialect, "is_async", False):
        raise ConfigError(f"{where}: {name} is an asyncio driver, which Bottega does not use "
                          "(use postgresql+psycopg)")
    try:
        dialect.import_dbapi()
    except Exception as exc:
        raise ConfigError(
            f"{where}: the driver of {name} cannot be loaded ({type(exc).__name__}: {exc}); install it, or use "
            "postgresql+psycopg"
        ) from None


class EnabledAddonsWrite:
    """A new ``[addons] enabled`` for the config file, staged beside it and put in place by :meth:`commit`.

    Made before the database is changed, so that a file that cannot be
    written stops the command while nothing has happened yet. The staged
    file's name carries the process id, so that the next write removes one
    left by a process that was killed (:func:`remove_orphaned_staged_files`). Only the
    addons added or removed are changed in the file's own list: when
    ``BOTTEGA_ADDONS_ENABLED`` overrides it, the environment's list is not
    copied into the file.
    """

    def __init__(self, config: Config, names=None, *, add=(), remove=()):
        self.path = config.path
        previous = set(config.enabled_addons)
        add, remove = set(add), set(remove)
        if names is not None:
            add |= set(names) - previous
            remove |= previous - set(names)
        add -= remove
        # what changes in the list in effect (the environment's, when it overrides the file's)
        self.added, self.removed = sorted(add - previous), sorted(remove & previous)
        self.overridden = "addons.enabled" in config.from_env
        self._created: list[Path] = []
        self._staged: Path | None = None
        document = self._read()
        own = self._own_list(document)
        self.before = sorted(own)
        self.enabled = sorted((set(own) | add) - remove)
        if "addons" not in document:
            document["addons"] = tomlkit.table()
        array = tomlkit.array()
        array.extend(self.enabled)
        document["addons"]["enabled"] = array
        self.text = tomlkit.dumps(document)
        self.changed = self.enabled != own or not self.path.exists()
        if self.changed:
            self._stage()

    def _read(self):
        if not self.path.exists():
            return tomlkit.document()
        try:
            return tomlkit.parse(self.path.read_text(encoding="utf-8"))
        except Exception as exc:
            raise ConfigError(f"{self.path}: cannot read it to update [addons] enabled: {exc}") from None

    def _own_list(self, document) -> list[str]:
        return _enabled_of(document, self.path)

    def _stage(self) -> None:
        path = self.path
        try:
            if path.exists():
                if not path.is_file():
                    raise OSError(f"{path} is not a file")
                if not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR:
                    raise OSError("the file is read-only")
            missing = [folder for folder in [path.parent, *path.parent.parents] if not folder.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                self._created.append(folder)
            remove_orphaned_staged_files(path)
            descriptor, staged = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                                  suffix=".tmp")
            self._staged = Path(staged)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(self.text)
            if path.exists():
                os.chmod(staged, stat.S_IMODE(path.stat().st_mode))
        except OSError as exc:
            self.discard()
            reason = exc.strerror or str(exc)
            raise ConfigError(
                f"{path}: cannot be written ({reason}), so [addons] enabled could not be kept in step; "
                "nothing was changed"
            ) from None

    def commit(self) -> None:
        """Put the new file in place; the database has already changed, so say what to write if it fails."""
        if not self.changed:
            return
        try:
            os.replace(self._staged, self.path)
            self._staged, self._created = None, []
        except OSError as exc:
            self.discard()
            raise ConfigError(
                f"the database was changed, but {self.path} could not be written ({exc.strerror or exc}): "
                f"set enabled = {_toml_list(self.enabled)} under [addons] in it by hand"
            ) from None

    def discard(self) -> None:
        """Forget the staged file (the command stopped before changing the database)."""
        if self._staged is not None:
            self._staged.unlink(missing_ok=True)
            self._staged = None
        for folder in reversed(self._created):
            try:
                folder.rmdir()
            except OSError:
                pass
        self._created = []


def _enabled_of(document, path: Path) -> list[str]:
    value = document.get("addons", {}).get("enabled", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [addons] enabled: expected {_TYPE_NAMES[list]}, got {value!r}")
    return [str(v) for v in value]


def enabled_in_file(config: Config) -> list[str]:
    """The file's own ``[addons] enabled``, whatever ``BOTTEGA_ADDONS_ENABLED`` says."""
    if not config.path.exists():
        return []
    try:
        return _enabled_of(tomllib.loads(config.path.read_text(encoding="utf-8")), config.path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{config.path}: cannot read: {exc}") from None


def remove_orphaned_staged_files(path: Path) -> None:
    """Remove the files staged beside ``path`` by processes that are gone (killed before commit or discard).

    A staged file is named ``.<file name>.<process id>.<random>.tmp``; a file
    whose process still runs belongs to a command under way and is kept.
    """
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[^.]+\.tmp$")
    for candidate in path.parent.glob(f".{path.name}.*.tmp"):
        found = pattern.match(candidate.name)
        if found and candidate.is_file() and not _process_exists(int(found.group(1))):
            candidate.unlink(missing_ok=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _toml_list(names) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


def write_enabled_addons(config: Config, names=None, *, add=(), remove=()) -> list[str]:
    """Change ``[addons] enabled`` in the config file; return the file's new list.

    Either ``names``, the new list in effect (``config.enabled_addons`` after
    the change), or ``add`` / ``remove``. Only the addons added or removed
    change in the file's own list, which differs from ``config.enabled_addons``
    when ``BOTTEGA_ADDONS_ENABLED`` overrides it; comments and other keys stay
    as written. To fail before changing the database, use
    :class:`EnabledAddonsWrite` (stage first, commit after).
    """
    write = EnabledAddonsWrite(config, names, add=add, remove=remove)
    write.commit()
    return write.enabled
