"""Other addons' fields on the quotation line form (``register_extensions`` on ``SaleOrderLine``, e.g. the
warehouse of sales_stock), for users who may create and write them: a related record is a select, as the
line's product and unit are; the other kinds come from the generic form builder. A saved line shows its
side row's values."""
from __future__ import annotations

from sqlalchemy import select
from wtforms import SelectField

from core.fields import extension_values, extensions_of
from core.web.forms import display_name, form_field, select_choices
from core.web.lines import optional_int

from ..models import SaleOrderLine


def line_extensions(session) -> tuple:
    """The extensions of quotation lines the acting user may fill in."""
    return extensions_of(session.info.get("registry"), SaleOrderLine, session.info.get("actor"),
                         ("create", "write"))


def extension_field_names(session) -> tuple[str, ...]:
    return tuple(name for extension in line_extensions(session) for name in extension.fields)


def _line_field(session, found):
    if found.kind != "many2one":
        return form_field(found, session)
    statement = select(found.target).order_by(*found.target.__mapper__.primary_key)
    if found.domain is not None:
        statement = statement.where(found.domain(session.info.get("actor")))
    return SelectField(found.label, description=found.help or "", coerce=optional_int, choices=select_choices(
        [("", ""), *((row.id, display_name(row)) for row in session.scalars(statement))]))


def with_line_extensions(line_form, session):
    """``line_form`` plus the extension fields; a saved line shows its values."""
    extensions = line_extensions(session)
    if not extensions:
        return line_form
    fields = {name: _line_field(session, found) for extension in extensions for name, found in extension.fields.items()}

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        line_form.process(self, formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        if formdata is None and isinstance(obj, SaleOrderLine) and obj.id is not None:
            for name, value in extension_values(session, extensions, obj).items():
                self[name].data = value

    return type("ExtendedLineForm", (line_form,), {**fields, "process": process})
