"""Who may do what: a manufacturing user makes and processes orders but keeps no bills nor work centres; every
user sees only their companies' bills and orders."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.manufacturing.models import Bom, Production
from addons.manufacturing.services.boms import create_bom
from addons.manufacturing.services.production import confirm_production, create_production, produce
from addons.manufacturing.services.workcentres import create_workcentre
from addons.products.services import create_product
from core.errors import AccessDenied

D = Decimal


def test_a_user_produces_but_keeps_no_bills_nor_work_centres(db, shop, tables):
    shop.session.commit()
    worker = db.as_user(db.user("operario", groups=["manufacturing.group_user"]))
    production = create_production(worker, shop.company_id, product_id=tables.table.id, quantity=D(1),
                                   warehouse_id=shop.warehouse.id)
    produce(worker, confirm_production(worker, production), quantity=D(1))
    assert production.state == "done"
    with pytest.raises(AccessDenied):
        create_bom(worker, shop.company_id, product_id=tables.table.id, version=9,
                   lines=[{"product_id": tables.leg.id, "quantity": D(1)}])
    worker.rollback()
    with pytest.raises(AccessDenied):
        create_workcentre(worker, shop.company_id, code="X", name="X")


def test_bills_and_orders_of_another_company_are_not_seen(db, shop, tables):
    other = db.company("Officina Srl")
    system = db.system()
    lamp, bulb = (create_product(system, other.id, code=code, name=code) for code in ("LAMP", "BULB"))
    create_bom(system, other.id, product_id=lamp.id, lines=[{"product_id": bulb.id, "quantity": D(1)}])
    system.commit()
    shop.session.commit()
    assert shop.session.scalars(select(Bom.product_id)).all() == [tables.table.id]
    order = create_production(shop.session, shop.company_id, product_id=tables.table.id, quantity=D(1),
                              warehouse_id=shop.warehouse.id)
    shop.session.commit()
    outsider = db.as_user(db.user("altro", groups=["manufacturing.group_manager"], companies=[other]),
                          company_ids=[other.id])
    assert outsider.scalars(select(Production.id)).all() == []
    assert outsider.scalars(select(Bom.product_id)).all() == [lamp.id]
    assert shop.session.scalars(select(Production.id)).all() == [order.id]
