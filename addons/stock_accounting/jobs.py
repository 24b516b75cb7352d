"""Every night, the valuation entries written outside a batch of moves (a standard cost changed by hand, a
recomputed cost) are posted, and any committed after a later one was posted, by a sweep of the whole history
(the job is declared in the plugin)."""
from .posting import post_pending


def post_stock_valuation(context) -> None:
    with context.session() as session:
        post_pending(session, sweep=True)
        session.commit()

