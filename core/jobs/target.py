"""Which queue this process sends its jobs to, chosen without loading huey or the models.

The one given to :func:`use_queue`, else the queue of the configuration given
to :func:`configure` (the commands and scripts give the one they read), else
the one the configuration file describes. A session carrying its own queue
(those of a running job do) uses that one instead (:func:`core.jobs.sending.queue_for`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from core.config import Config, load_config

if TYPE_CHECKING:
    from .queue import JobQueue

_configured: Config | None = None
_override: JobQueue | None = None


def configure(config: Config | None) -> None:
    """Send this process's jobs to the queue of ``config`` (the CLI does it with the configuration it read)."""
    global _configured
    _configured = config


@contextmanager
def use_queue(queue: JobQueue) -> Iterator[JobQueue]:
    """Send this process's jobs to ``queue`` for the duration of the block (tests, embedding)."""
    global _override
    previous, _override = _override, queue
    try:
        yield queue
    finally:
        _override = previous


def default_queue() -> JobQueue:
    if _override is not None:
        return _override
    from .queue import queue_for_config

    return queue_for_config(_configured or load_config())
