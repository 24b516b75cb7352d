"""The order's PDF in the supplier's language, and sending it by email through the outbox to a real SMTP server."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.purchase.documents import order_pdf, render_order
from addons.purchase.models import PURCHASE, SENT, PurchaseOrder
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase.services.prices import create_supplier_price
from addons.purchase.services.sending import send_order
from core.config import load_config
from core.errors import ValidationError
from core.mail import Mail, deliver
from core.testing import free_port, pdf_text
from tests.test_mail import Inbox, SMTPServer, mail_settings

DAY = dt.date(2026, 6, 15)


@pytest.fixture
def orders(shop):
    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.paint.id, supplier_id=shop.ferreteria.id,
                          price=Decimal("18.00"), supplier_code="PB-5", supplier_name="Pintura blanca 5 l",
                          lead_time=3)
    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.paint.id, supplier_id=shop.colori.id,
                          price=Decimal("17.50"))

    def make(supplier, **values):
        return create_order(shop.buyer, shop.company.id, partner_id=supplier.id, date_order=DAY,
                            lines=[{"product_id": shop.paint.id, "quantity": 4}], **values)

    return make


@pytest.mark.parametrize(("supplier", "words"), [
    ("ferreteria", ["Solicitud de presupuesto", "[PB-5] Pintura blanca 5 l", "Unidad", "72,00", "18 de junio de 2026"]),
    ("colori", ["Richiesta di preventivo", "[PAINT] White paint 5 l", "Unità", "70,00", "15 giugno 2026"]),
])
def test_the_request_prints_in_the_supplier_s_language(shop, orders, supplier, words):
    order = orders(getattr(shop, supplier))
    text = pdf_text(render_order(shop.buyer, order))
    assert all(word in text for word in words), text
    assert order_pdf(shop.buyer, order).startswith(b"%PDF")
    english = pdf_text(render_order(shop.buyer, order, "en"))
    assert "Request for quotation" in english and "Please confirm prices and delivery dates" in english


def test_a_confirmed_order_prints_as_a_purchase_order(shop, orders):
    order = confirm_order(shop.buyer, orders(shop.ferreteria, supplier_reference="OF-77"))
    assert "Pedido de compra PO/2026/00001" in pdf_text(render_order(shop.buyer, order))


def test_sending_numbers_the_request_and_the_supplier_receives_its_pdf(shop, orders, tmp_path):
    order = orders(shop.ferreteria)
    mail = send_order(shop.buyer, order)
    shop.buyer.commit()
    assert (order.state, order.number) == (SENT, "PO/2026/00001")
    stored = shop.db.system().scalars(select(Mail).where(Mail.reference == f"purchase.order:{order.id}")).one()
    assert (stored.id, stored.to, stored.subject) == (mail.id, "pedidos@ferreteria-sol.es",
                                                      "Solicitud de presupuesto PO/2026/00001")
    assert stored.text == ("Buenos días:\n\nLe adjuntamos nuestra solicitud de presupuesto PO/2026/00001.\n\n"
                           f"{shop.company.name}")
    inbox = Inbox()
    server = SMTPServer(inbox, free_port()).start()
    try:
        path = tmp_path / "bottega.toml"
        path.write_text("[mail]\n" + "".join(f"{key} = {value!r}\n".replace("'", '"')
                                             for key, value in mail_settings(server.port).items()))
        assert deliver(load_config(path, environ={}), stored) == {}
    finally:
        server.stop()
    (_sender, recipients, message), = inbox.messages
    assert recipients == ["pedidos@ferreteria-sol.es"]
    (attachment,) = message.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content_type()) == ("PO-2026-00001.pdf", "application/pdf")
    assert attachment.get_content().startswith(b"%PDF")
    again = send_order(shop.buyer, shop.buyer.get(PurchaseOrder, order.id))  # sending again keeps it sent
    assert (again.subject, order.state) == ("Solicitud de presupuesto PO/2026/00001", SENT)


def test_a_confirmed_order_is_sent_as_an_order_and_stays_confirmed(shop, orders):
    order = confirm_order(shop.buyer, orders(shop.colori))
    mail = send_order(shop.buyer, order, to="Ufficio acquisti <acquisti@colori.it>")
    assert (mail.to, mail.subject, order.state) == ("Ufficio acquisti <acquisti@colori.it>",
                                                    "Ordine di acquisto PO/2026/00001", PURCHASE)
    assert mail.text.startswith("Buongiorno,\n\nIn allegato il nostro ordine di acquisto PO/2026/00001.")


def test_a_supplier_without_an_email_address_is_refused_and_nothing_changes(shop, orders):
    from addons.contacts.models import Partner

    system = shop.db.system()
    system.get(Partner, shop.ferreteria.id).email = None
    system.commit()
    shop.buyer.expire_all()
    order = orders(shop.ferreteria)
    with pytest.raises(ValidationError, match="Ferretería Sol S.L. has no email address") as error:
        send_order(shop.buyer, order)
    assert error.value.field == "to" and (order.state, order.number) == ("draft", None)
    with pytest.raises(ValidationError, match="not an email address"):
        send_order(shop.buyer, order, to="nobody")
    assert (order.state, order.number) == ("draft", None)
