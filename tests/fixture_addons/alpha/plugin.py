from core import Group, MenuItem, ModelAccess, RecordRule, hookimpl

from .models import AlphaItem

USER, MANAGER = "alpha.group_user", "alpha.group_manager"


@hookimpl
def register_models():
    return (AlphaItem,)


@hookimpl
def register_groups():
    return (Group(USER, "Alpha user"), Group(MANAGER, "Alpha manager", implies=(USER,)))


@hookimpl
def register_model_access():
    return (ModelAccess(AlphaItem, USER, read=True, create=True, write=True, delete=True),)


@hookimpl
def register_record_rules():
    return (
        RecordRule(AlphaItem, "own items", lambda actor: AlphaItem.user_id == actor.user_id, groups=(USER,)),
        RecordRule(AlphaItem, "all items", lambda actor: AlphaItem.id.is_not(None), groups=(MANAGER,)),
    )


@hookimpl
def register_menu_items():
    return (
        MenuItem(id="alpha.root", label="Alpha", sequence=5),
        MenuItem(id="alpha.items", label="Items", parent="alpha.root", endpoint="alpha.items", model=AlphaItem),
        MenuItem(id="alpha.settings", label="Alpha settings", parent="alpha.root", endpoint="alpha.settings",
                 group=MANAGER, sequence=20),
    )
