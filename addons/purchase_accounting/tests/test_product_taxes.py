"""A bill made from a purchase order takes each product's default purchase taxes (accounting's: the product's,
its category's, the company's); a product without any takes the billing settings' tax."""
from decimal import Decimal

from addons.accounting.models import Invoice, ProductAccounting
from addons.purchase_accounting.models import ORDERED

from .conftest import confirmed_order, make_bill, set_policy


def test_bill_lines_take_the_products_purchase_taxes_else_the_settings_tax(shop):
    set_policy(shop, ORDERED, "P_IVA21")
    system = shop.books.session
    system.add(ProductAccounting(product_id=shop.bolts.id, company_id=shop.company.id,
                                 purchase_taxes=[shop.books.tax("P_IVA10")]))
    system.commit()
    order_id = confirmed_order(shop, (shop.bolts, 100, "0.50"), (shop.paint, 4, "24.75"))
    bill = shop.accountant.get(Invoice, make_bill(shop.billing, order_id))
    assert [(line.product.code, [tax.code for tax in line.taxes]) for line in bill.lines] == [
        ("BOLT", ["P_IVA10"]), ("PAINT", ["P_IVA21"])]
    assert bill.amount_tax == Decimal("5.00") + Decimal("20.79")
