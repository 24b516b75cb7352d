"""An LMTP listener (aiosmtpd) in front of :class:`~core.mail_in.receiver.Receiver`: one reply per recipient.

LMTP (RFC 2033) is SMTP for the last hop: after the message, the server
answers once for each accepted recipient, so Postfix knows which addresses
were delivered, which bounce and which to try again. Recipients are taken
at RCPT and judged with the message, since a reply to an address that is no
alias still threads into its record. The database work runs in a thread, off
the event loop.
"""
from __future__ import annotations

import asyncio

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP

from .receiver import Receiver


class DeliveryHandler:
    """aiosmtpd handler: each recipient of a message is delivered (or refused) on its own."""

    def __init__(self, receiver: Receiver):
        self.receiver = receiver

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or b""
        replies = []
        for recipient in envelope.rcpt_tos:
            outcome = await asyncio.get_running_loop().run_in_executor(
                None, self.receiver.receive, raw, (recipient,))
            replies.append(" ".join(outcome.lmtp_reply.split()))
        return "\r\n".join(replies)


class LMTPController(Controller):
    """aiosmtpd's threaded controller serving LMTP instead of SMTP."""

    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


def lmtp_controller(receiver: Receiver, host: str, port: int) -> LMTPController:
    """A listener on ``host``:``port`` (not started); messages larger than the receiver's limit get 552."""
    return LMTPController(DeliveryHandler(receiver), hostname=host, port=port,
                          data_size_limit=receiver.max_bytes, decode_data=False)
