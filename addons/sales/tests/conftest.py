"""A company selling hardware to a Spanish distributor and an Italian shop, with salespeople in two teams
and a sales manager."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.accounting.models import Tax
from addons.contacts.services import create_partner
from addons.products.models import ProductCategory
from addons.products.services import create_product
from addons.sales.models import SalesTeam

SALESPERSON, MANAGER = "sales.group_salesperson", "sales.group_manager"


@pytest.fixture
def shop(db):
    system = db.system()
    company = db.main_company
    tools = ProductCategory(company_id=company.id, name="Tools")
    power = ProductCategory(company_id=company.id, name="Power tools", parent=tools)
    system.add_all([tools, power])
    system.flush()
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6", list_price=Decimal("0.50"),
                           cost=Decimal("0.20"), category_id=tools.id)
    drill = create_product(system, company.id, code="DRILL", name="Drill 18 V", list_price=Decimal("100.00"),
                           cost=Decimal("60.00"), category_id=power.id)
    saw = create_product(system, company.id, code="SAW", name="Hand saw", list_price=Decimal("20.00"),
                         cost=Decimal("8.00"), category_id=tools.id)
    free = create_product(system, company.id, code="FREE", name="Sample", list_price=Decimal(0), cost=Decimal(0))
    iberica = create_partner(system, company.id, name="Ferretería Ibérica S.L.", is_company=True, lang="es",
                             email="compras@iberica.es")
    rossi = create_partner(system, company.id, name="Rossi Arredamenti", is_company=True, lang="it")
    vat = system.scalar(select(Tax).where(Tax.company_id == company.id, Tax.use == "sale", Tax.percent > 0)
                        .order_by(Tax.percent.desc()).limit(1))
    users = {login: db.user(login, groups=[group]) for login, group in (
        ("ana", SALESPERSON), ("bruno", SALESPERSON), ("carla", SALESPERSON), ("boss", MANAGER))}
    north = SalesTeam(company_id=company.id, name="North", members=[system.merge(users["ana"]),
                                                                   system.merge(users["bruno"])])
    south = SalesTeam(company_id=company.id, name="South", members=[system.merge(users["carla"])])
    system.add_all([north, south])
    system.commit()
    return SimpleNamespace(
        db=db, company=company, tools=tools, power=power, bolts=bolts, drill=drill, saw=saw, free=free,
        iberica=iberica, rossi=rossi, vat=vat, north=north, south=south, users=users,
        ana=db.as_user(users["ana"]), bruno=db.as_user(users["bruno"]), carla=db.as_user(users["carla"]),
        boss=db.as_user(users["boss"]),
    )
