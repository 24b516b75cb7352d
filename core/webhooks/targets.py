"""Which URLs a subscription may target: http(s), and not the server's own networks unless configured.

A target that resolves to a loopback, private, link-local, reserved or
multicast address is refused (a subscriber must not make the server call an
internal service: server-side request forgery), unless ``[webhooks]
allow_private_targets`` is true. The address is checked when a subscription
is saved and again before each attempt (a name may resolve elsewhere later).
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from core.errors import ValidationError

SCHEMES = ("http", "https")


def check_target(url: str, *, allow_private: bool) -> str:
    """``url`` stripped, or a ValidationError (field ``url``) saying what is wrong with it."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_l("This is not a URL."), "url") from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValidationError(_l("The target must be an http:// or https:// URL with a host name."), "url")
    if parts.username or parts.password:
        raise ValidationError(_l("Put no user name or password in the URL: deliveries are signed instead."), "url")
    if not allow_private:
        private = private_addresses(parts.hostname, port or (443 if parts.scheme == "https" else 80))
        if private is None:
            raise ValidationError(_l("The host %(host)s cannot be found.", host=parts.hostname), "url")
        if private:
            raise ValidationError(_l("The host %(host)s is on a private or local address (%(address)s): such "
                                     "targets are refused unless [webhooks] allow_private_targets is true.",
                                     host=parts.hostname, address=private[0]), "url")
    return url


def private_addresses(host: str, port: int) -> list[str] | None:
    """The addresses ``host`` resolves to that are not public; None when it does not resolve."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None
    addresses = {info[4][0] for info in found}
    return sorted(address for address in addresses if not ipaddress.ip_address(address.split("%")[0]).is_global)
