"""A salesperson changes their own quotations, reads their team's, never sees another team's; price lists and
teams are the sales manager's."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.sales.models import (
    PriceList,
    PriceRule,
    SaleOrder,
    SaleOrderLine,
    SalesTeam,
)
from addons.sales.services.pricelists import update_pricelist, update_rule
from addons.sales.services.quotes import confirm_quote, create_quote, update_quote
from core.errors import AccessDenied

DAY = dt.date(2027, 3, 15)


@pytest.fixture
def ana_s_quote(shop, distributors):
    order = create_quote(shop.ana, shop.company.id, partner_id=shop.iberica.id, date_order=DAY,
                         lines=[{"product_id": shop.bolts.id, "quantity": 10}])
    shop.ana.commit()
    return order.id


def test_a_team_mate_reads_but_cannot_change_and_another_team_does_not_see(shop, ana_s_quote):
    mate = shop.bruno.get(SaleOrder, ana_s_quote)
    assert mate is not None and mate.amount_total == Decimal("4.40")
    assert [line.description for line in shop.bruno.scalars(select(SaleOrderLine))] == ["[BOLT] Bolt M6"]
    with pytest.raises(AccessDenied):
        update_quote(shop.bruno, mate, notes="mine now")
    shop.bruno.rollback()
    with pytest.raises(AccessDenied):
        confirm_quote(shop.bruno, shop.bruno.get(SaleOrder, ana_s_quote), today=DAY)
    shop.bruno.rollback()
    assert shop.carla.get(SaleOrder, ana_s_quote) is None
    assert shop.carla.scalars(select(SaleOrder)).all() == []
    assert shop.carla.scalars(select(SaleOrderLine)).all() == []
    assert shop.db.system().get(SaleOrder, ana_s_quote).notes is None


def test_the_owner_and_the_manager_change_it(shop, ana_s_quote):
    update_quote(shop.ana, shop.ana.get(SaleOrder, ana_s_quote), notes="Delivery in April")
    shop.ana.commit()
    order = shop.boss.get(SaleOrder, ana_s_quote)
    confirm_quote(shop.boss, order, today=DAY)
    shop.boss.commit()
    assert shop.db.system().get(SaleOrder, ana_s_quote).state == "confirmed"


def test_a_salesperson_cannot_create_a_quote_for_someone_else(shop, distributors):
    with pytest.raises(AccessDenied):
        create_quote(shop.ana, shop.company.id, partner_id=shop.iberica.id, date_order=DAY,
                     user_id=shop.users["carla"].id, lines=[{"product_id": shop.bolts.id}])


def test_price_lists_rules_and_teams_are_read_only_to_salespeople(shop, distributors):
    pricelist, rules = distributors
    assert shop.ana.get(PriceList, pricelist.id).name == "Distributors 2027"
    with pytest.raises(AccessDenied):
        update_pricelist(shop.ana, shop.ana.get(PriceList, pricelist.id), name="Cheaper")
    shop.ana.rollback()
    with pytest.raises(AccessDenied):
        update_rule(shop.ana, shop.ana.get(PriceRule, rules["bolts_10"].id), percent=Decimal(-50))
    shop.ana.rollback()
    team = shop.ana.get(SalesTeam, shop.north.id)
    team.name = "Mine"
    with pytest.raises(AccessDenied):
        shop.ana.flush()
    shop.ana.rollback()
    update_rule(shop.boss, shop.boss.get(PriceRule, rules["bolts_10"].id), percent=Decimal(-15))
    assert shop.boss.get(PriceRule, rules["bolts_10"].id).percent == Decimal(-15)


def test_another_company_s_quotes_are_invisible(shop, ana_s_quote):
    other = shop.db.company("Otra S.L.")
    stranger = shop.db.as_user(shop.db.user("otto", groups=["sales.group_manager"], companies=[other]))
    assert stranger.get(SaleOrder, ana_s_quote) is None
    assert stranger.scalars(select(PriceList)).all() == []
