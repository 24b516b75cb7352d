"""The manufacturing UI from the generic views: work centres, bills of materials (components as lines; their
operations and by-products as records of their own), production orders (their page holds the buttons, the
components, the operations and the cost report)."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from core.bounds import fits_id
from core.errors import ValidationError
from core.models import Company
from core.web.context import can, db
from core.web.lines import given
from core.web.views import Filter, ModelView

from . import models as m
from .services import boms, production, reports, workcentres


class WorkCentreView(ModelView):
    def create(self, session, actor, values):
        return workcentres.create_workcentre(session, actor.company_id, **values)


class BomView(ModelView):
    importable = False  # components as lines: no flat file fits
    record_template = "manufacturing/bom_record.html"
    form_template = "core/lines_form.html"
    line_fields = ("product_id", "quantity", "uom_id", "scrap_percent")

    def form_class(self, session, record=None):
        from .bom_form import bom_form_class

        return bom_form_class(self, session, record)

    def create(self, session, actor, values):
        return boms.create_bom(session, actor.company_id, lines=given(values.pop("lines", None)) or [], **values)

    def update(self, session, actor, record, values):
        return boms.update_bom(session, record, lines=given(values.pop("lines", None)), **values)

    def record_context(self, record) -> dict:
        return {"can_write_bom": can(m.Bom, "write")}


class BomPartView(ModelView):
    """An operation or a by-product of a bill: added through the bill's service (its checks apply)."""

    importable = False
    part = ""

    def form_class(self, session, record=None):
        """The generic form, its bill preset from ``?bom_id=`` (the bill page's "Add an operation")."""
        base = super().form_class(session, record)

        class PartForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                preset = request.args.get("bom_id", type=int)
                if record is None and not self.is_submitted() and preset and fits_id(m.Bom.id, preset):
                    self.bom_id.data = preset

        return PartForm

    def create(self, session, actor, values):
        bom_id = values.pop("bom_id", None)
        bom = session.get(m.Bom, bom_id) if bom_id is not None else None
        if bom is None:
            raise ValidationError(_l("Choose the bill of materials."), "bom_id")
        return boms.add_part(session, bom, self.part, values)


class ProductionView(ModelView):
    importable = False  # states and moves: made by the services
    record_template = "manufacturing/production_record.html"
    status_field = "state"

    def create(self, session, actor, values):
        return production.create_production(session, actor.company_id, **values)

    def editable(self, record) -> bool:
        return record.state == m.DRAFT

    def record_context(self, record) -> dict:
        company = db().get(Company, record.company_id)
        return {"can_produce": can(m.Production, "write"), "report": reports.cost_report(db(), record),
                "currency": company.currency_code}


def manufacturing_views() -> tuple[ModelView, ...]:
    operations = type("OperationView", (BomPartView,), {"part": "operations"})
    byproducts = type("ByproductView", (BomPartView,), {"part": "byproducts"})
    return (
        WorkCentreView(m.WorkCentre, name="workcentre", slug="workcentres", label=_l("Work centre"),
                       label_plural=_l("Work centres"), search_fields=("code", "name")),
        BomView(m.Bom, name="bom", slug="boms", label=_l("Bill of materials"), label_plural=_l("Bills of materials"),
                search_fields=("note",), default_order="product_id",
                form_fields=("product_id", "kind", "quantity", "uom_id", "version", "valid_from", "valid_to",
                             "active", "note"),
                filters=(Filter("kits", _l("Kits"), lambda actor: m.Bom.kind == m.KIT),)),
        operations(m.BomOperation, name="bom_operation", slug="bom-operations", label=_l("Operation"),
                   label_plural=_l("Operations"), list_columns=("bom_id", "name", "workcentre_id", "minutes"),
                   form_fields=("bom_id", "sequence", "name", "workcentre_id", "minutes")),
        byproducts(m.BomByproduct, name="bom_byproduct", slug="bom-byproducts", label=_l("By-product"),
                   label_plural=_l("By-products"), list_columns=("bom_id", "product_id", "quantity", "cost_share"),
                   search_fields=(), form_fields=("bom_id", "product_id", "quantity", "uom_id", "cost_share")),
        ProductionView(m.Production, name="production", slug="productions", label=_l("Production order"),
                       label_plural=_l("Production orders"), search_fields=("name", "origin"),
                       default_order="scheduled_date", stage_field="state",
                       form_fields=("product_id", "bom_id", "quantity", "warehouse_id", "location_id",
                                    "scheduled_date", "origin"),
                       filters=(Filter("open", _l("To do"), lambda actor: m.Production.state.in_(
                           (m.CONFIRMED, m.PROGRESS))),)),
    )
