"""Confirmed sales orders are demands of the requirements run while sales is installed (what their deliveries
reserved taken off); manufacturing alone is tested in addons/manufacturing/tests/test_planning_alone.py."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.manufacturing.planning.models import MAKE, Proposal
from addons.manufacturing.planning.requirements import run_requirements
from addons.manufacturing.services.boms import create_bom
from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.sales.services.quotes import confirm_quote, create_quote
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import create_transfer, process_transfer

TODAY = dt.date(2026, 12, 7)


def made(session):
    return [(row.product.code, row.kind, row.quantity, row.date_needed, row.origin)
            for row in session.scalars(select(Proposal).where(Proposal.level == 0).order_by(Proposal.id))]


def test_undelivered_sales_are_planned_less_what_their_delivery_reserved(db):
    system, company_id = db.system(), db.main_company.id
    warehouse = create_warehouse(system, company_id, code="FAB", name="Fábrica")
    part = create_product(system, company_id, code="PART", name="Part")
    chair = create_product(system, company_id, code="CHAIR", name="Chair", list_price=Decimal(80))
    create_bom(system, company_id, product_id=chair.id, lines=[{"product_id": part.id, "quantity": Decimal(2)}])
    process_transfer(system, create_transfer(system, company_id, kind="receipt", warehouse_id=warehouse.id, lines=[
        {"product_id": chair.id, "quantity": Decimal(3), "unit_cost": Decimal(40)}]))
    customer = create_partner(system, company_id, name="Muebles Sol S.L.", is_company=True)
    order = create_quote(system, company_id, partner_id=customer.id, date_order=TODAY + dt.timedelta(days=4), lines=[
        {"product_id": chair.id, "quantity": Decimal(1), "uom_id": unit_by_code(system, "box12").id}])
    confirm_quote(system, order, today=TODAY)
    planner = db.as_user(db.user("planner", groups=["manufacturing.group_manager"]))
    run_requirements(planner, company_id, today=TODAY)
    # a box of 12 chairs: the delivery reserved the 3 on hand, so 9 are to make, for the order, on its date
    assert made(planner) == [("CHAIR", MAKE, 9, TODAY + dt.timedelta(days=4), order.number)]
