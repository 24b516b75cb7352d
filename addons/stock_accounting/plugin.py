"""stock_accounting: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def register_views():
    from .views import stock_accounting_views

    return stock_accounting_views()


@hookimpl
def register_jobs():
    from huey import crontab

    from core.jobs import Job

    return (Job("stock_accounting.post_valuation", "addons.stock_accounting.jobs:post_stock_valuation",
                schedule=crontab(hour="4", minute="45")),)


@hookimpl
def after_install(session):
    from .accounts import set_up_missing
    from .posting import leave_history_unposted

    set_up_missing(session)
    leave_history_unposted(session)


@hookimpl
def stock_moves_done(session, move_ids):
    from .posting import post_for_moves

    post_for_moves(session, move_ids)


@hookimpl
def goods_received_account(session, company_id):
    from core.sessions import system_rows

    from .accounts import stock_accounts

    with system_rows(session) as system:  # configuration a biller uses without being granted the stock accounts
        accounts = stock_accounts(system, company_id)
        return accounts.input_account_id if accounts is not None else None
