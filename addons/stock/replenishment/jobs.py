"""The replenishment job: every night, the reorder rules of every company evaluated into the list."""
from huey import crontab

from core.jobs import Job

from .evaluate import evaluate_rules


def replenishment(context) -> None:
    with context.session() as session:
        evaluate_rules(session)
        session.commit()


JOBS = (Job("stock.replenishment", replenishment, schedule=crontab(hour="4", minute="15")),)
