"""The CRM's jobs on the queue: rules for new leads, and the daily reminders (declared in the plugin)."""
from . import automation


def new_lead(context, lead_ids: list[int] = (), lead_id: int | None = None) -> None:
    """The rules for new leads, on a batch of leads (``lead_id``: one job queued before batches existed)."""
    with context.session() as session:
        automation.run_rules_for_new_leads(session, [*lead_ids, *([lead_id] if lead_id is not None else [])])
        session.commit()


def inactivity(context) -> None:
    with context.session() as session:
        automation.remind_inactive(session)
        session.commit()


def activity_reminders(context) -> None:
    with context.session() as session:
        automation.send_activity_reminders(session)
        session.commit()


def send_campaign(context, campaign_id: int) -> None:
    from .campaigns import send_queued

    with context.session() as session:
        send_queued(session, campaign_id, context.config.get("server", "public_url"))
        session.commit()
