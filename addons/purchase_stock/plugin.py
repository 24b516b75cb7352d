"""purchase_stock: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_extensions():
    from addons.purchase.models import PurchaseOrder
    from core.fields import Extension

    from .models import OrderDelivery

    return (Extension(PurchaseOrder, OrderDelivery),)


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def purchase_order_confirmed(session, order):
    from .services import create_receipt

    create_receipt(session, order)


@hookimpl
def purchase_order_cancelled(session, order):
    from .services import cancel_receipts

    cancel_receipts(session, order)


@hookimpl
def stock_moves_done(session, move_ids):
    from .services import moves_done

    moves_done(session, move_ids)


@hookimpl
def replenishment_proposed(session, lines):
    from .services import order_replenishment

    return order_replenishment(session, lines)


@hookimpl
def record_panels(session, actor, record):
    from .panels import panels

    return panels(session, actor, record)
