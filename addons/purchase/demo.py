"""Demo purchasing for ``bottega demo``: price lists of a Spanish and an Italian supplier, an approval amount,
requests for quotation (draft and sent) and confirmed orders, one of them late. Everything goes through the
services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.contacts.models import Partner
from addons.products.models import Product

from .services.orders import confirm_order, create_order, mark_sent
from .services.prices import create_supplier_price
from .services.settings import set_approval_amount

LEVANTE, FIORENTINE = "Talleres Levante S.A.", "Officine Fiorentine S.p.A."
PRICES = (  # supplier, product, price, minimum, lead time, supplier's code and name, preferred
    (LEVANTE, "TORN-M6", "7.80", "0", 3, "TL-M6-100", None, True),
    (LEVANTE, "TORN-M6", "7.10", "50", 3, "TL-M6-100", None, True),
    (LEVANTE, "TALADRO-18V", "54.00", "0", 4, "TL-T18", None, False),
    (LEVANTE, "PINT-GR-L", "2.15", "0", 2, None, None, True),
    (FIORENTINE, "TALADRO-18V", "52.00", "0", 10, "OF-TR18", "Trapano a percussione 18 V", True),
    (FIORENTINE, "PINT-BL-5L", "13.40", "0", 7, "OF-BI5", "Idropittura bianca 5 l", True),
    (FIORENTINE, "PINT-BL-5L", "12.60", "40", 7, "OF-BI5", "Idropittura bianca 5 l", True),
)
ORDERS = (  # supplier, days ago, lines (product, quantity), what happens to it
    (FIORENTINE, 0, (("TALADRO-18V", "5"), ("PINT-BL-5L", "20")), "draft"),
    (LEVANTE, 1, (("PINT-GR-L", "60"),), "sent"),
    (LEVANTE, 20, (("TORN-M6", "100"), ("TALADRO-18V", "2")), "confirmed"),  # expected 16-17 days ago: late
    (FIORENTINE, 5, (("PINT-BL-5L", "48"),), "confirmed"),
)


def load(session, company) -> None:
    partners = {p.name: p for p in session.scalars(select(Partner).where(
        Partner.company_id == company.id, Partner.name.in_((LEVANTE, FIORENTINE))))}
    products = {p.code: p for p in session.scalars(select(Product).where(Product.company_id == company.id))}
    if len(partners) < 2:
        return  # the contacts demo was not loaded in this company
    set_approval_amount(session, company.id, amount=Decimal(2000))
    for supplier, code, price, minimum, lead_time, supplier_code, supplier_name, preferred in PRICES:
        create_supplier_price(session, company.id, product_id=products[code].id, supplier_id=partners[supplier].id,
                              price=Decimal(price), min_quantity=Decimal(minimum), lead_time=lead_time,
                              supplier_code=supplier_code, supplier_name=supplier_name, preferred=preferred)
    today = dt.date.today()
    for supplier, days_ago, lines, fate in ORDERS:
        order = create_order(session, company.id, partner_id=partners[supplier].id,
                             date_order=today - dt.timedelta(days=days_ago),
                             lines=[{"product_id": products[code].id, "quantity": Decimal(quantity)}
                                    for code, quantity in lines])
        if fate == "sent":
            mark_sent(session, order)
        elif fate == "confirmed":
            confirm_order(session, order)
