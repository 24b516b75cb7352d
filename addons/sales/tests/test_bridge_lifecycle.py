"""Each of sales' cost bridges comes with the second of its two sides, whichever comes first, and leaves with
either: while it is there it answers ``sales_line_cost``."""
import pytest

from core.lifecycle import Lifecycle
from core.testing import initialized_database

BRIDGES = {"sales_stock": "stock", "sales_purchase": "purchase"}


def _answers(registry) -> set[str]:
    """The addons answering ``sales_line_cost`` in ``registry``."""
    return {impl.plugin_name for impl in registry.pm.hook.sales_line_cost.get_hookimpls()}


@pytest.mark.parametrize("sales_first", [True, False], ids=["sales first", "sales second"])
@pytest.mark.parametrize("bridge", sorted(BRIDGES))
def test_either_order_brings_the_bridge_and_uninstalling_the_other_side_takes_it_away(fresh_url, catalog, bridge,
                                                                                       sales_first):
    other = BRIDGES[bridge]
    first, second = ("sales", other) if sales_first else (other, "sales")
    engine = initialized_database(fresh_url, catalog, [first])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert bridge not in lifecycle.registry().installed
        lifecycle.run(lifecycle.plan_install([second]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"sales", other, bridge} <= set(lifecycle.registry().installed)
        assert bridge in _answers(lifecycle.registry())
        lifecycle.run(lifecycle.plan_uninstall(other))
        lifecycle = Lifecycle(engine, catalog)
        assert "sales" in lifecycle.registry().installed
        assert {other, bridge}.isdisjoint(lifecycle.registry().installed)
        assert bridge not in _answers(lifecycle.registry())
    finally:
        engine.dispose()
