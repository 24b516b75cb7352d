"""A company selling hardware to a Spanish distributor and an Italian shop, with salespeople in two teams
and a sales manager."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.accounting.models import Tax
from addons.contacts.services import create_partner
from addons.products.models import ProductCategory
from addons.products.services import create_product
from addons.sales.models import (
    ALL_PRODUCTS,
    CATEGORY,
    COST,
    FIXED,
    LIST,
    PRODUCT,
    SalesPartner,
    SalesTeam,
)
from addons.sales.services.pricelists import create_pricelist, create_rule

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
    vat = system.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "S_VAT20"))
    reduced = system.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "S_VAT10"))
    users = {login: db.user(login, groups=[group]) for login, group in (
        ("ana", SALESPERSON), ("bruno", SALESPERSON), ("carla", SALESPERSON), ("boss", MANAGER))}
    north = SalesTeam(company_id=company.id, name="North", members=[system.merge(users["ana"]),
                                                                   system.merge(users["bruno"])])
    south = SalesTeam(company_id=company.id, name="South", members=[system.merge(users["carla"])])
    system.add_all([north, south])
    system.commit()
    return SimpleNamespace(
        db=db, company=company, tools=tools, power=power, bolts=bolts, drill=drill, saw=saw, free=free,
        iberica=iberica, rossi=rossi, vat=vat, reduced=reduced, north=north, south=south, users=users,
        ana=db.as_user(users["ana"]), bruno=db.as_user(users["bruno"]), carla=db.as_user(users["carla"]),
        boss=db.as_user(users["boss"]),
    )


@pytest.fixture
def distributors(shop):
    session = shop.boss
    pricelist = create_pricelist(session, shop.company.id, name="Distributors 2027", currency_code="EUR",
                                 date_start=dt.date(2027, 1, 1), date_end=dt.date(2027, 12, 31))
    rules = {
        "bolts_small": create_rule(session, pricelist.id, applies_to=PRODUCT, product_id=shop.bolts.id,
                                   max_quantity=Decimal(10), method=FIXED, fixed_price=Decimal("0.45")),
        "bolts_10": create_rule(session, pricelist.id, applies_to=PRODUCT, product_id=shop.bolts.id,
                                min_quantity=Decimal(10), method=LIST, percent=Decimal(-12)),
        "power": create_rule(session, pricelist.id, applies_to=CATEGORY, category_id=shop.power.id,
                             method=LIST, percent=Decimal(-5)),
        "tools": create_rule(session, pricelist.id, applies_to=CATEGORY, category_id=shop.tools.id,
                             method=COST, percent=Decimal(30)),
        "all": create_rule(session, pricelist.id, applies_to=ALL_PRODUCTS, method=LIST, percent=Decimal(-1)),
    }
    session.add(SalesPartner(partner_id=shop.iberica.id, pricelist_id=pricelist.id, company_id=shop.company.id))
    session.commit()
    return pricelist, rules
