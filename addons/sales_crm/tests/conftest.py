"""A company selling drills, whose salespeople work an opportunity in CRM's team "North" (a sales team of the same
name too), and a salesperson of another team."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from addons.contacts.services import create_partner
from addons.crm import services as crm
from addons.crm.models import Stage, Team
from addons.products.services import create_product
from addons.sales.models import SalesTeam

ROLES = ["sales.group_salesperson", "crm.group_salesperson"]


@pytest.fixture
def deal(db):
    return make_deal(db)


def make_deal(db) -> SimpleNamespace:
    system = db.system()
    company = db.main_company.id
    ana, bruno = db.user("ana", groups=ROLES), db.user("bruno", groups=ROLES)
    crm_north = Team(company_id=company, name="North", members=[system.merge(ana)])
    crm_south = Team(company_id=company, name="South", members=[system.merge(bruno)])
    sales_north = SalesTeam(company_id=company, name="North", members=[system.merge(ana)])
    first = Stage(company_id=company, name="Proposal", sequence=1, probability=Decimal(40))
    won = Stage(company_id=company, name="Signed", sequence=90, probability=Decimal(100), is_won=True)
    system.add_all([crm_north, crm_south, sales_north, first, won])
    system.flush()
    drill = create_product(system, company, code="DRILL", name="Drill 18 V", list_price=Decimal(100),
                           cost=Decimal(60))
    customer = create_partner(system, company, name="Ferretería Ibérica S.L.", is_company=True)
    opportunity = crm.create_lead(system, company, name="Drills for the new shop", partner_id=customer.id,
                                  user_id=ana.id, team_id=crm_north.id, stage_id=first.id,
                                  expected_revenue=Decimal(5000))
    system.commit()
    return SimpleNamespace(db=db, company=company, ana=ana, bruno=bruno, drill=drill, customer=customer,
                           opportunity=opportunity, sales_north=sales_north, won=won, first=first)


def drills(deal, quantity) -> list[dict]:
    return [{"product_id": deal.drill.id, "quantity": Decimal(quantity)}]
