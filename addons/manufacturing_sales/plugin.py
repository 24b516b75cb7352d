"""manufacturing_sales: its hook; manufacturing asks for demands through the core's ``manufacturing_demands``
hook, so that it plans without sales, and sales knows nothing of planning."""
from core import hookimpl


@hookimpl
def manufacturing_demands(session, company_id):
    from core.sessions import system_rows

    from .demands import open_sales_demands

    with system_rows(session) as system:  # a planner plans for the orders without the right to read them
        return open_sales_demands(system, company_id)
