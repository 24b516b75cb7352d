"""sales_purchase: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_extensions():
    from addons.products.models import Product
    from core.fields import Extension

    from .models import ProductBuyToOrder

    return (Extension(Product, ProductBuyToOrder),)


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def sales_line_cost(session, order, line):
    """Asked after stock's valuation (sales_stock's answer is tried first)."""
    from .costs import supplier_cost

    return supplier_cost(session, order, line)


@hookimpl
def sales_orders_changed(session, orders, deleting):
    from .buying import orders_changed

    orders_changed(session, orders, deleting)


@hookimpl
def sales_order_cancelling(session, order):
    from .buying import order_cancelling

    return order_cancelling(session, order)


@hookimpl
def sales_line_notes(session, order):
    from .notes import line_notes

    return line_notes(session, order)


@hookimpl
def record_panels(session, actor, record):
    from .notes import panels

    return panels(session, actor, record)


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
