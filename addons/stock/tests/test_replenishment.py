"""Reorder rules, the replenishment job and its list, and the hooks other addons use (availability, ordering).

On the moves of test_reports: screws in MAD hold 11, with 20 to receive in 3
days and 6 to deliver in 10; paint holds 7 in MAD and 3 in BCN.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pluggy
import pytest
from sqlalchemy import select

from addons.stock import plugin
from addons.stock.models import ReorderRule, ReplenishmentLine
from addons.stock.replenishment import (
    create_rule,
    evaluate_rules,
    order_lines,
    ordering_available,
    suggested_quantity,
    update_rule,
)
from core import hookimpl, hookspecs
from core.availability import Availability
from core.errors import AccessDenied, ValidationError
from core.testing import published, subscribe_webhook

from .test_reports import TODAY, Books

D = Decimal


@pytest.fixture
def books(shop):
    return Books(shop)


def rule(books, product_id, warehouse, minimum, maximum, multiple=1, lead_days=0, **values):
    return create_rule(books.session, books.company_id, product_id=product_id, warehouse_id=warehouse.id,
                       min_quantity=D(minimum), max_quantity=D(maximum), multiple=D(multiple),
                       lead_days=lead_days, **values)


def listed(session):
    return session.execute(select(ReplenishmentLine.product_id, ReplenishmentLine.warehouse_id,
                                  ReplenishmentLine.forecast, ReplenishmentLine.quantity,
                                  ReplenishmentLine.date_needed)
                           .order_by(ReplenishmentLine.rule_id)).all()


@pytest.mark.parametrize(("forecast", "minimum", "maximum", "multiple", "expected"), [
    ("31", "30", "50", "12", "0"),       # at or above the minimum: nothing
    ("25", "30", "50", "12", "36"),      # 25 short of 50, in dozens: 3 dozens
    ("7", "10", "20", "1", "13"),
    ("-4", "0", "0", "5", "5"),          # negative forecast with no minimum: back to zero, in fives
    ("2.5", "3", "4", "0.5", "1.5"),
])
def test_suggested_quantity_reaches_the_maximum_in_multiples(forecast, minimum, maximum, multiple, expected):
    assert suggested_quantity(D(forecast), D(minimum), D(maximum), D(multiple)) == D(expected)


def test_the_job_lists_each_rule_below_its_minimum_with_the_forecast_at_the_date_needed(books):
    madrid, barcelona = books.shop.warehouse, books.bcn
    soon = rule(books, books.screw, madrid, 30, 50, 12, lead_days=5)  # 11 + 20 = 31 by then: enough
    paint = rule(books, books.paint, madrid, 10, 20)                    # 7: 13 to order
    rule(books, books.paint, barcelona, 4, 6, 2)                         # 3: 3 short of 6, in pairs: 4
    rule(books, books.screw, barcelona, 0, 0)                            # nothing there, nothing needed
    assert evaluate_rules(books.session, company_ids=[books.company_id]) != []
    assert listed(books.session) == [(books.paint, madrid.id, D(7), D(13), TODAY),
                                     (books.paint, barcelona.id, D(3), D(4), TODAY)]
    update_rule(books.session, soon, lead_days=12)  # by then the 6 delivered too: 25, order 36
    update_rule(books.session, paint, active=False)
    evaluate_rules(books.session, company_ids=[books.company_id])
    assert listed(books.session) == [(books.screw, madrid.id, D(25), D(36), TODAY + dt.timedelta(days=12)),
                                     (books.paint, barcelona.id, D(3), D(4), TODAY)]


def test_the_periodic_job_evaluates_every_company(books):
    rule(books, books.paint, books.shop.warehouse, 10, 20)
    job = next(job for job in plugin.register_jobs() if job.name == "stock.replenishment")
    assert job.schedule is not None

    @dataclass
    class Context:
        db: object

        def session(self):
            return self.db.system()

    books.session.commit()
    job.run(Context(books.shop.db))
    assert listed(books.session) == [(books.paint, books.shop.warehouse.id, D(7), D(13), TODAY)]


@pytest.mark.parametrize(("values", "field"), [
    ({"min_quantity": D(5), "max_quantity": D(2)}, "max_quantity"),
    ({"min_quantity": D(-1), "max_quantity": D(2)}, "min_quantity"),
    ({"multiple": D(0)}, "multiple"),
    ({"lead_days": -1}, "lead_days"),
    ({"warehouse_id": None}, "warehouse_id"),
])
def test_a_wrong_rule_is_refused_naming_the_field_and_nothing_is_written(books, values, field):
    fields = {"product_id": books.screw, "warehouse_id": books.shop.warehouse.id, "min_quantity": D(1),
              "max_quantity": D(2), **values}
    with pytest.raises(ValidationError) as error:
        create_rule(books.session, books.company_id, **fields)
    assert field in error.value.errors
    assert books.session.scalars(select(ReorderRule)).all() == []


def test_one_rule_per_product_and_warehouse_and_a_change_is_checked_too(books):
    kept = rule(books, books.screw, books.shop.warehouse, 1, 2)
    with pytest.raises(ValidationError) as error:
        rule(books, books.screw, books.shop.warehouse, 3, 4)
    assert error.value.field == "product_id"
    with pytest.raises(ValidationError) as error:
        update_rule(books.session, kept, max_quantity=D("0.5"))
    assert error.value.field == "max_quantity" and "below the minimum" in str(error.value)
    assert books.session.get(ReorderRule, kept.id).max_quantity == D(2)


def test_rules_and_the_list_are_for_stock_managers(books):
    rule(books, books.paint, books.shop.warehouse, 10, 20)
    db = books.shop.db
    clerk = db.as_user(db.user("mozo", groups=["stock.group_user"]))
    with pytest.raises(AccessDenied):
        clerk.scalars(select(ReorderRule)).all()
    with pytest.raises(AccessDenied):
        evaluate_rules(clerk, company_ids=[books.company_id])


def test_availability_through_the_plugin_manager(books):
    hook = books.session.info["registry"].hook
    found = hook.product_availability(session=books.session, company_id=books.company_id,
                                      product_ids=[books.screw, books.paint], date=TODAY + dt.timedelta(days=5))
    fifo = D("2.454545")  # the screws' cost under FIFO: what is left, 6 at 2.00 and 5 at 3.00, is 27.00 for 11
    assert found == {books.screw: Availability(D(11), D(31), fifo), books.paint: Availability(D(10), D(10), D("1.50"))}
    later = hook.product_availability(session=books.session, company_id=books.company_id,
                                      product_ids=[books.screw], date=TODAY + dt.timedelta(days=10))
    assert later == {books.screw: Availability(D(11), D(25), fifo)}


class Purchasing:
    """Stands for the purchase_stock bridge: makes one 'order' per line it is given."""

    @hookimpl
    def replenishment_proposed(self, session, lines):
        return [SimpleNamespace(display_name=f"RFQ {line.product.code} x {line.quantity.normalize():f}")
                for line in lines]


def implemented_by(monkeypatch, registry, *plugins) -> None:
    """Make ``replenishment_proposed`` answer as if only ``plugins`` implemented it (whatever the test
    database has installed, purchase_stock included), for this test."""
    manager = pluggy.PluginManager("bottega")
    manager.add_hookspecs(hookspecs)
    for implementation in plugins:
        manager.register(implementation)
    monkeypatch.setattr(registry.hook, "replenishment_proposed", manager.hook.replenishment_proposed)


def test_ordering_the_list_goes_to_the_addons_implementing_the_hook(books, monkeypatch):
    rule(books, books.paint, books.shop.warehouse, 10, 20)
    rule(books, books.paint, books.bcn, 4, 6, 2)
    evaluate_rules(books.session, company_ids=[books.company_id])
    lines = books.session.scalars(select(ReplenishmentLine).order_by(ReplenishmentLine.id)).all()
    registry = books.session.info["registry"]
    implemented_by(monkeypatch, registry)
    assert not ordering_available(books.session)
    with pytest.raises(ValidationError, match="No installed addon makes orders"):
        order_lines(books.session, line_ids=[lines[0].id])
    implemented_by(monkeypatch, registry, Purchasing())
    assert ordering_available(books.session)
    assert [order.display_name for order in order_lines(books.session, line_ids=[lines[0].id])] == ["RFQ PINT x 13"]
    assert books.session.scalars(select(ReplenishmentLine.id)).all() == [lines[1].id]
    with pytest.raises(ValidationError) as error:
        order_lines(books.session, line_ids=[])
    assert error.value.field == "line_ids"


def test_a_rule_newly_below_its_minimum_is_published_once(db, books):
    madrid = books.shop.warehouse
    subscribe_webhook(db, books.session, ["stock.below_minimum"])
    rule(books, books.paint, madrid, 10, 20)
    first = evaluate_rules(books.session, company_ids=[books.company_id])
    assert published(db, "stock.below_minimum") == first != []
    evaluate_rules(books.session, company_ids=[books.company_id])  # still below: not announced again
    assert published(db, "stock.below_minimum") == first
