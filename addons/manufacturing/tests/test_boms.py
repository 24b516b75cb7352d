"""Bills of materials: multi-level explosion with units and scrap, versions by date, kits, and the refusals (a
cycle at any depth, through versions and kits; a unit that does not convert)."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from addons.manufacturing.models import Bom, BomLine
from addons.manufacturing.services.boms import update_bom
from addons.manufacturing.services.explode import explode
from core.errors import ValidationError

D = Decimal


def test_a_two_level_bill_explodes_to_its_leaves_in_their_own_units_with_scrap(shop):
    table, leg, top, screw, wood = (shop.product("TABLE"), shop.product("LEG"), shop.product("TOP"),
                                    shop.product("SCREW"), shop.product("WOOD", uom="kg"))
    shop.bom(table, (leg, 4), (top, 1), {"product_id": screw.id, "quantity": D(16), "scrap_percent": D(25)})
    shop.bom(leg, {"product_id": wood.id, "quantity": D(500), "uom_id": shop.unit("g")}, quantity=D(1))
    explosion = explode(shop.session, table, D(2))
    assert [(line.product_id, line.quantity.normalize(), line.level, line.is_leaf) for line in explosion.lines] == [
        (leg.id, D(8), 1, False), (top.id, D(2), 1, True), (screw.id, D(40), 1, True), (wood.id, D(4), 2, True)]
    assert explosion.leaves() == {top.id: D(2), screw.id: D(40), wood.id: D(4)}
    only_kits = explode(shop.session, table, D(2), kits_only=True)
    assert [line.product_id for line in only_kits.lines] == [leg.id, top.id, screw.id]


def test_the_bill_valid_on_the_date_is_chosen(shop):
    chair, oak, pine = shop.product("CHAIR"), shop.product("OAK"), shop.product("PINE")
    shop.bom(chair, (oak, 2), version=1, valid_to=dt.date(2026, 6, 30))
    shop.bom(chair, (pine, 3), version=2, valid_from=dt.date(2026, 7, 1))
    assert explode(shop.session, chair, D(1), on=dt.date(2026, 6, 30)).leaves() == {oak.id: D(2)}
    assert explode(shop.session, chair, D(1), on=dt.date(2026, 7, 1)).leaves() == {pine.id: D(3)}
    assert explode(shop.session, shop.product("NOTHING"), D(1)).lines == []


def test_a_bill_that_needs_itself_is_refused_naming_the_chain(shop):
    a, b, c = shop.product("A"), shop.product("B"), shop.product("C")
    with pytest.raises(ValidationError, match="would need its own product: A → A"):
        shop.bom(a, (a, 1))
    shop.bom(a, (b, 1))
    shop.bom(b, (c, 2), version=1)
    before = shop.session.scalar(select(func.count()).select_from(BomLine))
    with pytest.raises(ValidationError, match="would need its own product: B → A → B") as error:
        shop.bom(b, (a, 1), version=2, valid_from=dt.date(2030, 1, 1))  # another version, valid later
    assert error.value.field == "lines"
    with pytest.raises(ValidationError, match="would need its own product: C → A → B → C"):
        shop.bom(c, (a, 1), kind="kit")
    assert shop.session.scalar(select(func.count()).select_from(BomLine)) == before
    assert shop.session.scalar(select(func.count()).select_from(Bom).where(Bom.product_id == c.id)) == 0


def test_a_change_that_makes_a_cycle_is_refused_and_the_bill_is_unchanged(shop):
    a, b = shop.product("A"), shop.product("B")
    bill_a = shop.bom(a, (b, 1))
    bill_b = shop.bom(b, (shop.product("C"), 1))
    with pytest.raises(ValidationError, match="B → A → B"):
        update_bom(shop.session, bill_b, lines=[{"product_id": a.id, "quantity": D(1)}])
    shop.session.expire_all()
    assert [line.product.code for line in bill_b.lines] == ["C"]
    assert [line.product.code for line in bill_a.lines] == ["B"]


def test_a_component_unit_that_does_not_convert_is_refused_naming_the_component_and_both_units(shop):
    table, leg = shop.product("TABLE"), shop.product("LEG")
    with pytest.raises(ValidationError) as error:
        shop.bom(table, {"product_id": leg.id, "quantity": D(2), "uom_id": shop.unit("kg")})
    assert str(error.value) == ("Line 1: [LEG] Product LEG: its unit Kilogram cannot convert to LEG's stock unit "
                                "Unit.")
    assert error.value.field == "lines-0-uom_id"
    assert shop.session.scalar(select(func.count()).select_from(Bom).where(Bom.product_id == table.id)) == 0


def _statements_to_explode(shop, width: int) -> int:
    """Statements sent to explode a 3-level bill whose every assembly has ``width`` sub-assemblies."""
    top = shop.product(f"TOP{width}")
    level = [top]
    for depth in range(3):
        children = []
        for parent in level:
            made = [shop.product(f"W{width}-{depth}-{parent.id}-{n}") for n in range(width)]
            shop.bom(parent, *((child, 1) for child in made))
            children += made
        level = children
    engine = shop.session.connection().engine
    sent = []
    listener = lambda *args: sent.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        explosion = explode(shop.session, top, D(1))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(explosion.leaves()) == width ** 3
    return len(sent)


def test_explosion_sends_a_few_statements_per_level_whatever_the_width(shop):
    assert _statements_to_explode(shop, 2) == _statements_to_explode(shop, 4)
