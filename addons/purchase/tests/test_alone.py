"""Purchase installed without accounting (nor stock): orders work in one currency, and say why they cannot convert."""
import datetime as dt
from decimal import Decimal

import pytest

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.models import PURCHASE
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase.services.prices import create_supplier_price
from core.errors import ValidationError
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

DAY = dt.date(2026, 6, 15)


def test_purchase_alone_orders_in_the_price_s_currency_and_refuses_to_convert(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["purchase"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert set(registry.installed) == {"contacts", "products", "purchase"}
        with actor_session(make_session_factory(engine), registry, None) as session:
            company_id = 1
            paint = create_product(session, company_id, code="PAINT", name="Vernice bianca")
            colori = create_partner(session, company_id, name="Colori Srl", is_company=True, lang="it")
            create_supplier_price(session, company_id, product_id=paint.id, supplier_id=colori.id,
                                  price=Decimal("20.00"), currency_code="USD")
            with pytest.raises(ValidationError) as error:
                create_order(session, company_id, partner_id=colori.id, date_order=DAY,
                             lines=[{"product_id": paint.id}])
            assert error.value.field == "lines-0-unit_price"
            assert str(error.value) == (
                "Line 1: No exchange rate is known for USD: without accounting, purchase does not convert "
                "currencies. Record the supplier's price in EUR, or make the order in USD.")
            order = create_order(session, company_id, partner_id=colori.id, date_order=DAY, currency_code="USD",
                                 lines=[{"product_id": paint.id, "quantity": 3}])
            confirm_order(session, order)
            assert (order.state, order.number, order.amount_total) == (PURCHASE, "PO/2026/00001", Decimal("60.00"))
            session.commit()
    finally:
        engine.dispose()
