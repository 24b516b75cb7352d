"""The company's minimum margin and credit policy on confirming a quotation, and a sales manager's approval:
who may give it, what it covers, and what voids it."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.accounting.services.books import partner_accounts
from addons.accounting.services.invoices import create_invoice, post_invoice
from addons.contacts.models import Partner
from addons.sales.models import APPROVAL, APPROVED, BLOCK, CONFIRMED, PENDING, REFUSED, WARN, SaleApproval
from addons.sales.services.approvals import ApprovalRequired, approve, concerns, refuse, request_approval
from addons.sales.services.quotes import confirm_quote, create_quote, update_quote
from addons.sales.services.settings import sales_settings, update_settings
from core.audit import AuditLog
from core.errors import AccessDenied, ValidationError
from core.testing import published, subscribe_webhook
from core.web.i18n import money

TODAY = dt.date.today()


def quote(shop, *lines, session=None):
    return create_quote(session or shop.ana, shop.company.id, partner_id=shop.iberica.id, date_order=TODAY,
                        lines=lines or [{"product_id": shop.drill.id, "quantity": 2}])


def rules(shop, **values):
    update_settings(shop.boss, shop.company.id, **values)
    shop.boss.commit()


def credit_limit(shop, limit):
    system = shop.db.system()
    row = partner_accounts(system, system.get(Partner, shop.iberica.id))
    row.credit_limit = Decimal(limit)
    system.commit()


def overdue_invoice(shop, amount):
    system = shop.db.system()
    invoice = create_invoice(system, partner_id=shop.iberica.id, date=TODAY - dt.timedelta(days=60),
                             lines=[{"description": "Old work", "unit_price": amount}])
    post_invoice(system, invoice)
    system.commit()
    return invoice


# --- settings ---------------------------------------------------------------------------------------------------

def test_a_company_without_settings_warns_and_has_no_minimum_margin(shop):
    found = sales_settings(shop.ana, shop.company.id)
    assert (found.min_margin_percent, found.margin_policy, found.credit_policy) == (None, WARN, WARN)
    assert concerns(shop.ana, quote(shop)) == []


def test_a_sales_manager_saves_the_settings_and_a_salesperson_cannot(shop):
    rules(shop, min_margin_percent="25.5", margin_policy=APPROVAL, credit_policy=BLOCK)
    found = sales_settings(shop.ana, shop.company.id)
    assert (found.min_margin_percent, found.margin_policy, found.credit_policy) == (Decimal("25.5"), APPROVAL, BLOCK)
    with pytest.raises(AccessDenied):
        update_settings(shop.ana, shop.company.id, min_margin_percent="0")


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"min_margin_percent": "-1"}, "min_margin_percent", "at least 0"),
    ({"min_margin_percent": "100.5"}, "min_margin_percent", "100"),
    ({"margin_policy": "block"}, "margin_policy", "block"),
    ({"credit_policy": "sometimes"}, "credit_policy", "sometimes"),
])
def test_bad_settings_are_refused_naming_the_field_and_nothing_changes(shop, values, field, words):
    rules(shop, min_margin_percent="20", margin_policy=WARN, credit_policy=WARN)
    with pytest.raises(ValidationError) as refused:
        update_settings(shop.boss, shop.company.id, **{"margin_policy": WARN, "credit_policy": WARN, **values})
    errors = getattr(refused.value, "errors", None) or {refused.value.field: str(refused.value)}
    assert field in errors and words in str(errors[field])
    shop.boss.rollback()
    found = sales_settings(shop.boss, shop.company.id)
    assert (found.min_margin_percent, found.margin_policy, found.credit_policy) == (Decimal(20), WARN, WARN)


# --- minimum margin ---------------------------------------------------------------------------------------------

def test_under_the_minimum_margin_with_warn_the_quote_is_confirmed_with_a_warning(shop):
    rules(shop, min_margin_percent="50", margin_policy=WARN)
    order = quote(shop)  # drills at 100, cost 60: 40%
    [concern] = concerns(shop.ana, order)
    assert concern.kind == "margin" and concern.policy == WARN
    assert "(40.0%)" in concern.text and "minimum of 50.00%" in concern.text
    assert confirm_quote(shop.ana, order).state == CONFIRMED


def test_at_or_over_the_minimum_margin_there_is_nothing_to_approve(shop):
    rules(shop, min_margin_percent="40", margin_policy=APPROVAL)
    order = quote(shop)
    shop.ana.commit()
    assert concerns(shop.ana, order) == []
    with pytest.raises(ValidationError, match="needs no approval"):
        request_approval(shop.ana, order)
    shop.ana.rollback()
    assert confirm_quote(shop.ana, order).state == CONFIRMED


def test_under_the_minimum_margin_a_manager_approves_then_the_salesperson_confirms(shop):
    rules(shop, min_margin_percent="50", margin_policy=APPROVAL)
    order = quote(shop)
    shop.ana.commit()
    with pytest.raises(ApprovalRequired, match="needs a sales manager's approval"):
        confirm_quote(shop.ana, order)
    shop.ana.rollback()
    assert order.state != CONFIRMED and not order.approvals  # nothing half-written

    asked = request_approval(shop.ana, order)
    shop.ana.commit()
    assert (asked.state, asked.requested_by_id, asked.kinds) == (PENDING, shop.users["ana"].id, "margin")
    with pytest.raises(ApprovalRequired, match="waiting for a sales manager"):
        confirm_quote(shop.ana, order)
    shop.ana.rollback()
    with pytest.raises(ValidationError, match="already been sent"):
        request_approval(shop.ana, order)
    shop.ana.rollback()

    decided = approve(shop.boss, shop.boss.get(SaleApproval, asked.id))
    shop.boss.commit()
    assert (decided.state, decided.decided_by_id) == (APPROVED, shop.users["boss"].id)
    assert decided.decided_at is not None
    system = shop.db.system()
    audit = system.scalars(select(AuditLog).where(AuditLog.table_name == "sales_approval",
                                                  AuditLog.record_id == asked.id, AuditLog.action == "update")).all()
    system.commit()
    assert [entry.user_id for entry in audit] == [shop.users["boss"].id]
    assert audit[0].changes["state"][1] == APPROVED

    shop.ana.expire_all()
    assert confirm_quote(shop.ana, shop.ana.get(type(order), order.id)).state == CONFIRMED


def test_an_approval_is_void_once_the_lines_change(shop):
    rules(shop, min_margin_percent="50", margin_policy=APPROVAL)
    order = quote(shop)
    asked = request_approval(shop.ana, order)
    shop.ana.commit()
    approve(shop.boss, shop.boss.get(SaleApproval, asked.id))
    shop.boss.commit()
    shop.ana.expire_all()
    order = update_quote(shop.ana, shop.ana.get(type(order), order.id),
                         lines=[{"product_id": shop.drill.id, "quantity": 3}])
    shop.ana.commit()
    with pytest.raises(ApprovalRequired, match="Ask for it"):
        confirm_quote(shop.ana, order)
    shop.ana.rollback()
    again = request_approval(shop.ana, order)  # asked again, for the quotation as it is now
    assert again.id != asked.id and again.state == PENDING


def test_a_manager_refuses_with_a_reason_and_the_salesperson_reads_it(shop):
    rules(shop, min_margin_percent="50", margin_policy=APPROVAL)
    order = quote(shop)
    asked = request_approval(shop.ana, order)
    shop.ana.commit()
    with pytest.raises(ValidationError, match="Say why") as refused:
        refuse(shop.boss, shop.boss.get(SaleApproval, asked.id), reason="   ")
    assert refused.value.field == "refusal_reason"
    shop.boss.rollback()
    refuse(shop.boss, shop.boss.get(SaleApproval, asked.id), reason="Too cheap for a new customer")
    shop.boss.commit()
    shop.ana.expire_all()
    with pytest.raises(ApprovalRequired, match="refused to approve .*: Too cheap for a new customer"):
        confirm_quote(shop.ana, shop.ana.get(type(order), order.id))
    shop.ana.rollback()
    assert shop.ana.get(SaleApproval, asked.id).state == REFUSED
    with pytest.raises(ValidationError, match="already decided"):
        approve(shop.boss, shop.boss.get(SaleApproval, asked.id))


# --- who may approve --------------------------------------------------------------------------------------------

def test_a_salesperson_cannot_approve_even_their_own_request(shop):
    rules(shop, min_margin_percent="50", margin_policy=APPROVAL)
    order = quote(shop)
    asked = request_approval(shop.ana, order)
    shop.ana.commit()
    with pytest.raises(AccessDenied):
        approve(shop.ana, asked)
    shop.ana.rollback()
    with pytest.raises(AccessDenied):
        refuse(shop.ana, shop.ana.get(SaleApproval, asked.id), reason="no")
    shop.ana.rollback()
    row = shop.ana.get(SaleApproval, asked.id)
    row.state = APPROVED  # around the service: the data layer refuses it too
    with pytest.raises(AccessDenied):
        shop.ana.flush()
    shop.ana.rollback()
    shop.ana.add(SaleApproval(company_id=shop.company.id, order_id=order.id, state=APPROVED, reasons="-",
                              kinds="margin", fingerprint="-", requested_at=dt.datetime(2027, 1, 1)))
    with pytest.raises(AccessDenied):
        shop.ana.flush()
    shop.ana.rollback()
    assert shop.boss.get(SaleApproval, asked.id).state == PENDING


def test_a_salesperson_cannot_ask_approval_for_a_teammate_s_quote(shop):
    rules(shop, min_margin_percent="50", margin_policy=APPROVAL)
    order = quote(shop)
    shop.ana.commit()
    with pytest.raises(AccessDenied):
        request_approval(shop.bruno, shop.bruno.get(type(order), order.id))
    shop.bruno.rollback()
    assert shop.boss.scalars(select(SaleApproval)).all() == []


# --- credit -----------------------------------------------------------------------------------------------------

def test_over_the_credit_limit_with_block_confirming_is_refused_naming_customer_limit_and_amounts(shop):
    rules(shop, credit_policy=BLOCK)
    credit_limit(shop, "150")
    order = quote(shop)  # 2 drills: 200 untaxed
    shop.ana.commit()
    total = money(order.amount_total, "EUR")
    with pytest.raises(ValidationError) as refused:
        confirm_quote(shop.ana, order)
    message = str(refused.value)
    assert "Ferretería Ibérica S.L." in message and money(Decimal(150), "EUR") in message and total in message
    assert "blocks" in message
    shop.ana.rollback()
    assert order.state != CONFIRMED
    with pytest.raises(ValidationError, match="needs no approval"):  # blocked is blocked: no approval to ask
        request_approval(shop.ana, order)


def test_the_quotation_itself_counts_toward_the_limit(shop):
    rules(shop, credit_policy=BLOCK)
    order = quote(shop)
    credit_limit(shop, str(order.amount_total))  # exactly the limit: not over it
    assert confirm_quote(shop.ana, order).state == CONFIRMED


def test_overdue_invoices_under_the_limit_are_a_credit_problem_too(shop):
    rules(shop, credit_policy=WARN)
    overdue_invoice(shop, "80")
    order = quote(shop)
    [concern] = concerns(shop.ana, order)
    assert concern.kind == "credit" and f"{money(Decimal(80), 'EUR')} of overdue invoices" in concern.text
    assert confirm_quote(shop.ana, order).state == CONFIRMED  # warn: confirmed all the same


def test_over_the_credit_limit_with_approval_a_manager_lets_it_through(shop):
    rules(shop, credit_policy=APPROVAL)
    overdue_invoice(shop, "80")
    credit_limit(shop, "100")
    order = quote(shop)
    shop.ana.commit()
    with pytest.raises(ApprovalRequired) as refused:
        confirm_quote(shop.ana, order)
    assert f"over their credit limit of {money(Decimal(100), 'EUR')}" in str(refused.value)
    assert f"({money(Decimal(80), 'EUR')} open plus {money(order.amount_total, 'EUR')}" in str(refused.value)
    shop.ana.rollback()
    asked = request_approval(shop.ana, order)
    shop.ana.commit()
    assert asked.kinds == "credit"
    approve(shop.boss, shop.boss.get(SaleApproval, asked.id))
    shop.boss.commit()
    shop.ana.expire_all()
    assert confirm_quote(shop.ana, shop.ana.get(type(order), order.id)).state == CONFIRMED


def test_an_approval_for_the_margin_does_not_cover_a_credit_problem(shop):
    rules(shop, min_margin_percent="50", margin_policy=APPROVAL, credit_policy=APPROVAL)
    order = quote(shop)
    asked = request_approval(shop.ana, order)
    shop.ana.commit()
    approve(shop.boss, shop.boss.get(SaleApproval, asked.id))
    shop.boss.commit()
    overdue_invoice(shop, "80")  # the customer fell behind after the approval
    shop.ana.expire_all()
    with pytest.raises(ApprovalRequired, match="overdue"):
        confirm_quote(shop.ana, shop.ana.get(type(order), order.id))


def test_confirming_a_quote_publishes_it_to_webhooks(shop):
    subscribe_webhook(shop.db, shop.ana, ["sales.order_confirmed"])
    order = quote(shop)
    assert published(shop.db, "sales.order_confirmed") == []
    confirm_quote(shop.ana, order)
    assert published(shop.db, "sales.order_confirmed") == [order.id]
