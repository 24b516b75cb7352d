"""Columns encrypted at rest (:class:`Encrypted`), and the checks and rotation of their stored values.

The keys are :mod:`core.encryption`'s.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from cryptography.fernet import InvalidToken
from sqlalchemy import Numeric, Text, select, type_coerce, update
from sqlalchemy.types import TypeDecorator

from core.encryption import decrypt, keyring, where_configured
from core.errors import ConfigError

ROTATE_BATCH = 500


class Encrypted(TypeDecorator):
    """A value stored as a Fernet token (text); ``plain_type`` is the type of the value itself.

    ``keys_once_used``: the keys are demanded once the column holds a value, not as soon as it is installed
    (a core feature few installations use, such as a webhook's signing secret, must not make every installation
    configure a key: storing the first value without one is refused with the same message).
    """

    impl = Text
    cache_ok = True

    def __init__(self, plain_type, *, keys_once_used: bool = False):
        super().__init__()
        self.plain_type = plain_type
        self.keys_once_used = keys_once_used

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(str(value).encode("utf-8")).decode("ascii")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        text = decrypt(value)
        return Decimal(text) if isinstance(self.plain_type, Numeric) else text


def is_encrypted(column) -> bool:
    """Whether ``column`` holds tokens: SQL can neither compare, group, sort nor sum its values."""
    return isinstance(getattr(column, "type", None), Encrypted)


def encrypted_columns(models: Iterable[type]) -> list:
    """The encrypted columns of ``models``' tables."""
    return [column for model in models for column in model.__table__.columns if is_encrypted(column)]


def _stored(value):
    """``value`` (a column or a token) as the stored text, neither decrypted nor encrypted again."""
    return type_coerce(value, Text)


def check_keys(connection, models: Iterable[type]) -> None:
    """Refuse to go on when ``models`` have encrypted columns and the keys are missing or do not decrypt them
    (a column whose keys are demanded once used: only when it holds a value)."""
    columns = encrypted_columns(models)
    if any(not column.type.keys_once_used for column in columns):
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
                    raise ConfigError(f"{where_configured()}: no key decrypts {table.name}.{column.name} of row "
                                      f"{row_id}; nothing was re-encrypted") from None
                connection.execute(update(table).where(key == row_id).values({column.name: _stored(fresh)}))
                count += 1
            last = rows[-1][0]
    return count
