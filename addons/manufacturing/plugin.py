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


@hookimpl
def stock_kit_components(session, product_ids, date):
    from core.sessions import system_rows

    from .services.kits import kit_components

    with system_rows(session) as system:  # a stock clerk delivers kits without the right to read bills
        return kit_components(system, product_ids, on=date)
