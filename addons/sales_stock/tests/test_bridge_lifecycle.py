"""The bridge comes with the second of sales and stock, whichever comes first, and leaves with either."""
import pytest

from core.lifecycle import Lifecycle
from core.testing import initialized_database


def _answers(registry) -> set[str]:
    """The addons answering ``sales_line_cost`` in ``registry``."""
    return {impl.plugin_name for impl in registry.pm.hook.sales_line_cost.get_hookimpls()}


@pytest.mark.parametrize(("first", "second"), [("sales", "stock"), ("stock", "sales")])
def test_either_order_brings_the_bridge_and_uninstalling_stock_takes_it_away(fresh_url, catalog, first, second):
    engine = initialized_database(fresh_url, catalog, [first])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert "sales_stock" not in lifecycle.registry().installed
        lifecycle.run(lifecycle.plan_install([second]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"sales", "stock", "sales_stock"} <= set(lifecycle.registry().installed)
        assert "sales_stock" in _answers(lifecycle.registry())
        lifecycle.run(lifecycle.plan_uninstall("stock"))
        lifecycle = Lifecycle(engine, catalog)
        assert "sales" in lifecycle.registry().installed
        assert {"stock", "sales_stock"}.isdisjoint(lifecycle.registry().installed)
        assert "sales_stock" not in _answers(lifecycle.registry())
    finally:
        engine.dispose()
