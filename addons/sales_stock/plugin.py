"""sales_stock: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_extensions():
    from addons.sales.models import SaleOrder, SaleOrderLine
    from core.fields import Extension

    from .models import SaleLineWarehouse, SaleWarehouse

    return (Extension(SaleOrder, SaleWarehouse), Extension(SaleOrderLine, SaleLineWarehouse))


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl(tryfirst=True)
def sales_line_cost(session, order, line):
    """Stock's valuation is the best cost there is: asked before the supplier's price (sales_purchase)."""
    from .costs import stock_cost

    return stock_cost(session, order, line)


@hookimpl
def sales_line_notes(session, order):
    from .availability import availability_notes

    return availability_notes(session, order)


@hookimpl
def sales_orders_changed(session, orders, deleting):
    from .deliveries import orders_changed

    orders_changed(session, orders, deleting)


@hookimpl
def sales_order_cancelling(session, order):
    from .deliveries import order_cancelling

    return order_cancelling(session, order)


@hookimpl
def sales_delivery_source(session, line):
    from .deliveries import delivery_source

    return delivery_source(line)


@hookimpl
def stock_moves_done(session, move_ids):
    from .deliveries import moves_done

    moves_done(session, move_ids)


@hookimpl
def record_panels(session, actor, record):
    from .panels import panels

    return panels(session, actor, record)
