"""Demo sales for ``bottega demo``: a sales team, a distributors' price list given to the Spanish hardware
store, quotations (a draft, a sent one with an optional line, a revised one, one the customer accepted online
with their order number, one they declined with their reason) and orders (drills invoiced on delivery with
a 30% down payment; an order invoiced in full). Everything goes through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.models import Tax
from addons.accounting.models.ledger import SALE
from addons.contacts.models import Partner
from addons.products.models import Product, ProductCategory
from core.models import User

from .models import CATEGORY, COST, DELIVERED, FIXED, LIST, PRODUCT, WARN, SalesPartner, SalesProduct, SalesTeam
from .services.invoicing import invoice_down_payment, invoice_orders
from .services.pricelists import create_pricelist, create_rule
from .services.acceptance import accept_quote, decline_quote
from .services.quotes import confirm_quote, create_quote, mark_sent, revise_quote
from .services.settings import update_settings

IBERICA, ROSSI, PANADERIA = "Ferretería Ibérica S.L.", "Rossi Arredamenti S.r.l.", "Panadería del Sol"
RULES = (  # applies to, product code or category, from, up to, method, fixed price, percent
    (PRODUCT, "TORN-M6", "0", "10", FIXED, "11.90", "0"),
    (PRODUCT, "TORN-M6", "10", None, LIST, None, "-12"),
    (CATEGORY, "Herramientas eléctricas", "0", None, LIST, None, "-8"),
    (PRODUCT, "CONS-H", "0", None, COST, None, "40"),
)
QUOTES = (  # customer, days ago, lines (product, quantity, optional), what happens to it
    (IBERICA, 0, (("TORN-M6", "25", False), ("TALADRO-18V", "2", False), ("MANT-MES", "1", True)), "sent"),
    (ROSSI, 3, (("PINT-BL-5L", "12", False), ("CONS-H", "6", False)), "draft"),
    (IBERICA, 12, (("TALADRO-18V", "5", False),), "confirmed"),
    (PANADERIA, 20, (("CONS-H", "4", False),), "revised"),
    (ROSSI, 8, (("PINT-BL-5L", "4", False),), "invoiced"),
    (IBERICA, 6, (("TORN-M6", "50", False), ("CONS-H", "10", False)), "accepted"),
    (ROSSI, 9, (("PINT-BL-5L", "30", False),), "declined"),
)
#: invoiced as they are delivered (the other products: as they are ordered)
ON_DELIVERY = ("TALADRO-18V",)


def load(session, company) -> None:
    partners = {p.name: p for p in session.scalars(select(Partner).where(
        Partner.company_id == company.id, Partner.name.in_((IBERICA, ROSSI, PANADERIA))))}
    products = {p.code: p for p in session.scalars(select(Product).where(Product.company_id == company.id))}
    if len(partners) < 3 or "TORN-M6" not in products:
        return  # the contacts or products demo was not loaded in this company
    categories = {c.name: c for c in session.scalars(select(ProductCategory).where(
        ProductCategory.company_id == company.id))}
    admin = session.scalar(select(User).where(User.login == "admin"))
    team = SalesTeam(company_id=company.id, name="Ventas directas", members=[admin] if admin else [])
    session.add(team)
    today = dt.date.today()
    distributors = create_pricelist(session, company.id, name=f"Distribuidores {today.year}",
                                    currency_code=company.currency_code, date_start=today.replace(month=1, day=1),
                                    date_end=today.replace(month=12, day=31))
    for applies_to, target, minimum, maximum, method, fixed, percent in RULES:
        create_rule(session, distributors.id, applies_to=applies_to,
                    product_id=products[target].id if applies_to == PRODUCT else None,
                    category_id=categories[target].id if applies_to == CATEGORY else None,
                    min_quantity=Decimal(minimum), max_quantity=Decimal(maximum) if maximum else None,
                    method=method, fixed_price=Decimal(fixed) if fixed else None, percent=Decimal(percent))
    session.add(SalesPartner(partner_id=partners[IBERICA].id, company_id=company.id, pricelist_id=distributors.id))
    session.add_all(SalesProduct(product_id=products[code].id, company_id=company.id, invoice_policy=DELIVERED)
                    for code in ON_DELIVERY if code in products)
    session.flush()
    vat = session.scalar(select(Tax).where(Tax.company_id == company.id, Tax.use == SALE, Tax.active.is_(True),
                                           Tax.percent > 0).order_by(Tax.percent.desc()).limit(1))
    for customer, days_ago, lines, fate in QUOTES:
        date = today - dt.timedelta(days=days_ago)
        order = create_quote(session, company.id, partner_id=partners[customer].id, date_order=date,
                             validity_date=date + dt.timedelta(days=30), payment_terms="30 días",
                             user_id=admin.id if admin else None,
                             lines=[{"product_id": products[code].id, "quantity": Decimal(quantity),
                                     "optional": optional, "tax_ids": [vat.id] if vat else []}
                                    for code, quantity, optional in lines])
        if fate == "sent":
            mark_sent(session, order, today=date)
        elif fate == "confirmed":
            confirm_quote(session, order, today=date)
            invoice_down_payment(session, order, percent=Decimal(30), date=date)
        elif fate == "invoiced":
            confirm_quote(session, order, today=date)
            invoice_orders(session, [order], date=date)
        elif fate == "revised":
            mark_sent(session, order, today=date)
            revise_quote(session, order, today=today)
        elif fate == "accepted":
            mark_sent(session, order, today=date)
            accept_quote(session, order, name="Lucía Fernández", customer_reference="PED-2026-114", today=date)
        elif fate == "declined":
            mark_sent(session, order, today=date)
            decline_quote(session, order, reason="Hemos encontrado la pintura más barata en otro proveedor.")
    # set after the quotations above were confirmed: the open ones under 45% show the warning on their page
    update_settings(session, company.id, min_margin_percent=Decimal(45), margin_policy=WARN, credit_policy=WARN)
