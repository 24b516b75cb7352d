"""The ``core.send_mail`` job: its declaration, and its retries and timeout from ``[mail]``.

Light on purpose: the worker reads it when it starts, and imports the
sending code (:func:`core.mail.outbox.send_mail_job`) with the first mail.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.jobs.declarations import DEFAULT_TIMEOUT, Job

if TYPE_CHECKING:
    from core.config import Config

SEND_MAIL = "core.send_mail"
#: A send talks to the SMTP server at most about this many times (connect, EHLO, STARTTLS, EHLO, AUTH,
#: MAIL, RCPT, DATA, the message, QUIT), each allowed ``[mail] timeout`` seconds.
SMTP_EXCHANGES = 10

SEND_MAIL_JOB = Job(SEND_MAIL, "core.mail.outbox:send_mail_job", retries=5, retry_delay=300)


def job_settings(config: Config) -> dict[str, int]:
    """The ``core.send_mail`` job's retries, retry delay and timeout, from ``[mail]``.

    Its timeout follows the SMTP timeout, so that a send still talking to a
    slow server is never taken for a lost one (and sent twice).
    """
    mail = config.values["mail"]
    return {"retries": mail["retries"], "retry_delay": mail["retry_delay"],
            "timeout": SMTP_EXCHANGES * mail["timeout"] if mail["timeout"] else DEFAULT_TIMEOUT}
