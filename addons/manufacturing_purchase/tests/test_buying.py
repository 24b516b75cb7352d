"""With purchase installed: the run buys from the preferred supplier with its lead time, a confirmed buy proposal
becomes a draft purchase order expected on the date needed, and the next run counts that order as supply."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.manufacturing.planning.forecasts import create_forecast
from addons.manufacturing.planning.models import BUY, CONFIRMED, PROPOSED, Proposal
from addons.manufacturing.planning.proposals import confirm_proposals
from addons.manufacturing.planning.requirements import run_requirements
from addons.products.services import create_product
from addons.purchase.models import DRAFT, PurchaseOrder
from addons.purchase.services.prices import create_supplier_price
from addons.stock.services.setup import create_warehouse

TODAY = dt.date(2026, 12, 7)


def test_buying_from_the_preferred_supplier_with_its_lead_time(db):
    system, company_id = db.system(), db.main_company.id
    create_warehouse(system, company_id, code="FAB", name="Fábrica")
    paint = create_product(system, company_id, code="PAINT", name="Paint")
    supplier = create_partner(system, company_id, name="Colori Srl", is_company=True)
    create_supplier_price(system, company_id, product_id=paint.id, supplier_id=supplier.id, price=Decimal(20),
                          lead_time=6, preferred=True)
    needed = TODAY + dt.timedelta(days=15)
    create_forecast(system, company_id, product_id=paint.id, date=needed, quantity=Decimal(7))
    planner = db.as_user(db.user("planner", groups=["manufacturing.group_manager", "purchase.group_user"]))
    run_requirements(planner, company_id, today=TODAY)
    proposal = planner.scalars(select(Proposal).where(Proposal.state == PROPOSED)).one()
    assert (proposal.kind, proposal.quantity, proposal.supplier_name) == (BUY, 7, "Colori Srl")
    assert (proposal.date_needed, proposal.date_start) == (needed, needed - dt.timedelta(days=6))
    assert planner.scalars(select(PurchaseOrder)).all() == []  # nothing is ordered until a planner confirms
    [order] = confirm_proposals(planner, proposal_ids=[proposal.id])
    assert (order.state, order.partner_id, proposal.state, proposal.result) == (
        DRAFT, supplier.id, CONFIRMED, order.display_name)
    assert [(line.product_id, line.quantity, line.expected_date) for line in order.lines] == [(paint.id, 7, needed)]
    run_requirements(planner, company_id, today=TODAY)
    assert planner.scalars(select(Proposal).where(Proposal.state == PROPOSED)).all() == []  # the draft order covers it
