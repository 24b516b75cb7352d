"""Real messages for the incoming-mail tests, built with the standard ``email`` package as a mail client would."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def message(*, to="sales@example.com", sender="Ana Ruiz <ana@customer.es>", subject="Prices for 40 chairs",
            text="Hello,\nwhat would 40 chairs cost?\nAna", html=None, message_id=None, references=(),
            attachments=(), headers=None) -> EmailMessage:
    """A message as a mail client sends it: text (and HTML) body, attachments as (name, type, bytes)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(1796000000)
    mail["Message-ID"] = message_id or make_msgid(domain="customer.es")
    if references:
        mail["In-Reply-To"] = references[-1]
        mail["References"] = " ".join(references)
    for name, value in (headers or {}).items():
        mail[name] = value
    if text is not None:
        mail.set_content(text)
    if html is not None:
        if text is None:
            mail.set_content(html, subtype="html")
        else:
            mail.add_alternative(html, subtype="html")
    for name, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return mail


def raw(mail: EmailMessage) -> bytes:
    return mail.as_bytes()
