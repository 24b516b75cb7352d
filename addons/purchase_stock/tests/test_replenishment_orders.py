"""Ordering stock's replenishment list makes draft requests for quotation, one per preferred supplier and warehouse."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.models import DRAFT, PurchaseOrder
from addons.purchase.services.prices import create_supplier_price
from addons.purchase_stock.models import OrderDelivery
from addons.stock.models import ReplenishmentLine
from addons.stock.replenishment.evaluate import evaluate_rules, order_lines
from addons.stock.replenishment.rules import create_rule
from addons.stock.services.setup import create_warehouse
from core.errors import ValidationError


@pytest.fixture
def buying(db):
    company = db.main_company.id
    system = db.system()
    sol = create_partner(system, company, name="Ferretería Sol S.L.", is_company=True)
    colori = create_partner(system, company, name="Colori Srl", is_company=True)
    system.commit()
    session = db.as_user(db.user("jefe", groups=["stock.group_manager", "purchase.group_user",
                                                 "products.group_manager"]))
    madrid = create_warehouse(session, company, code="MAD", name="Madrid")
    bilbao = create_warehouse(session, company, code="BIL", name="Bilbao")
    products = {}
    for code, supplier, price in (("BOLT", sol, "0.40"), ("NUT", sol, "0.10"), ("PAINT", colori, "18"),
                                  ("ORPHAN", None, None)):
        products[code] = create_product(session, company, code=code, name=code.title())
        if supplier is not None:
            create_supplier_price(session, company, product_id=products[code].id, supplier_id=supplier.id,
                                  price=Decimal(price), lead_time=3)
    for code, warehouse in (("BOLT", madrid), ("NUT", madrid), ("PAINT", madrid), ("BOLT", bilbao),
                            ("ORPHAN", madrid)):
        create_rule(session, company, product_id=products[code].id, warehouse_id=warehouse.id,
                    min_quantity=Decimal(5), max_quantity=Decimal(20), multiple=Decimal(1), lead_days=0)
    evaluate_rules(session, company_ids=[company])
    return session, products, {"MAD": madrid.id, "BIL": bilbao.id}, {"Sol": sol.id, "Colori": colori.id}


def _lines(session, products, *wanted):
    rows = session.scalars(select(ReplenishmentLine).order_by(ReplenishmentLine.id)).all()
    return [row.id for row in rows for code, warehouse in wanted
            if row.product_id == products[code].id and row.warehouse.code == warehouse]


def test_chosen_lines_become_one_draft_request_per_supplier_and_warehouse(buying):
    session, products, warehouses, suppliers = buying
    created = order_lines(session, line_ids=_lines(session, products, ("BOLT", "MAD"), ("NUT", "MAD"),
                                                   ("PAINT", "MAD"), ("BOLT", "BIL")))
    orders = {(order.partner_id, session.get(OrderDelivery, order.id).warehouse_id): order for order in created}
    assert set(orders) == {(suppliers["Sol"], warehouses["MAD"]), (suppliers["Colori"], warehouses["MAD"]),
                           (suppliers["Sol"], warehouses["BIL"])}
    sol_madrid = orders[suppliers["Sol"], warehouses["MAD"]]
    assert sol_madrid.state == DRAFT
    assert [(line.product_id, line.quantity, line.unit_price) for line in sol_madrid.lines] == [
        (products["BOLT"].id, Decimal(20), Decimal("0.40")), (products["NUT"].id, Decimal(20), Decimal("0.10"))]
    assert _lines(session, products, ("BOLT", "MAD"), ("ORPHAN", "MAD")) == _lines(session, products,
                                                                                 ("ORPHAN", "MAD"))


def test_a_product_without_a_preferred_supplier_is_named_and_nothing_is_ordered(buying):
    session, products, _warehouses, _suppliers = buying
    chosen = _lines(session, products, ("BOLT", "MAD"), ("ORPHAN", "MAD"))
    with pytest.raises(ValidationError, match=r"\[ORPHAN\] Orphan has no preferred supplier") as error:
        order_lines(session, line_ids=chosen)
    assert error.value.field == "line_ids"
    assert session.scalars(select(PurchaseOrder)).all() == []
    assert len(_lines(session, products, ("BOLT", "MAD"), ("ORPHAN", "MAD"))) == 2
