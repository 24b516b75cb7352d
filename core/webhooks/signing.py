"""The ``Bottega-Signature`` header: ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>``.

Signing the time with the body lets a receiver refuse an old delivery played
again (a replay attack): it checks the signature, then that ``t`` is recent.
"""
from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Bottega-Signature"
TOLERANCE = 300  # seconds a receiver should accept between ``t`` and its own clock


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE,
                     now: float | None = None) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and its time is within ``tolerance`` seconds of ``now``."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))
