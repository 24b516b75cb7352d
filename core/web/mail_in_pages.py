"""Settings → *Mail aliases* (the addresses mail is received at) and *Received mail* (what became of each message).

Both are generic views: an alias's target is chosen among what the
installed addons offer (``mail_alias_targets``); received mail is written by
:mod:`core.mail_in` only, so administrators read it and nobody edits it.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from core.mail_in.aliases import check_alias
from core.mail_in.models import MailAlias, ReceivedMail
from core.mail_in.targets import alias_targets
from core.stored_text import shown

from .context import current_registry
from .forms import select_choices
from .views import ModelView


class MailAliasView(ModelView):
    """Aliases: the target is a list of what the installed addons offer."""

    importable = False

    def form_class(self, session, record=None):
        base = super().form_class(session, record)
        choices = [(key, str(target.label)) for key, target in sorted(alias_targets(current_registry()).items())]
        target = SelectField(_l("Creates"), [InputRequired()], choices=select_choices(choices),
                             description=_l("What a message to this address creates."))
        return type("MailAliasForm", (base,), {"target": target})

    def display(self, record, field: str) -> str:
        if field == "target":
            target = alias_targets(current_registry()).get(record.target)
            return str(target.label) if target else record.target
        return super().display(record, field)

    def save(self, session, actor, record, values: dict):
        return super().save(session, actor, record, check_alias(current_registry(), values))


class ReceivedMailView(ModelView):
    importable = False

    def display(self, record, field: str) -> str:
        if field == "reasons":  # sentences kept untranslated, shown in the reader's language
            return shown(record.reasons)
        return super().display(record, field)


def mail_in_views() -> tuple[ModelView, ...]:
    return (
        MailAliasView(MailAlias, name="mail_alias", slug="mail-aliases", label=_l("Mail alias"),
                      label_plural=_l("Mail aliases"), search_fields=("local_part", "domain"),
                      list_columns=("local_part", "domain", "target", "active"),
                      form_fields=("local_part", "domain", "target", "active")),
        ReceivedMailView(ReceivedMail, name="received_mail", slug="received-mail", label=_l("Received mail"),
                         label_plural=_l("Received mail"), search_fields=("sender", "subject", "message_id"),
                         list_columns=("received_at", "sender", "recipients", "subject", "outcome", "reasons"),
                         default_order="received_at"),
    )
