"""Rate limits per API key (Flask-Limiter, on the counters every worker shares: :mod:`core.web.limiter`).

Each key may make ``[api] rate_limit`` requests (``BOTTEGA_API_RATE_LIMIT``, "600 per minute" by default);
past it a 429 problem says so, with ``Retry-After`` in seconds. Requests without a key are counted by address.
"""
from __future__ import annotations

import math
import time

from flask import current_app
from flask_limiter.util import get_remote_address

from core.web.limiter import limiter

from .auth import bearer_key

DEFAULT_LIMIT = "600 per minute"
CONFIG_KEY = "BOTTEGA_API_RATE_LIMIT"


def _limit() -> str:
    return current_app.config.get(CONFIG_KEY) or DEFAULT_LIMIT


def _key() -> str:
    """The key's public prefix (known before the key is checked), or the client's address without one."""
    raw = bearer_key()
    if raw and raw.startswith("btg_"):
        return "api|" + raw[4:].partition("_")[0][:16]
    return "api-anonymous|" + (get_remote_address() or "")


def retry_after() -> int:
    """Seconds until the limit just hit lets requests through again."""
    current = limiter.current_limit
    return max(1, math.ceil(current.reset_at - time.time())) if current is not None else 60


def limit(blueprint) -> None:
    limiter.limit(_limit, key_func=_key)(blueprint)
