from addons.sales.tests.conftest import shop  # noqa: F401 (the sales fixtures these tests build on)
from addons.sales.tests.test_commissions import sales  # noqa: F401
