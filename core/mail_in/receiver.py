"""Incoming mail for one installation, as ``bottega mail receive`` and ``bottega mail lmtp`` use it.

A mail server acts on the exit status of the command it pipes a message to
(``sysexits.h``): 0 delivered, 65 the message is refused for its content,
67 the address is unknown (both bounce), 75 try again later (the database is
unreachable, or anything unforeseen: the message stays in the server's
queue rather than being lost). The LMTP listener answers each recipient with
the matching SMTP code.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from core.chatter.storage import AttachmentStore
from core.config import Config
from core.errors import BottegaError, ConfigError, DatabaseError

from .parsing import UnreadableMail
from .receive import Delivery, MessageRefused, UnknownRecipient, deliver

EX_OK, EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 0, 65, 67, 75
#: exit status -> LMTP reply for one recipient
LMTP_REPLIES = {EX_OK: "250 2.0.0", EX_DATAERR: "554 5.6.0", EX_NOUSER: "550 5.1.1", EX_TEMPFAIL: "451 4.3.0"}


class MessageTooLarge(BottegaError):
    """The message is larger than ``[mail] incoming_max_mb``."""


@dataclass(frozen=True)
class Outcome:
    """What to tell the mail server: an exit status (see the module) and one line saying why."""

    status: int
    reason: str

    @property
    def lmtp_reply(self) -> str:
        return f"{LMTP_REPLIES[self.status]} {self.reason}"


class Receiver:
    """Receives messages into the database of ``config`` (engine and registry opened on first use)."""

    def __init__(self, config: Config, catalog):
        self.config = config
        self.catalog = catalog
        self.store = AttachmentStore.of(config)
        self.max_bytes = config.get("mail", "incoming_max_mb") * 1024 * 1024
        self._open = None
        self._engine = None

    def _session_opener(self):
        if self._open is None:
            from core.lifecycle import Lifecycle
            from core.lifecycle.database import open_engine
            from core.security import actor_session
            from core.sessions import make_session_factory

            self._engine = open_engine(self.config.database_url)
            registry = Lifecycle(self._engine, self.catalog).registry()
            factory = make_session_factory(self._engine)
            self._open = lambda: actor_session(factory, registry, None)
        return self._open

    def read(self, stream: BinaryIO) -> bytes:
        """The message on ``stream``, read no further than one byte past the limit (a pipe may give less at once)."""
        data = bytearray()
        while len(data) <= self.max_bytes:
            chunk = stream.read(self.max_bytes + 1 - len(data))
            if not chunk:
                break
            data += chunk
        self._check_size(data)
        return bytes(data)

    def _check_size(self, data: bytes) -> None:
        if len(data) > self.max_bytes:
            raise MessageTooLarge(_l("The message is larger than %(size)s MB, the most this server receives.",
                                     size=self.max_bytes // (1024 * 1024)))

    def receive(self, raw: bytes, recipients: Sequence[str] = ()) -> Outcome:
        """Deliver ``raw`` and say what happened, never raising: the caller answers the mail server with it."""
        try:
            self._check_size(raw)
            return Outcome(EX_OK, describe(deliver(self._session_opener(), self.store, raw, recipients)))
        except BaseException as error:  # the mail server gets one line, whatever happened
            return outcome_of(error)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def describe(delivery: Delivery) -> str:
    where = f"{delivery.res_model} {delivery.res_id}"
    said = {"created": f"created {where}", "threaded": f"added to {where}",
            "duplicate": f"already received ({where})"}[delivery.outcome]
    return said + (f"; {len(delivery.dropped)} attachment(s) not kept" if delivery.dropped else "")


def outcome_of(error: BaseException) -> Outcome:
    """The exit status and reason for a message that was not delivered."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, (UnreadableMail, MessageRefused, MessageTooLarge)):
        return Outcome(EX_DATAERR, str(error))
    if isinstance(error, UnknownRecipient):
        return Outcome(EX_NOUSER, str(error))
    if isinstance(error, DBAPIError):  # the driver's own message: no SQL, no parameters
        return Outcome(EX_TEMPFAIL, f"the database is unavailable: {_line(error.orig)}")
    if isinstance(error, (DatabaseError, ConfigError)):
        return Outcome(EX_TEMPFAIL, f"the database is unavailable: {_line(error)}")
    if isinstance(error, KeyboardInterrupt | SystemExit):
        raise error
    return Outcome(EX_TEMPFAIL, f"internal error ({type(error).__name__}: {_line(error)})")


def _line(error) -> str:
    lines = str(error).strip().splitlines()
    return " ".join(lines[0].split())[:300] if lines else type(error).__name__
