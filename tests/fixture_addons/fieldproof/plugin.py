from core import ModelAccess, hookimpl
from core.web.views import ModelView

from .models import Item


@hookimpl
def register_models():
    return (Item,)


@hookimpl
def register_model_access():
    return (ModelAccess(Item, "core.group_user", read=True, create=True, write=True, delete=True),)


@hookimpl
def register_views():
    return (ModelView(Item, name="item", slug="items", label="Item", label_plural="Items"),)
