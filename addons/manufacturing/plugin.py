"""Manufacturing: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS
