"""The purchase UI over the generic views: supplier prices, requests and orders, settings."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists

from core.db import utcnow
from core.errors import AccessDenied
from core.web.views import Filter, ModelView

from .models import (
    DRAFT,
    EDITABLE,
    PURCHASE,
    SENT,
    TO_APPROVE,
    OrderLine,
    PurchaseOrder,
    PurchaseSettings,
    SupplierPrice,
)
from .services import prices


class SupplierPriceView(ModelView):
    def create(self, session, actor, values):
        return prices.create_supplier_price(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return prices.update_supplier_price(session, record, **values)

    def delete(self, session, actor, record) -> None:
        prices.delete_supplier_price(session, record)


class OrderView(ModelView):
    """Requests and orders; the form holds the lines, the record page the actions (web.orders)."""

    importable = False  # lines and states: no flat file fits
    record_template = "purchase/order_record.html"
    form_template = "purchase/order_form.html"
    previews = True
    taxed_totals = False
    money_fields = ("amount_total",)
    status_field = "state"
    line_fields = ("product_id", "description", "quantity", "uom_id", "unit_price", "expected_date")

    @property
    def record_fields(self) -> tuple[str, ...]:
        return ("number", "state", "partner_id", "date_order", "currency_code", "supplier_reference", "user_id",
                "approved_by_id", "amount_total", "notes")

    def title(self, record) -> str:
        return record.display_name

    def editable(self, record) -> bool:
        return record.state in EDITABLE

    def display(self, record, field: str) -> str:
        if field == "number":
            return record.display_name
        return super().display(record, field)

    def form_class(self, session, record=None):
        from .web.order_form import order_form_class

        return order_form_class(self, session, record)

    def create(self, session, actor, values):
        from .web.order_form import save

        return save(session, actor, None, values)

    def preview(self, session, actor, record, values):
        from .web.order_form import preview

        return preview(session, actor, record, values)

    def update(self, session, actor, record, values):
        from .web.order_form import save

        return save(session, actor, record, values)

    def delete(self, session, actor, record) -> None:
        from .services.orders import delete_order

        delete_order(session, record)

    def record_context(self, record) -> dict:
        from .web.orders import order_page_context

        return order_page_context(record)


class SettingsView(ModelView):
    """A company's one settings row: changed, never created or deleted by hand (the services create it)."""

    importable = False

    def title(self, record) -> str:
        return str(self.label)

    def delete(self, session, actor, record) -> None:
        raise AccessDenied(gettext("The purchase settings of a company cannot be deleted."))


def _late(actor):
    today = utcnow().date()
    return (PurchaseOrder.state == PURCHASE) & exists().where(
        OrderLine.order_id == PurchaseOrder.id, OrderLine.expected_date < today,
        OrderLine.received_quantity < OrderLine.quantity)


def supplier_price_view() -> SupplierPriceView:
    return SupplierPriceView(
        SupplierPrice, name="supplier_price", slug="supplier-prices", label=_l("Supplier price"),
        label_plural=_l("Supplier prices"), search_fields=("supplier_code", "supplier_name"),
        default_order="product_id")


def order_view() -> OrderView:
    return OrderView(
        PurchaseOrder, name="order", slug="orders", label=_l("Purchase order"), label_plural=_l("Purchase orders"),
        list_columns=("number", "partner_id", "date_order", "amount_total", "state"),
        search_fields=("number", "partner_id.name"),
        form_fields=("partner_id", "date_order", "currency_code", "supplier_reference", "notes"),
        default_order="date_order",
        filters=(
            Filter("requests", _l("Requests for quotation"), lambda actor: PurchaseOrder.state.in_((DRAFT, SENT))),
            Filter("to_approve", _l("To approve"), lambda actor: PurchaseOrder.state == TO_APPROVE),
            Filter("confirmed", _l("Confirmed"), lambda actor: PurchaseOrder.state == PURCHASE),
            Filter("late", _l("Late receipts"), _late),
        ),
    )


def settings_view() -> SettingsView:
    return SettingsView(PurchaseSettings, name="settings", slug="settings", label=_l("Purchase settings"),
                        label_plural=_l("Purchase settings"), list_columns=("company_id", "approval_amount"),
                        search_fields=(), form_fields=("approval_amount",))
