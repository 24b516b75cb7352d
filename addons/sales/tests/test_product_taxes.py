"""Quotation lines take the product's default sales taxes (accounting's: the product's, its category's, the
company's) when the caller gives no tax ids; taxes given, even none, stay as given."""
from addons.accounting.models import CategoryAccounting, ProductAccounting
from addons.sales.services.quotes import create_quote


def test_a_quote_line_without_tax_ids_takes_the_products_sales_taxes(shop):
    system = shop.db.system()
    system.add_all([ProductAccounting(product_id=shop.drill.id, company_id=shop.company.id, sales_taxes=[
                        system.merge(shop.reduced)]),
                    CategoryAccounting(category_id=shop.tools.id, company_id=shop.company.id,
                                       sales_taxes=[system.merge(shop.vat)])])
    system.commit()
    order = create_quote(shop.ana, shop.company.id, partner_id=shop.iberica.id, lines=[
        {"product_id": shop.drill.id, "quantity": 1},  # its own
        {"product_id": shop.bolts.id, "quantity": 10},  # its category's
        {"product_id": shop.drill.id, "quantity": 1, "tax_ids": []},  # none, as asked
        {"product_id": shop.drill.id, "quantity": 1, "tax_ids": [shop.vat.id]},  # as given
        {"product_id": shop.free.id, "quantity": 1, "unit_price": "0"},  # nothing anywhere, no company default
        {"description": "Free text", "unit_price": "5"},
    ])
    assert [[tax.code for tax in line.taxes] for line in order.lines] == [
        [shop.reduced.code], [shop.vat.code], [], [shop.vat.code], [], []]
