"""The sales UI over the generic views: quotations and orders, price lists and rules, teams, commission plans."""
from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import object_session, selectinload

from core.web.views import Filter, ListAction, ModelView

from .models import (
    CONFIRMED,
    DRAFT,
    EDITABLE,
    EXPIRED,
    INVOICE_STATUSES,
    PAYMENT_STATUSES,
    SENT,
    CommissionPlan,
    PriceList,
    PriceRule,
    SaleOrder,
    SalesTeam,
)
from .services import commission_plans, pricelists


class PriceListView(ModelView):
    importable = False  # kept through the services, which check the dates
    def create(self, session, actor, values):
        return pricelists.create_pricelist(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return pricelists.update_pricelist(session, record, **values)


class PriceRuleView(ModelView):
    importable = False  # kept through the services, which refuse overlapping quantities
    def title(self, record) -> str:
        return record.display_name

    def create(self, session, actor, values):
        return pricelists.create_rule(session, **values)

    def update(self, session, actor, record, values):
        return pricelists.update_rule(session, record, **values)

    def delete(self, session, actor, record) -> None:
        pricelists.delete_rule(session, record)


class CommissionPlanView(ModelView):
    """A commission plan and its bands, edited together and saved through the plans' service."""

    importable = False  # bands as lines: no flat file fits
    form_template = "core/lines_form.html"
    record_template = "sales/commission_plan_record.html"
    line_fields = ("amount_from", "amount_to", "rate")

    def form_class(self, session, record=None):
        from .web.commission_plan_form import commission_plan_form_class

        return commission_plan_form_class(self, session, record)

    def create(self, session, actor, values):
        bands = values.pop("lines", ())
        return commission_plans.save_plan(session, actor.company_id, None, bands=bands, **values)

    def update(self, session, actor, record, values):
        bands = values.pop("lines", ())
        return commission_plans.save_plan(session, record.company_id, record, bands=bands, **values)


def _invoice_selected(session, actor, orders):
    from .services.invoicing import invoice_selected

    return invoice_selected(session, orders)


def _to_invoice(actor):
    from .services.invoicing import to_invoice_clause

    return to_invoice_clause()


#: the ticked orders' draft invoices, one per customer and currency, from the orders list
INVOICE_SELECTED = ListAction(
    "invoice", _l("Create invoices (one per customer and currency)"), _invoice_selected,
    lambda count: ngettext("%(num)s order invoiced: its draft invoice is in Accounting, to check and post.",
                           "%(num)s orders invoiced: their draft invoices, one per customer and currency, are in "
                           "Accounting, to check and post.", count))


class OrderView(ModelView):
    """Quotations and orders; the form holds the lines, the record page the actions and margins (web.quotes)."""

    importable = False  # lines and states: no flat file fits
    history_below = True
    list_actions = (INVOICE_SELECTED,)
    record_template = "sales/quote_record.html"
    form_template = "sales/quote_form.html"
    previews = True
    money_fields = ("amount_untaxed", "amount_tax", "amount_total", "margin")
    status_field = "state"
    own_line_fields = ("kind", "product_id", "variant_values", "description", "quantity", "uom_id", "unit_price",
                       "discount", "tax_ids", "optional")

    @property
    def line_fields(self) -> tuple[str, ...]:
        """The line's own columns, then those installed addons add to lines (web.line_extensions)."""
        from core.web.context import db

        from .web.line_extensions import extension_field_names

        return self.own_line_fields + extension_field_names(db())

    @property
    def record_fields(self) -> tuple[str, ...]:
        return ("number", "state", "partner_id", "pricelist_id", "date_order", "validity_date", "currency_code",
                "payment_terms", "user_id", "team_id", "previous_id", "amount_untaxed", "amount_tax",
                "amount_total", "notes") + tuple(name for extension in self.extensions() for name in extension.fields)

    #: worked out from the order's invoices when shown (services.invoicing), not stored
    STATUSES = {"invoice_status": (_l("Invoicing"), INVOICE_STATUSES),
                "payment_status": (_l("Payment"), PAYMENT_STATUSES)}

    def title(self, record) -> str:
        return record.display_name

    def editable(self, record) -> bool:
        return record.state in EDITABLE

    def label_of(self, field: str) -> str:
        return str(self.STATUSES[field][0]) if field in self.STATUSES else super().label_of(field)

    @property
    def export_columns(self) -> tuple[str, ...]:
        """The stored fields only: the statuses are read from the invoices, not streamed row by row."""
        return tuple(name for name in super().export_columns if name not in self.STATUSES)

    def prefetch(self, session, rows) -> None:
        """The page's orders' lines in one query, and their invoicing in three (services.invoicing)."""
        from .services.invoicing import invoicing_of

        super().prefetch(session, rows)
        if rows:
            session.scalars(select(SaleOrder).where(SaleOrder.id.in_([row.id for row in rows]))
                            .options(selectinload(SaleOrder.lines))).all()
            g.sales_invoicing = invoicing_of(session, rows)

    def _invoicing(self, record):
        from .services.invoicing import invoicing_of

        known = g.get("sales_invoicing") or {}
        if record.id not in known:
            known = {**known, **invoicing_of(object_session(record), [record])}
            g.sales_invoicing = known
        return known[record.id]

    def display(self, record, field: str) -> str:
        if field in self.STATUSES:
            return str(dict(self.STATUSES[field][1])[getattr(self._invoicing(record), field)])
        if field in ("number", "previous_id") and (record if field == "number" else record.previous) is not None:
            return (record if field == "number" else record.previous).display_name
        return super().display(record, field)

    def form_class(self, session, record=None):
        from .web.quote_form import quote_form_class

        return quote_form_class(self, session, record)

    def create(self, session, actor, values):
        from .web.quote_form import save

        return save(session, actor, None, values)

    def update(self, session, actor, record, values):
        from .web.quote_form import save

        return save(session, actor, record, values)

    def preview(self, session, actor, record, values):
        from .web.quote_form import preview

        return preview(session, actor, record, values)

    def delete(self, session, actor, record) -> None:
        from .services.quotes import delete_quote

        delete_quote(session, record)

    def record_context(self, record) -> dict:
        from .web.quotes import quote_page_context

        return quote_page_context(record)


def sales_views() -> tuple[ModelView, ...]:
    return (
        OrderView(
            SaleOrder, name="order", slug="orders", label=_l("Quotation"), label_plural=_l("Quotations and orders"),
            list_columns=("number", "partner_id", "date_order", "validity_date", "user_id", "amount_total", "state",
                          "invoice_status", "payment_status"),
            search_fields=("number", "partner_id.name"),
            form_fields=("partner_id", "pricelist_id", "date_order", "validity_date", "currency_code",
                         "payment_terms", "user_id", "team_id", "notes"),
            default_order="date_order",
            filters=(
                Filter("quotations", _l("Quotations"), lambda actor: SaleOrder.state.in_((DRAFT, SENT))),
                Filter("orders", _l("Sales orders"), lambda actor: SaleOrder.state == CONFIRMED),
                Filter("to_invoice", _l("To invoice"), _to_invoice),
                Filter("expired", _l("Expired"), lambda actor: SaleOrder.state == EXPIRED),
                Filter("mine", _l("My quotations"), lambda actor: SaleOrder.user_id == actor.user_id),
            )),
        PriceListView(PriceList, name="pricelist", slug="pricelists", label=_l("Price list"),
                      label_plural=_l("Price lists")),
        PriceRuleView(PriceRule, name="price_rule", slug="price-rules", label=_l("Price rule"),
                      label_plural=_l("Price rules"), search_fields=("pricelist_id.name", "product_id.name"),
                      default_order="pricelist_id",
                      list_columns=("pricelist_id", "product_id", "category_id", "min_quantity", "max_quantity",
                                    "method", "fixed_price", "percent")),
        ModelView(SalesTeam, name="team", slug="teams", label=_l("Sales team"), label_plural=_l("Sales teams")),
        CommissionPlanView(CommissionPlan, name="commission_plan", slug="commission-plans",
                           label=_l("Commission plan"), label_plural=_l("Commission plans"),
                           form_fields=("name", "user_id", "team_id", "base", "trigger", "active")),
    )
