"""The core's daily security housekeeping job ``core.security_housekeeping``."""
from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import delete

from core.models import RateLimitCounter

from . import credentials
from .events import purge_events


def security_housekeeping(context) -> dict[str, int]:
    """Forget security events past ``[security] log_retention_days`` (0 keeps them all), ended or idle
    login sessions, and rate-limit counters whose window is over; return how many of each."""
    settings = context.config.values["security"]
    idle = dt.timedelta(minutes=settings["session_idle_minutes"]) or None
    with context.session() as session:
        done = {
            "events": purge_events(session, settings["log_retention_days"]) if settings["log_retention_days"] else 0,
            "sessions": credentials.close_stale_login_sessions(session, idle),
            "counters": session.execute(
                delete(RateLimitCounter).where(RateLimitCounter.expires_at <= time.time())).rowcount,
        }
        session.commit()
    return done
