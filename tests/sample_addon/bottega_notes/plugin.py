import click
from flask import Blueprint, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from addons.contacts.models import Partner
from core import Group, MenuItem, ModelAccess, hookimpl
from core.fields import Extension
from core.sessions import system_rows
from core.web.context import db

from .models import Note, PartnerNotes

USER = "notes.group_user"
pages = Blueprint("notes", __name__)  # the addon's one blueprint, mounted at /notes


@pages.route("/latest")
def latest():
    return render_template("notes/latest.html", notes=db().scalars(select(Note).order_by(Note.id.desc()).limit(20)))


@hookimpl
def register_models():
    return (Note, PartnerNotes)


@hookimpl
def register_groups():
    return (Group(USER, "Notes: user", implies=("contacts.group_user",), for_admin=True),)


@hookimpl
def register_model_access():
    return (ModelAccess(Note, USER, read=True, create=True, write=True, delete=True),
            ModelAccess(PartnerNotes, "contacts.group_user", read=True, create=True, write=True))


@hookimpl
def register_extensions():
    return (Extension(Partner, PartnerNotes),)


@hookimpl
def register_menu_items():
    return (MenuItem(id="notes.notes", label=_l("Notes"), parent="contacts.root", endpoint="notes.note_list",
                     model=Note, sequence=50),
            MenuItem(id="notes.latest", label=_l("Latest notes"), parent="contacts.root",
                     endpoint="notes.latest", model=Note, sequence=51))


@hookimpl
def register_views():
    from core.web.views import ModelView

    return (ModelView(Note, name="note", slug="notes", label=_l("Note"), label_plural=_l("Notes"),
                      list_columns=("partner_id", "body", "created_at"), search_fields=("body",),
                      default_order="created_at"),)


@hookimpl
def register_blueprints():
    return (pages,)


@hookimpl
def partners_merged(session, source, target):
    with system_rows(session) as system:  # whoever merges, even without access to notes, leaves this one
        system.add(Note(partner_id=target.id, company_id=target.company_id,
                        body=gettext("Merged with %(name)s.", name=source.name)))


@hookimpl
def register_commands(cli):
    @cli.command("notes")
    @click.pass_obj
    def count(state):
        """How many notes are stored."""
        with state.engine().connect() as connection:
            click.echo(connection.scalar(select(func.count()).select_from(Note)))
