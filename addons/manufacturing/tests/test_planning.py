"""The requirements run: netting through the levels of the bills, lead times, reorder rules and forecasts as
demand, proposals a manager confirms (only then are draft production orders made), and bad input."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.manufacturing.models import DRAFT, Production
from addons.manufacturing.planning.forecasts import create_forecast
from addons.manufacturing.planning.models import BUY, CONFIRMED, DISCARDED, MAKE, PROPOSED, ProductPlanning, Proposal
from addons.manufacturing.planning.proposals import confirm_proposals, discard_proposals
from addons.manufacturing.planning.requirements import low_level_codes, run_requirements
from addons.stock.replenishment import create_rule
from core.errors import ValidationError

D = Decimal
TODAY = dt.date(2026, 12, 7)


def proposals(shop, state=PROPOSED):
    return {(row.product.code, row.kind): row for row in shop.session.scalars(
        select(Proposal).where(Proposal.state == state).order_by(Proposal.id))}


@pytest.fixture
def chairs(shop):
    """A chair of a seat (made: 1 board + 4 screws) and 4 legs (bought); a stool also uses legs and screws."""
    board, screw, leg = shop.product("BOARD"), shop.product("SCREW"), shop.product("LEG")
    seat, chair, stool = shop.product("SEAT"), shop.product("CHAIR"), shop.product("STOOL")
    shop.bom(seat, (board, 1), (screw, 4))
    shop.bom(chair, (seat, 1), (leg, 4), (screw, 2))
    shop.bom(stool, (leg, 3), (screw, 3))
    return type("Chairs", (), {"board": board, "screw": screw, "leg": leg, "seat": seat, "chair": chair,
                               "stool": stool})


def test_each_product_is_netted_once_after_everything_that_needs_it(shop, chairs):
    levels = low_level_codes(shop.session, {chairs.chair.id, chairs.stool.id})
    assert levels[chairs.chair.id] == levels[chairs.stool.id] == 0
    assert levels[chairs.seat.id] == levels[chairs.leg.id] == 1
    assert levels[chairs.screw.id] == levels[chairs.board.id] == 2  # used by the chair and, deeper, by the seat


def test_netting_through_the_levels_against_stock(shop, chairs):
    shop.receive(chairs.leg, 10, "2")      # 10 legs on hand
    shop.receive(chairs.seat, 1, "15")     # one seat on hand
    create_forecast(shop.session, shop.company_id, product_id=chairs.chair.id, date=TODAY + dt.timedelta(days=10),
                    quantity=D(5))
    create_forecast(shop.session, shop.company_id, product_id=chairs.stool.id, date=TODAY + dt.timedelta(days=12),
                    quantity=D(2))
    summary = run_requirements(shop.session, shop.company_id, today=TODAY, bucket_days=1)
    rows = shop.session.scalars(select(Proposal).order_by(Proposal.date_needed, Proposal.id)).all()
    assert summary.demands == 2 and summary.proposals == len(rows)
    # each product once per date it runs short: 5 chairs (day 10) take 5 seats, less the one on hand, 20 legs,
    # less the 10 on hand, 10 screws, plus the seats' 16; 2 stools (day 12) take 6 legs and 6 screws
    assert {(row.product.code, row.kind, (row.date_needed - TODAY).days): row.quantity for row in rows} == {
        ("CHAIR", MAKE, 10): 5, ("STOOL", MAKE, 12): 2, ("SEAT", MAKE, 10): 4, ("BOARD", BUY, 10): 4,
        ("LEG", BUY, 10): 10, ("LEG", BUY, 12): 6, ("SCREW", BUY, 10): 26, ("SCREW", BUY, 12): 6}
    found = proposals(shop)
    assert "CHAIR" in found["SEAT", MAKE].origin and "Forecast" in found["CHAIR", MAKE].origin
    run_requirements(shop.session, shop.company_id, today=TODAY)  # a week's shortfalls make one proposal
    assert {(row.product.code, (row.date_needed - TODAY).days): row.quantity for row in shop.session.scalars(
        select(Proposal).where(Proposal.kind == BUY, Proposal.state == PROPOSED))} == {
        ("BOARD", 10): 4, ("LEG", 10): 16, ("SCREW", 10): 32}


def test_lead_times_move_the_start_and_the_components_dates(shop, chairs):
    shop.session.add_all([ProductPlanning(product_id=chairs.chair.id, produce_days=3),
                          ProductPlanning(product_id=chairs.seat.id, produce_days=2)])
    needed = TODAY + dt.timedelta(days=20)
    create_forecast(shop.session, shop.company_id, product_id=chairs.chair.id, date=needed, quantity=D(1))
    run_requirements(shop.session, shop.company_id, today=TODAY)
    found = proposals(shop)
    assert (found["CHAIR", MAKE].date_needed, found["CHAIR", MAKE].date_start) == (needed, needed - dt.timedelta(3))
    assert found["SEAT", MAKE].date_needed == needed - dt.timedelta(3)
    assert found["SEAT", MAKE].date_start == needed - dt.timedelta(5)
    assert found["BOARD", BUY].date_needed == needed - dt.timedelta(5)


def test_a_reorder_rule_is_a_demand_up_to_its_maximum(shop, chairs):
    shop.receive(chairs.leg, 3, "2")
    create_rule(shop.session, shop.company_id, product_id=chairs.leg.id, warehouse_id=shop.warehouse.id,
                min_quantity=D(10), max_quantity=D(40), multiple=D(6))
    run_requirements(shop.session, shop.company_id, today=TODAY)
    leg = proposals(shop)["LEG", BUY]
    assert leg.quantity == 42 and leg.date_needed == TODAY  # 40 - 3 = 37, rounded up to a multiple of 6
    assert "Reorder rule" in leg.origin


def test_a_new_run_replaces_open_proposals_and_counts_draft_orders_as_supply(shop, chairs):
    create_forecast(shop.session, shop.company_id, product_id=chairs.seat.id, date=TODAY, quantity=D(3))
    run_requirements(shop.session, shop.company_id, today=TODAY)
    seat = proposals(shop)["SEAT", MAKE]
    created = confirm_proposals(shop.session, proposal_ids=[seat.id])
    assert [(type(record), record.state, record.quantity) for record in created] == [(Production, DRAFT, 3)]
    assert seat.state == CONFIRMED and seat.production_id == created[0].id
    run_requirements(shop.session, shop.company_id, today=TODAY)
    again = proposals(shop)
    assert ("SEAT", MAKE) not in again                          # the draft order covers the forecast
    assert again["BOARD", BUY].quantity == 3                    # and its components are still wanted
    assert proposals(shop, CONFIRMED)["SEAT", MAKE].id == seat.id


def test_nothing_is_created_until_a_proposal_is_confirmed(shop, chairs):
    create_forecast(shop.session, shop.company_id, product_id=chairs.chair.id, date=TODAY, quantity=D(2))
    run_requirements(shop.session, shop.company_id, today=TODAY)
    assert shop.session.scalar(select(func.count()).select_from(Production)) == 0
    chair = proposals(shop)["CHAIR", MAKE]
    discard_proposals(shop.session, proposal_ids=[proposals(shop)["SEAT", MAKE].id])
    confirm_proposals(shop.session, proposal_ids=[chair.id])
    assert shop.session.scalar(select(func.count()).select_from(Production)) == 1
    assert proposals(shop, DISCARDED).keys() == {("SEAT", MAKE)}


def test_a_proposal_confirmed_twice_is_refused_and_nothing_is_half_written(shop, chairs):
    create_forecast(shop.session, shop.company_id, product_id=chairs.chair.id, date=TODAY, quantity=D(2))
    run_requirements(shop.session, shop.company_id, today=TODAY)
    chair, seat = proposals(shop)["CHAIR", MAKE], proposals(shop)["SEAT", MAKE]
    confirm_proposals(shop.session, proposal_ids=[chair.id])
    with pytest.raises(ValidationError) as error:
        confirm_proposals(shop.session, proposal_ids=[seat.id, chair.id])
    assert str(error.value) == "Already confirmed: [CHAIR] Product CHAIR × 2. Nothing was changed."
    assert seat.state == PROPOSED
    assert shop.session.scalar(select(func.count()).select_from(Production)) == 1


@pytest.mark.parametrize("values, field, message", [
    ({"quantity": D(-3)}, "quantity", "at least"),
    ({"product_id": 987654}, "product_id", ""),
])
def test_a_bad_forecast_is_refused_naming_the_field(shop, chairs, values, field, message):
    good = {"product_id": chairs.chair.id, "date": TODAY, "quantity": D(1)}
    with pytest.raises(ValidationError) as error:
        create_forecast(shop.session, shop.company_id, **{**good, **values})
    assert error.value.field == field and message in str(error.value)
