"""manufacturing_purchase: its hooks; manufacturing asks through the core's planning hooks, so that it plans
without purchase, and purchase knows nothing of planning."""
from core import hookimpl


@hookimpl
def manufacturing_sources(session, company_id, product_ids):
    from core.sessions import system_rows

    from .buying import sources

    with system_rows(session) as system:  # read for planning; buying itself needs the right to buy
        return sources(system, company_id, product_ids)


@hookimpl
def manufacturing_supply(session, company_id, product_ids):
    from core.sessions import system_rows

    from .buying import draft_supply

    with system_rows(session) as system:  # read for planning; buying itself needs the right to buy
        return draft_supply(system, company_id, product_ids)


@hookimpl
def manufacturing_buy(session, proposals):
    from .buying import buy

    return buy(session, proposals)
