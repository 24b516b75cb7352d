"""sales_crm: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_extensions():
    from addons.sales.models import SaleOrder
    from core.fields import Extension

    from .models import QuoteOpportunity

    return (Extension(SaleOrder, QuoteOpportunity),)


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def sales_orders_changed(session, orders, deleting):
    from .services import orders_changed

    orders_changed(session, orders, deleting)


@hookimpl
def record_buttons(session, actor, record):
    from .web import quote_buttons

    return quote_buttons(session, actor, record)


@hookimpl
def record_panels(session, actor, record):
    from .panels import panels

    return panels(session, actor, record)


@hookimpl
def sales_dashboard_sections(session, actor, company_id, date_from, date_to, team_id):
    from .dashboard import sections

    return sections(session, actor, company_id, date_from, date_to, team_id)
