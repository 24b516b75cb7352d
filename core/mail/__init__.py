"""Outgoing mail through SMTP, with an outbox (``core_mail``) so nothing is lost.

:func:`queue_mail` checks the addresses, writes the mail in the caller's
transaction and enqueues the core job ``core.send_mail``; the worker sends
it with ``[mail] smtp_host``/``smtp_port`` (STARTTLS and login when
configured), from ``[mail] from_address``. A refused recipient, a server that
is down or that drops the connection is recorded on the mail (``reason``,
``attempts``) and the queue tries again, ``[mail] retries`` times,
``[mail] retry_delay`` seconds apart; after the last attempt the mail is
*failed* with the reason, and an administrator can send it again from
*Settings → Outbox* (:func:`requeue_mail`).

The outbox records that the server accepted a mail (*sent*, committed)
before its job is done, and a job that runs again (a retry, a job given back
by a stopping worker or taken back after its timeout) sends nothing that is
already *sent*. So a mail goes out once, unless the worker dies in the
instant between the server's acceptance and that commit: delivery is at
least once, and a mail sent again keeps its Message-ID.

The package is split so that a worker can declare the mail job and apply
``[mail]`` to it (:mod:`core.mail.job`) without importing the outbox, its
models and Flask-Babel (:mod:`core.mail.outbox`). Each name is imported on
first use (:mod:`core.lazy`).
"""
from core.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("SEND_MAIL", "SEND_MAIL_JOB", "SMTP_EXCHANGES", "job_settings"), ".job"),
    **dict.fromkeys(("FAILED", "MAIL_STATES", "QUEUED", "SENT", "Mail"), "core.models.mail"),
    **dict.fromkeys(("Attachment", "MailNotSent", "deliver", "new_message_id", "parse_recipients", "queue_mail",
                     "recipients_or", "requeue_mail", "send_mail_job"), ".outbox"),
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
