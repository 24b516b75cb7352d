"""Automation rules: stored in ``crm_rule``, edited by sales managers, run by the job queue.

New leads: ``leads_created`` enqueues ``crm.new_lead`` (one job for up to
:data:`LEADS_PER_JOB` leads) after the creating transaction commits; the job
runs the company's active rules on each lead in sequence order: classify by
keywords, assign by country or in turn within a team, acknowledge by email
(``Auto-Submitted: auto-replied``, and never a lead made from mail a program
sent, such as another auto-reply or a bounce: two responders would loop).
Periodically, ``crm.inactivity`` schedules a follow-up for opportunities
without activity for N days and ``crm.activity_reminders`` mails assignees
their due activities. A rule only ever acts once per lead, so
even a rule that matches every lead cannot loop.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean
from core.mail_in.receive import created_by_automatic_mail
from core.models import User

from .models import CATEGORIES, OPEN, OPPORTUNITY, Activity, Lead, Rule, Unsubscribe, team_members


LEADS_PER_JOB = 1000


def leads_created(session: Session, lead_ids: list[int]) -> None:
    from core.jobs import enqueue

    for start in range(0, len(lead_ids), LEADS_PER_JOB):
        enqueue(session, "crm.new_lead", lead_ids=lead_ids[start:start + LEADS_PER_JOB])


def _words(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return f" {re.sub(r'[^a-z0-9]+', ' ', text)} "


def check_parameters(action: str, parameters: dict, team_id: int | None) -> dict:
    """Validate the parameters of a rule of ``action`` (one of its choices); returns them cleaned. Raises
    ValidationError naming the problem."""
    parameters = dict(parameters or {})
    if action == "assign_round_robin" and team_id is None:
        raise ValidationError(_l("Choose the team whose members get the leads in turn."), "team_id")
    if action == "assign_by_country":
        countries = parameters.get("countries")
        if not isinstance(countries, dict) or not countries:
            raise ValidationError(_l("Give at least one country and its salesperson."), "parameters")
        cleaned = {}
        for code, login in countries.items():
            if not re.fullmatch(r"[A-Za-z]{2}", str(code)) or not str(login).strip():
                raise ValidationError(_l("Each country is a two-letter code with a salesperson's login."),
                                      "parameters")
            cleaned[str(code).upper()] = str(login).strip()
        parameters["countries"] = cleaned
    if action == "classify":
        keywords = parameters.get("keywords")
        if not isinstance(keywords, dict) or not keywords:
            raise ValidationError(_l("Give keywords for at least one category."), "parameters")
        cleaned = {}
        for category, words in keywords.items():
            if category not in dict(CATEGORIES):
                raise ValidationError(_l("Unknown category %(name)s.", name=category), "parameters")
            words = [w.strip() for w in (words if isinstance(words, list) else str(words).split(",")) if w.strip()]
            if not words:
                raise ValidationError(_l("Category %(name)s has no keywords.", name=category), "parameters")
            cleaned[category] = words
        parameters["keywords"] = cleaned
    if action == "acknowledge":
        if not str(parameters.get("subject") or "").strip() or not str(parameters.get("body") or "").strip():
            raise ValidationError(_l("An acknowledgement needs a subject and a text."), "parameters")
    if action == "remind_inactive":
        try:
            days = int(parameters.get("days"))
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 365:
            raise ValidationError(_l("Give a number of days between 1 and 365."), "parameters")
        parameters["days"] = days
    return parameters


def save_rule(session: Session, company_id: int, rule: Rule | None = None, **values) -> Rule:
    values = clean(Rule, values, record=rule, session=session)
    values["parameters"] = check_parameters(values.get("action") or rule.action,
                                            values.get("parameters", rule.parameters if rule else {}),
                                            values.get("team_id", rule.team_id if rule else None))
    if rule is None:
        rule = Rule(company_id=company_id)
        session.add(rule)
    for key, value in values.items():
        setattr(rule, key, value)
    session.flush()
    return rule


def _rules(session: Session, company_id: int, actions) -> list[Rule]:
    return session.scalars(
        select(Rule).where(Rule.company_id == company_id, Rule.active.is_(True), Rule.action.in_(actions))
        .order_by(Rule.sequence, Rule.id)
    ).all()


NEW_LEAD_ACTIONS = ("classify", "assign_by_country", "assign_round_robin", "acknowledge")


def run_rules_for_new_leads(session: Session, lead_ids: list[int]) -> None:
    """:func:`run_new_lead_rules` for each of ``lead_ids`` still there, in order, the rules loaded once a company."""
    rules: dict[int, list[Rule]] = {}
    for lead in session.scalars(select(Lead).where(Lead.id.in_(lead_ids)).order_by(Lead.id)):
        if lead.company_id not in rules:
            rules[lead.company_id] = _rules(session, lead.company_id, NEW_LEAD_ACTIONS)
        if rules[lead.company_id]:
            run_new_lead_rules(session, lead, rules[lead.company_id])


def run_new_lead_rules(session: Session, lead: Lead, rules: list[Rule] | None = None) -> list[str]:
    """Apply the company's rules for new leads (``rules``, else read now) to ``lead``; returns what was done."""
    done = []
    if rules is None:
        rules = _rules(session, lead.company_id, NEW_LEAD_ACTIONS)
    for rule in rules:
        if rule.action == "classify" and lead.category is None:
            text = _words(f"{lead.name} {lead.description or ''}")
            for category, words in rule.parameters["keywords"].items():
                if any(_words(word) in text for word in words):
                    lead.category = category
                    done.append(f"{rule.name}: {category}")
                    break
        elif rule.action == "assign_by_country" and lead.user_id is None and lead.country_code:
            login = rule.parameters["countries"].get(lead.country_code)
            user = session.scalars(select(User).where(User.login == login, User.active.is_(True))).first() \
                if login else None
            if user is not None:
                lead.user_id = user.id
                done.append(f"{rule.name}: {user.login}")
        elif rule.action == "assign_round_robin" and lead.user_id is None:
            user = _next_in_team(session, rule)
            if user is not None:
                lead.user_id, lead.team_id = user.id, rule.team_id
                done.append(f"{rule.name}: {user.login}")
        elif rule.action == "acknowledge" and lead.email and not is_unsubscribed(session, lead.company_id,
                                                                                   lead.email) \
                and not created_by_automatic_mail(session, Lead.__tablename__, lead.id):
            from core.mail import queue_mail

            text = rule.parameters["body"].replace("{name}", lead.contact_name or lead.name)
            queue_mail(session, to=lead.email, subject=rule.parameters["subject"], text=text,
                       reference=f"crm.lead:{lead.id}", auto_submitted="auto-replied")
            from .services import log_message

            log_message(session, kind="email_out", lead_id=lead.id, subject=rule.parameters["subject"], body=text)
            done.append(f"{rule.name}: acknowledged")
    session.flush()
    return done


def _next_in_team(session: Session, rule: Rule) -> User | None:
    members = session.scalars(
        select(User).join(team_members, team_members.c.user_id == User.id)
        .where(team_members.c.team_id == rule.team_id, User.active.is_(True)).order_by(User.id)
    ).all()
    if not members:
        return None
    ids = [member.id for member in members]
    position = ids.index(rule.last_user_id) + 1 if rule.last_user_id in ids else 0
    chosen = members[position % len(members)]
    rule.last_user_id = chosen.id
    return chosen


def is_unsubscribed(session: Session, company_id: int, email: str) -> bool:
    return session.scalar(select(exists().where(Unsubscribe.company_id == company_id,
                                                Unsubscribe.email == email.lower()))) or False


def remind_inactive(session: Session, today: dt.date | None = None) -> int:
    """Schedule a follow-up for open opportunities idle for the rule's days; returns how many."""
    today = today or utcnow().date()
    count = 0
    for rule in session.scalars(select(Rule).where(Rule.active.is_(True), Rule.action == "remind_inactive")):
        cutoff = dt.datetime.combine(today - dt.timedelta(days=rule.parameters["days"]), dt.time())
        idle = session.scalars(
            select(Lead).where(
                Lead.company_id == rule.company_id, Lead.kind == OPPORTUNITY, Lead.state == OPEN,
                Lead.user_id.is_not(None),
                (Lead.last_activity_at < cutoff) | (Lead.last_activity_at.is_(None) & (Lead.created_at < cutoff)),
                ~exists().where(Activity.lead_id == Lead.id, Activity.done_at.is_(None)),
                *((Lead.team_id == rule.team_id,) if rule.team_id else ()),
            )
        ).all()
        for lead in idle:
            session.add(Activity(company_id=lead.company_id, kind="task", lead_id=lead.id, partner_id=lead.partner_id,
                                 user_id=lead.user_id, due_date=today,
                                 summary=f"Follow up: no activity for {rule.parameters['days']} days"))
            count += 1
    session.flush()
    return count


def send_activity_reminders(session: Session, today: dt.date | None = None) -> int:
    """Mail each assignee their activities due today or overdue, once per activity."""
    from core.mail import queue_mail

    today = today or utcnow().date()
    due = session.scalars(
        select(Activity).where(Activity.done_at.is_(None), Activity.reminded_at.is_(None), Activity.due_date <= today)
        .order_by(Activity.user_id, Activity.due_date)
    ).all()
    by_user: dict[int, list[Activity]] = {}
    for activity in due:
        by_user.setdefault(activity.user_id, []).append(activity)
    for user_id, activities in by_user.items():
        user = session.get(User, user_id)
        now = utcnow()
        for activity in activities:
            activity.reminded_at = now
        if user is None or not user.email:
            continue
        lines = "\n".join(f"- {a.due_date.isoformat()} {a.summary}" for a in activities)
        queue_mail(session, to=user.email, subject=f"{len(activities)} activities due", text=lines,
                   reference=f"crm.reminder:{user_id}")
    session.flush()
    return len(due)

