"""The time zones a user may choose: the IANA names the standard library knows (``Europe/Madrid``).

Times are stored in UTC; the pages show them in the user's own zone (``User.timezone``, UTC when unset).
"""
from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

#: the zone of a user who chose none
DEFAULT = "UTC"


@cache
def timezone_choices() -> tuple[tuple[str, str], ...]:
    """(name, name) pairs, sorted, for a field's ``choices``: the zones with a region (no "EST5EDT")."""
    return tuple((name, name.replace("_", " ")) for name in sorted(available_timezones())
                 if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")))
