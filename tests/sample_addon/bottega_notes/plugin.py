import click
from sqlalchemy import func, select

from core import Group, MenuItem, ModelAccess, hookimpl

from .models import Note

USER = "notes.group_user"


@hookimpl
def register_models():
    return (Note,)


@hookimpl
def register_groups():
    return (Group(USER, "Notes: user", implies=("contacts.group_user",), for_admin=True),)


@hookimpl
def register_model_access():
    return (ModelAccess(Note, USER, read=True, create=True, write=True, delete=True),)


@hookimpl
def register_menu_items():
    return (MenuItem(id="notes.notes", label="Notes", parent="contacts.root", endpoint="notes.note_list",
                     model=Note, sequence=50),)


@hookimpl
def register_views():
    from core.web.views import ModelView

    return (ModelView(Note, name="note", slug="notes", label="Note", label_plural="Notes",
                      list_columns=("partner", "body", "created_at"), search_fields=("body",),
                      form_fields=("partner_id", "body"), default_order="created_at"),)


@hookimpl
def register_commands(cli):
    @cli.group()
    def notes():
        """Partner notes."""

    @notes.command()
    @click.pass_obj
    def count(state):
        """How many notes are stored."""
        with state.engine().connect() as connection:
            click.echo(connection.execute(select(func.count()).select_from(Note)).scalar_one())
