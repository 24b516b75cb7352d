"""The replenishment job: every night, the reorder rules of every company evaluated into the list (declared in
the plugin)."""
from .evaluate import evaluate_rules


def replenishment(context) -> None:
    with context.session() as session:
        evaluate_rules(session)
        session.commit()

