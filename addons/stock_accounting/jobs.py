"""Every night, the valuation entries written outside a batch of moves (a standard cost changed by hand, a
recomputed cost) are posted."""
from huey import crontab

from core.jobs import Job

from .posting import post_pending


def post_stock_valuation(context) -> None:
    with context.session() as session:
        post_pending(session)
        session.commit()


JOBS = (Job("stock_accounting.post_valuation", post_stock_valuation, schedule=crontab(hour="4", minute="45")),)
