"""Accounting: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_record_rules():
    from .security import RULES

    return RULES


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def after_install(session):
    from .services.books import set_up_missing_books
    from .services.mail_templates import ensure_invoice_templates

    set_up_missing_books(session)
    ensure_invoice_templates(session)


@hookimpl
def mail_attachments(session, actor, record):
    from core.chatter.composer import Document

    from .documents.pdf import invoice_filename, invoice_pdf
    from .models import Invoice

    if isinstance(record, Invoice):
        return (Document(invoice_filename(record), "application/pdf", lambda: invoice_pdf(session, record)),)
    return ()


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from . import guards
    from .models import PartnerAccounting
    from .services.books import complete_partner_rows

    complete_partner_rows(session, [o for o in (*new, *dirty) if isinstance(o, PartnerAccounting)])
    guards.validate_flush(session, new, dirty, deleted)


@hookimpl
def validate_rows(session, model, operation, rows):
    from . import guards

    guards.validate_rows(session, model, operation, rows)


@hookimpl
def register_extensions():
    from addons.contacts.models import Partner
    from addons.products.models import Product, ProductCategory
    from core.fields import Extension

    from .models import CategoryAccounting, PartnerAccounting, ProductAccounting

    return [Extension(Partner, PartnerAccounting), Extension(Product, ProductAccounting),
            Extension(ProductCategory, CategoryAccounting)]


@hookimpl
def register_views():
    from .views import accounting_views

    return accounting_views()


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def partner_summary(session, actor, partner):
    from .panels import partner_panels

    return partner_panels(session, actor, session.info["registry"], partner)


@hookimpl
def exchange_rate(session, company_id, currency_code, date):
    from core.sessions import system_rows

    from .services.currency import rate_at

    with system_rows(session) as system:  # rates are no secret: a user without accounting's access converts too
        return rate_at(system, company_id, currency_code, date=date)


@hookimpl
def partner_merge_blockers(session, source, target):
    from .services.ledger import partner_merge_blockers as blockers

    return blockers(session, source, target)


@hookimpl
def dashboard_tiles(session, actor):
    from .dashboard import tiles

    return tiles(session, actor, session.info["registry"])


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)


@hookimpl
def record_smart_buttons(model):
    """A partner's customer invoices and supplier bills."""
    from flask_babel import lazy_gettext as _l

    from addons.contacts.models import Partner
    from core.web.smart_buttons import SmartButton

    if model is not Partner:
        return []
    return [SmartButton(Partner, _l("Invoices"), "accounting.invoice_list", "partner_id", 30),
            SmartButton(Partner, _l("Bills"), "accounting.bill_list", "partner_id", 35)]


@hookimpl
def register_webhook_events():
    from flask_babel import lazy_gettext as _l

    from core.webhooks import WebhookEvent

    from .models import Invoice

    return (WebhookEvent("accounting.invoice_posted", _l("Invoice posted"), Invoice),
            WebhookEvent("accounting.invoice_paid", _l("Invoice paid"), Invoice))


@hookimpl
def invoice_posted(session, invoice):
    from core.webhooks import publish

    publish(session, "accounting.invoice_posted", [invoice.id])


@hookimpl
def invoice_paid(session, invoice):
    from core.webhooks import publish

    publish(session, "accounting.invoice_paid", [invoice.id])


@hookimpl
def register_api_actions():
    from .api import api_actions

    return api_actions()
