"""sales_stock: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl(tryfirst=True)
def sales_line_cost(session, order, line):
    """Stock's valuation is the best cost there is: asked before the supplier's price (sales_purchase)."""
    from .costs import stock_cost

    return stock_cost(session, order, line)


@hookimpl
def sales_line_notes(session, order):
    from .availability import availability_notes

    return availability_notes(session, order)
