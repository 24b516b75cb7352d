"""Columns encrypted at rest, with keys from the configuration.

A model declares a sensitive column as ``mapped_column(Encrypted(String(34)))``:
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
from decimal import Decimal

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Numeric, Text, select, type_coerce, update
from sqlalchemy.types import TypeDecorator

from core.errors import ConfigError

SETTING = "[security] encryption_keys"
ENV_NAME = "BOTTEGA_SECURITY_ENCRYPTION_KEYS"
ROTATE_BATCH = 500

_keys: MultiFernet | None = None
_where = SETTING


class Encrypted(TypeDecorator):
    """A value stored as a Fernet token (text); ``plain_type`` is the type of the value itself."""

    impl = Text
    cache_ok = True

    def __init__(self, plain_type):
        super().__init__()
        self.plain_type = plain_type

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(str(value).encode("utf-8")).decode("ascii")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        text = decrypt(value)
        return Decimal(text) if isinstance(self.plain_type, Numeric) else text


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


def encrypted_columns(models: Iterable[type]) -> list:
    """The encrypted columns of ``models``' tables."""
    return [column for model in models for column in model.__table__.columns if isinstance(column.type, Encrypted)]


def _stored(value):
    """``value`` (a column or a token) as the stored text, neither decrypted nor encrypted again."""
    return type_coerce(value, Text)


def check_keys(connection, models: Iterable[type]) -> None:
    """Refuse to go on when ``models`` have encrypted columns and the keys are missing or do not decrypt them."""
    columns = encrypted_columns(models)
    if not columns:
        return
    keyring()
    for column in columns:
        token = connection.execute(select(_stored(column)).where(column.isnot(None)).limit(1)).scalar()
        if token is not None:
            try:
                decrypt(token)
            except ConfigError as error:
                raise ConfigError(f"{error} (checked on {column.table.name}.{column.name})") from None


def rotate(connection, models: Iterable[type]) -> int:
    """Re-encrypt every encrypted value of ``models`` with the first key; the number of values rewritten."""
    keys = keyring()
    count = 0
    for column in encrypted_columns(models):
        table = column.table
        key = next(iter(table.primary_key.columns))
        last = None
        while True:
            query = select(key, _stored(column)).where(column.isnot(None)).order_by(key).limit(ROTATE_BATCH)
            rows = connection.execute(query if last is None else query.where(key > last)).all()
            if not rows:
                break
            for row_id, token in rows:
                try:
                    fresh = keys.rotate(token.encode("ascii")).decode("ascii")
                except InvalidToken:
                    raise ConfigError(f"{_where}: no key decrypts {table.name}.{column.name} of row {row_id}; "
                                      "nothing was re-encrypted") from None
                connection.execute(update(table).where(key == row_id).values({column.name: _stored(fresh)}))
                count += 1
            last = rows[-1][0]
    return count
