"""A kit is delivered as its components (kits inside it opened too), never produced, never in stock."""
from decimal import Decimal

import pytest

from addons.manufacturing.services.production import create_production
from addons.stock.services.transfers import confirm_transfer, create_transfer, process_transfer
from core.errors import ValidationError

D = Decimal


def test_a_kit_s_delivery_moves_its_components(shop):
    chair, cushion, cover, foam = (shop.product("CHAIR"), shop.product("CUSHION"), shop.product("COVER"),
                                   shop.product("FOAM", uom="kg"))
    patio = shop.product("PATIO")
    shop.bom(cushion, (cover, 1), {"product_id": foam.id, "quantity": D(300), "uom_id": shop.unit("g")}, kind="kit")
    shop.bom(patio, (chair, 4), (cushion, 4), kind="kit")
    for product, quantity in ((chair, 10), (cover, 10), (foam, 5)):
        shop.receive(product, quantity, "3")
    delivery = create_transfer(shop.session, shop.company_id, kind="delivery", warehouse_id=shop.warehouse.id,
                               lines=[{"product_id": patio.id, "quantity": D(2)}])
    assert sorted((move.product.code, move.quantity) for move in delivery.moves) == [
        ("CHAIR", 8), ("COVER", 8), ("FOAM", D("2.4"))]
    confirm_transfer(shop.session, delivery)
    process_transfer(shop.session, delivery)
    assert (shop.on_hand(chair), shop.on_hand(cover), shop.on_hand(foam), shop.on_hand(patio)) == (
        2, 2, D("2.6"), 0)


def test_a_kit_is_not_manufactured(shop):
    box, item = shop.product("BOX"), shop.product("ITEM")
    shop.bom(box, (item, 2), kind="kit")
    with pytest.raises(ValidationError, match=r"\[BOX\] Product BOX is a kit: it is delivered as its components"):
        create_production(shop.session, shop.company_id, product_id=box.id, quantity=D(1),
                          warehouse_id=shop.warehouse.id)


def test_a_stock_clerk_without_manufacturing_rights_delivers_a_kit(shop, db):
    box, item = shop.product("BOX"), shop.product("ITEM")
    shop.bom(box, (item, 2), kind="kit")
    shop.receive(item, 4, "1")
    shop.session.commit()
    clerk = db.as_user(db.user("mozo", groups=["stock.group_user"]))
    delivery = create_transfer(clerk, shop.company_id, kind="delivery", warehouse_id=shop.warehouse.id,
                               lines=[{"product_id": box.id, "quantity": D(2)}])
    process_transfer(clerk, delivery)
    assert [(move.product_id, move.quantity, move.state) for move in delivery.moves] == [(item.id, 4, "done")]


def test_a_kit_sold_counts_as_delivered_by_the_sets_its_components_make_up(db_copy):
    """Sales counts a kit's line delivered from its components' moves: 2 patios ordered, the components of one and
    a half delivered at first (1 set), then the rest (2); kits inside the kit (the cushion) are made up first."""
    from sqlalchemy import select

    from addons.contacts.services import create_partner
    from addons.manufacturing.security import MANAGER
    from addons.sales.services.quotes import confirm_quote, create_quote
    from addons.sales_stock.models import SaleDelivery, SaleWarehouse
    from addons.stock.models import Transfer

    from .conftest import Workshop

    db = db_copy
    shop = Workshop(db.as_user(db.user("jefa", groups=[MANAGER, "stock.group_manager", "products.group_manager"])),
                    db.main_company.id)
    chair, cushion, cover, foam = (shop.product("CHAIR"), shop.product("CUSHION"), shop.product("COVER"),
                                   shop.product("FOAM", uom="kg"))
    patio = shop.product("PATIO")
    shop.bom(cushion, (cover, 1), {"product_id": foam.id, "quantity": D(300), "uom_id": shop.unit("g")}, kind="kit")
    shop.bom(patio, (chair, 4), (cushion, 4), kind="kit")
    for product, quantity in ((chair, 8), (cover, 8), (foam, 5)):
        shop.receive(product, quantity, "3")
    shop.session.commit()
    system = db.system()
    customer = create_partner(system, shop.company_id, name="Jardines S.L.", is_company=True)
    order = create_quote(system, shop.company_id, partner_id=customer.id, lines=[
        {"product_id": patio.id, "quantity": D(2), "unit_price": D(250)}])
    system.add(SaleWarehouse(order_id=order.id, warehouse_id=shop.warehouse.id))
    confirm_quote(system, order)
    system.commit()

    def delivery():
        return system.scalars(select(Transfer).join(SaleDelivery, SaleDelivery.transfer_id == Transfer.id)
                              .where(SaleDelivery.order_id == order.id)).one()

    first = delivery()
    backorder, _warnings = process_transfer(system, first, quantities={
        move.id: D(6) if move.product_id == chair.id else move.quantity for move in first.moves})  # 1 whole patio
    system.commit()
    system.expire_all()
    assert order.lines[0].qty_delivered == 1
    process_transfer(system, backorder)  # the 2 chairs left
    system.commit()
    system.expire_all()
    assert order.lines[0].qty_delivered == 2
