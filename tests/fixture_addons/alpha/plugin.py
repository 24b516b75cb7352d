from core import Group, MenuItem, ModelAccess, RecordRule, hookimpl
from core.errors import ValidationError
from core.web.views import ModelView

from .models import AlphaItem

USER, MANAGER = "alpha.group_user", "alpha.group_manager"


@hookimpl
def register_models():
    return (AlphaItem,)


@hookimpl
def register_groups():
    return (Group(USER, "Alpha user"), Group(MANAGER, "Alpha manager", implies=(USER,), for_admin=True))


@hookimpl
def register_model_access():
    return (ModelAccess(AlphaItem, USER, read=True, create=True, write=True, delete=True),)


@hookimpl
def register_record_rules():
    return (
        RecordRule(AlphaItem, "own items", lambda actor: AlphaItem.user_id == actor.user_id, groups=(USER,)),
        RecordRule(AlphaItem, "all items", lambda actor: AlphaItem.id.is_not(None), groups=(MANAGER,)),
    )


class ItemView(ModelView):
    """Only alpha managers may move an item to "done": a rule of the service, not of the view."""

    def update(self, session, actor, record, values):
        if values.get("stage") == "done" and not actor.in_group(MANAGER):
            raise ValidationError("Only an alpha manager may mark an item done.", "stage")
        return super().update(session, actor, record, values)


@hookimpl
def register_views():
    return (ItemView(AlphaItem, name="items", slug="items", label="Item", label_plural="Items",
                     list_columns=("name", "stage"), form_fields=("name", "stage"), stage_field="stage"),)


@hookimpl
def register_menu_items():
    return (
        MenuItem(id="alpha.root", label="Alpha", sequence=5),
        MenuItem(id="alpha.items", label="Items", parent="alpha.root", endpoint="alpha.items_list", model=AlphaItem),
        MenuItem(id="alpha.settings", label="Alpha settings", parent="alpha.root", endpoint="alpha.settings",
                 group=MANAGER, sequence=20),
    )
