"""Checking a mail alias before it is saved: a plain address part, a domain, a target an addon offers."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from core.errors import ValidationError

from .targets import alias_targets

_LOCAL = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")
_DOMAIN = re.compile(r"(?=.{1,255}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")


def check_alias(registry, values: dict) -> dict:
    """``values`` of an alias's form with the address in lower case; ValidationError naming the wrong field.

    The name has no ``+`` (``sales+anything@`` reaches ``sales@``), and the
    target is one an installed addon offers now.
    """
    values = dict(values)
    if "local_part" in values:
        local = str(values["local_part"] or "").strip().lower()
        if not _LOCAL.fullmatch(local):
            raise ValidationError(_l("Write the part before the @ with letters, digits, dots, dashes or "
                                     "underscores, e.g. sales."), "local_part")
        values["local_part"] = local
    if "domain" in values:
        domain = str(values["domain"] or "").strip().lower().lstrip("@")
        if not _DOMAIN.fullmatch(domain):
            raise ValidationError(_l("Write a domain such as example.com."), "domain")
        values["domain"] = domain
    if "target" in values and values["target"] not in alias_targets(registry):
        raise ValidationError(_l("Choose what the alias creates among what the installed addons offer."), "target")
    return values
