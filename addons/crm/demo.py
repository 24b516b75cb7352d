"""Demo CRM data for `bottega demo`: a team, a pipeline, leads and opportunities at every step."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.contacts.models import Partner
from core.chatter import services as chatter
from core.db import utcnow
from core.models import User

from . import automation, services
from .models import LostReason, Stage, Team

STAGES = (("New", 10, "10"), ("Qualified", 20, "30"), ("Proposal", 30, "60"), ("Negotiation", 40, "80"),
          ("Won", 50, "100"))
REASONS = ("Too expensive", "Chose a competitor", "No budget", "No answer")
LEADS = (
    ("Shop fittings for a new store", "Lucía Martín", "Ferretería Ibérica S.L.", "ES", Decimal("18500")),
    ("Office chairs, 40 units", "Giulia Rossi", "Rossi Arredamenti S.r.l.", "IT", Decimal("9200")),
    ("Maintenance contract 2027", "Carmen López", "Talleres Levante S.A.", "ES", Decimal("12000")),
    ("Showroom lighting", "Francesca Conti", "Officine Fiorentine S.p.A.", "IT", Decimal("7400")),
    ("Bakery ovens", "Panadería del Sol", "Panadería del Sol", "ES", Decimal("23000")),
)


def load(session, company) -> None:
    admin = session.scalars(select(User).where(User.login == "admin")).one()
    team = Team(company_id=company.id, name="Iberia & Italia", leader_id=admin.id, members=[admin])
    session.add(team)
    for name, sequence, probability in STAGES:
        session.add(Stage(company_id=company.id, name=name, sequence=sequence, probability=Decimal(probability),
                          is_won=name == "Won"))
    for reason in REASONS:
        session.add(LostReason(company_id=company.id, name=reason))
    session.flush()
    automation.save_rule(session, company.id, name="Classify requests", action="classify", sequence=1, parameters={
        "keywords": {"complaint": ["complaint", "queja", "reclamo", "reclamo"], "quote_request":
                     ["quote", "presupuesto", "preventivo", "offerta"], "question": ["question", "pregunta", "domanda"]}})
    partners = {p.name: p for p in session.scalars(select(Partner).where(Partner.company_id == company.id))}
    stages = session.scalars(select(Stage).order_by(Stage.sequence)).all()
    for number, (title, contact, firm, country, revenue) in enumerate(LEADS):
        lead = services.create_lead(session, company.id, name=title, contact_name=contact, partner_name=firm,
                                    country_code=country, expected_revenue=revenue, team_id=team.id, user_id=admin.id,
                                    date_deadline=utcnow().date() + dt.timedelta(days=30 * (number + 1)))
        if number == 4:
            continue
        services.qualify(session, lead, partner_id=partners[firm].id if firm in partners else None)
        services.set_stage(session, lead, stage_id=stages[min(number, 3)].id)
        chatter.schedule_activity(session, chatter.ref_of(session, lead), kind="call", summary=f"Call {contact}",
                                  user_id=admin.id, due_date=utcnow().date() + dt.timedelta(days=number - 1))
