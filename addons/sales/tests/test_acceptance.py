"""The customer's side of a quotation, through the real pages: the salesperson mails it (PDF and link, in the
customer's language), the customer opens the link without logging in, sees the quotation (never a cost nor a
margin) and accepts it or declines it; every link that cannot be answered any more changes nothing."""
from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from addons.accounting.models import Tax
from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.models import CONFIRMED, DECLINED, REVISED, SENT, SaleOrder
from addons.sales.services import acceptance, quotes
from core import hookimpl
from core.config import load_config
from core.errors import ValidationError
from core.mail import Mail, deliver
from core.testing import free_port, pdf_text

SECRET = "test-secret-key-test-secret-key"  # the web fixture's [server] secret_key
LINK = re.compile(r"http://\S+(/sales/quote/\S+)")


def _quote(web, *, lang="es", email="compras@iberica.es"):
    """A draft quotation by ana to a customer speaking ``lang``: two drills with VAT, an optional installation."""
    system = web.db.system()
    company = web.db.main_company
    drill = create_product(system, company.id, code=f"DRILL-{lang}", name="Drill 18 V", list_price=Decimal(100),
                           cost=Decimal("61.37"))
    customer = create_partner(system, company.id, name="Ferretería Ibérica S.L.", is_company=True, lang=lang,
                              email=email)
    vat = system.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "S_VAT20"))
    system.commit()
    ana = web.db.user(f"ana-{lang}", groups=["sales.group_salesperson"])
    session = web.db.as_user(ana)
    order = quotes.create_quote(session, company.id, partner_id=customer.id, lines=[
        {"product_id": drill.id, "quantity": Decimal(2), "tax_ids": [vat.id]},
        {"description": "Installation", "unit_price": Decimal(80), "optional": True}])
    session.commit()
    return order.id, ana


def _mailed(web, login, order_id) -> tuple[Mail, str]:
    """The salesperson sends the quotation from its page; the outbox's mail and the path of its link."""
    salesperson = web.client()
    salesperson.login(login)
    salesperson.get(f"/sales/orders/{order_id}")
    sent = salesperson.post(f"/sales/orders/{order_id}/email", {"to": ""}, follow_redirects=True)
    assert "the mail leaves from the outbox" in sent.get_data(as_text=True)
    mail = web.db.system().scalars(select(Mail).where(Mail.reference == f"sales.order:{order_id}")).one()
    return mail, LINK.search(mail.text).group(1)


def _order(web, order_id) -> SaleOrder:
    return web.db.system().get(SaleOrder, order_id)


def _answers(order: SaleOrder) -> tuple:
    return order.state, order.accepted_by, order.accepted_at, order.customer_reference, order.decline_reason


def test_the_customer_gets_the_quote_by_mail_and_accepts_it_online_once(web):
    order_id, ana = _quote(web)
    mail, path = _mailed(web, ana.login, order_id)
    order = _order(web, order_id)
    assert order.state == SENT and order.number is not None
    assert mail.to == "compras@iberica.es" and mail.subject == f"Presupuesto {order.number}"
    assert "Puede leerlo, aceptarlo o rechazarlo aquí:" in mail.text
    [attachment] = mail.attachments
    assert attachment.filename == f"{order.number.replace('/', '-')}.pdf" and attachment.data.startswith(b"%PDF")

    customer = web.client()  # no login
    page = customer.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="es"' in html
    assert "Aceptar el presupuesto" in html and "Drill 18 V" in html and "Installation" in html
    assert "240,00" in html and "200,00" in html  # the total with VAT, the untaxed amount
    assert "61,37" not in html and "Margen" not in html and "Margin" not in html  # never the cost nor the margin
    assert 'class="topbar"' not in html and "/sales/orders" not in html  # nothing of the application around it

    missing = customer.post(f"{path}/accept", {"accepted_by": "  ", "customer_reference": "PO-77"})
    assert missing.status_code == 422 and "Escriba su nombre completo" in missing.get_data(as_text=True)
    assert _answers(_order(web, order_id)) == (SENT, None, None, None, None)

    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    accepted = customer.post(f"{path}/accept", {"accepted_by": "Marta Gómez", "customer_reference": "PO-77"})
    assert accepted.status_code == 302
    order = _order(web, order_id)
    assert (order.state, order.accepted_by, order.customer_reference) == (CONFIRMED, "Marta Gómez", "PO-77")
    assert order.accepted_at >= before and order.confirmed_at >= before
    done = customer.get(path).get_data(as_text=True)
    assert "Aceptado por Marta Gómez" in done and "Aceptar el presupuesto" not in done

    again = customer.post(f"{path}/accept", {"accepted_by": "Someone Else"})
    assert again.status_code == 409 and "Aceptado por Marta Gómez" in again.get_data(as_text=True)
    assert _answers(_order(web, order_id)) == _answers(order)
    declined_after = customer.post(f"{path}/decline", {"decline_reason": "Changed my mind"})
    assert declined_after.status_code == 409 and _order(web, order_id).state == CONFIRMED

    salesperson = web.client()
    salesperson.login(ana.login)
    own_page = salesperson.get(f"/sales/orders/{order_id}").get_data(as_text=True)
    assert "Accepted online by Marta Gómez" in own_page and "Customer reference: PO-77." in own_page
    assert "Emails sent" in own_page and "compras@iberica.es" in own_page


def test_the_pdf_behind_the_link_is_the_customers_and_in_their_language(web):
    order_id, ana = _quote(web, lang="it", email="ordini@rossi.it")
    mail, path = _mailed(web, ana.login, order_id)
    assert mail.subject.startswith("Preventivo ")
    pdf = web.client().get(f"{path}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    from addons.sales import documents

    text = pdf_text(documents.render_quote(web.db.system(), _order(web, order_id)))
    assert "Preventivo" in text and "61,37" not in text


def test_declining_needs_a_reason_and_the_salesperson_sees_it_and_can_revise(web):
    order_id, ana = _quote(web)
    _mail, path = _mailed(web, ana.login, order_id)
    customer = web.client()
    customer.get(path)
    refused = customer.post(f"{path}/decline", {"decline_reason": ""})
    assert refused.status_code == 422 and "Díganos por qué rechaza" in refused.get_data(as_text=True)
    assert _order(web, order_id).state == SENT
    assert customer.post(f"{path}/decline", {"decline_reason": "Too expensive for us"}).status_code == 302
    order = _order(web, order_id)
    assert (order.state, order.decline_reason, order.accepted_by) == (DECLINED, "Too expensive for us", None)
    assert order.declined_at is not None
    assert "Rechazó este presupuesto" in customer.get(path).get_data(as_text=True)

    salesperson = web.client()
    salesperson.login(ana.login)
    page = salesperson.get(f"/sales/orders/{order_id}").get_data(as_text=True)
    assert "Declined by the customer" in page and "Too expensive for us" in page and "New revision" in page
    assert f"/sales/orders/{order_id}/cancel" not in page
    revised = salesperson.post(f"/sales/orders/{order_id}/revise")
    assert revised.status_code == 302 and _order(web, order_id).state == REVISED

    replaced = customer.get(path)
    html = replaced.get_data(as_text=True)
    assert "sustituido por la revisión 1" in html and "Drill 18 V" not in html
    assert customer.post(f"{path}/decline", {"decline_reason": "Again"}).status_code == 409


def test_a_tampered_an_expired_and_an_outdated_link_change_nothing(web):
    order_id, ana = _quote(web)
    _mail, path = _mailed(web, ana.login, order_id)
    token = path.rsplit("/", 1)[1]
    customer = web.client()
    customer.get(path)
    tampered = f"/sales/quote/{token[:-2]}{'A' if token[-2] != 'A' else 'B'}{token[-1]}"
    assert customer.get(tampered).status_code == 404
    answer = customer.post(f"{tampered}/accept", {"accepted_by": "Marta Gómez"})
    assert answer.status_code == 404 and "This link is not valid" in answer.get_data(as_text=True)
    other_quote = acceptance.make_token("another-secret-another-secret", _order(web, order_id))
    assert customer.get(f"/sales/quote/{other_quote}").status_code == 404

    class Old(TimestampSigner):
        def get_timestamp(self):
            return int(time.time() - acceptance.LINK_MAX_AGE.total_seconds()) - 60

    old = URLSafeTimedSerializer(SECRET, salt=acceptance.SALT, signer=Old).dumps([order_id, 0])
    expired = customer.post(f"/sales/quote/{old}/accept", {"accepted_by": "Marta Gómez"})
    html = expired.get_data(as_text=True)
    assert expired.status_code == 409 and "Este presupuesto ha caducado" in html and "Drill 18 V" not in html
    assert _answers(_order(web, order_id)) == (SENT, None, None, None, None)

    system = web.db.system()
    system.get(SaleOrder, order_id).validity_date = dt.date.today() - dt.timedelta(days=1)
    system.commit()
    assert "Este presupuesto ha caducado" in customer.get(path).get_data(as_text=True)
    assert customer.post(f"{path}/accept", {"accepted_by": "Marta Gómez"}).status_code == 409
    assert _answers(_order(web, order_id)) == (SENT, None, None, None, None)


def test_an_answer_without_the_forms_csrf_token_is_refused(web):
    order_id, ana = _quote(web)
    _mail, path = _mailed(web, ana.login, order_id)
    customer = web.client()
    refused = customer.post(f"{path}/accept", {"accepted_by": "Marta Gómez"}, csrf=False)
    assert refused.status_code == 400 and _order(web, order_id).state == SENT


class _RefuseConfirmations:
    """A rule refusing every confirmation, as a credit check does for a blocked customer."""

    @hookimpl
    def sales_orders_changed(self, session, orders, deleting):
        if any(order.state == CONFIRMED for order in orders):
            raise ValidationError("Ferretería Ibérica S.L. is over its credit limit.", "partner_id")


def test_an_acceptance_a_rule_refuses_shows_why_and_changes_nothing(web):
    order_id, ana = _quote(web)
    _mail, path = _mailed(web, ana.login, order_id)
    customer = web.client()
    customer.get(path)
    plugin = _RefuseConfirmations()
    web.app.extensions["bottega"].registry.pm.register(plugin, name="refuse_confirmations")
    try:
        refused = customer.post(f"{path}/accept", {"accepted_by": "Marta Gómez", "customer_reference": "PO-1"})
    finally:
        web.app.extensions["bottega"].registry.pm.unregister(name="refuse_confirmations")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "over its credit limit" in html and "Aceptar el presupuesto" in html
    assert _answers(_order(web, order_id)) == (SENT, None, None, None, None)


def test_sending_needs_an_address_and_refuses_a_bad_one_leaving_the_quote_a_draft(web):
    order_id, ana = _quote(web, email=None)
    salesperson = web.client()
    salesperson.login(ana.login)
    salesperson.get(f"/sales/orders/{order_id}")
    page = salesperson.post(f"/sales/orders/{order_id}/email", {"to": ""}, follow_redirects=True)
    assert "has no email address" in page.get_data(as_text=True)
    page = salesperson.post(f"/sales/orders/{order_id}/email", {"to": "compras@"}, follow_redirects=True)
    assert "compras@ is not an email address." in page.get_data(as_text=True)
    order = _order(web, order_id)
    assert (order.state, order.number) == ("draft", None)
    assert not web.db.system().scalars(select(Mail).where(Mail.reference == f"sales.order:{order_id}")).all()


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(tmp_path):
    inbox, port = _Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    config = tmp_path / "mail.toml"
    config.write_text(f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nfrom_address = "ventas@bottega.example"\n')
    yield inbox, load_config(config, environ={})
    controller.stop()


def test_the_quotes_mail_reaches_a_real_smtp_server_with_its_pdf_and_link(web, smtp):
    inbox, config = smtp
    order_id, ana = _quote(web)
    mail, path = _mailed(web, ana.login, order_id)
    deliver(config, mail)
    [message] = inbox.messages
    assert message["To"] == "compras@iberica.es" and message["Subject"] == mail.subject
    assert path in message.get_body(("plain",)).get_content()
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_content().startswith(b"%PDF")


def test_answers_are_rate_limited_per_address_like_the_login(web):
    customer = web.client()
    customer.get("/sales/quote/not-a-token")
    answers = [customer.post(f"/sales/quote/not-a-token/{'accept' if n % 2 else 'decline'}",
                             {"accepted_by": "x"}).status_code for n in range(11)]
    assert answers == [404] * 10 + [429]


def test_only_who_may_change_the_quote_sends_it(web):
    order_id, _ana = _quote(web)
    web.db.user("carla", groups=["sales.group_salesperson"])  # another salesperson, in no team with ana
    carla = web.client()
    carla.login("carla")
    assert carla.post(f"/sales/orders/{order_id}/email", {"to": "spy@example.com"}).status_code == 404
    assert _order(web, order_id).state == "draft"
    assert not web.db.system().scalars(select(Mail).where(Mail.reference == f"sales.order:{order_id}")).all()
