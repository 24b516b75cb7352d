"""The keys of columns encrypted at rest, from the configuration (the columns: :mod:`core.encrypted_columns`).

Every process reads its keys when it loads its configuration; this module imports no SQLAlchemy, so a worker
waiting for its first job stays light. A model declares a sensitive column as
``mapped_column(Encrypted(String(34)))`` (:class:`core.encrypted_columns.Encrypted`):
the database holds a Fernet token (AES-128-CBC with an HMAC, from the
``cryptography`` package) and Python sees the plain value, of the type given
(``String``, ``Numeric``...), which is also what the field layer checks.

The keys are ``[security] encryption_keys`` (or ``BOTTEGA_SECURITY_ENCRYPTION_KEYS``,
comma separated): the first encrypts, every one decrypts, so a new key is put
first, ``bottega keys rotate`` re-encrypts every value with it, and the old key
can then be removed. :func:`check_keys` runs when the installed addons' registry
is built: with encrypted columns installed and no key, or a key that does not
decrypt the stored values, the application refuses to start with a message
that says which, rather than fail later on one page or write values that the
old key cannot read.

Encrypted values cannot be searched or sorted in SQL (each token is random); the
audit log records that such a column changed but never its values
(:mod:`core.audit`).
"""
from __future__ import annotations

from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.errors import ConfigError

SETTING = "[security] encryption_keys"
ENV_NAME = "BOTTEGA_SECURITY_ENCRYPTION_KEYS"

_keys: MultiFernet | None = None
_where = SETTING


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def configure(config) -> None:
    """Use the keys of ``config`` in this process (each key checked: a wrong one is a ConfigError naming it)."""
    keys = config.get("security", "encryption_keys")
    where = ENV_NAME if "security.encryption_keys" in config.from_env else f"{config.path}: {SETTING}"
    use_keys(keys, where)


def use_keys(keys: Iterable[str], where: str = SETTING) -> None:
    global _keys, _where
    fernets = []
    for number, key in enumerate(keys, 1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise ConfigError(f"{where}: key {number} is not a key: a key is 32 bytes in URL-safe base64, as "
                              "`bottega keys generate` prints") from None
    _keys = MultiFernet(fernets) if fernets else None
    _where = where


def where_configured() -> str:
    """Where this process's keys come from, for messages (the file and setting, or the variable)."""
    return _where


def keyring() -> MultiFernet:
    if _keys is None:
        raise ConfigError(f"{_where} is empty, but the installed addons keep encrypted fields: set a key "
                          "(`bottega keys generate` prints a new one)")
    return _keys


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise ConfigError(f"{_where}: no key decrypts the stored values: the key is wrong, or the key that "
                          "encrypted them was removed (keep it after the new one until `bottega keys rotate` ran)"
                          ) from None
