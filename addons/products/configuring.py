"""Keeping attributes, their values, and the values (with price extras) configurable products offer; a change of
extra re-prices the variants (:func:`.variants.sync_prices`)."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean

from .attributes import Attribute, AttributeValue, OfferedValue
from .models import Product
from .variants import sync_prices



def create_attribute(session: Session, company_id: int, **values) -> Attribute:
    values = clean(Attribute, values, session=session)
    _name_free(session, Attribute, Attribute.company_id == company_id, values.get("name"))
    attribute = Attribute(company_id=company_id, **values)
    session.add(attribute)
    session.flush()
    return attribute


def update_attribute(session: Session, attribute: Attribute, **values) -> Attribute:
    values = clean(Attribute, values, record=attribute, session=session)
    _name_free(session, Attribute, Attribute.company_id == attribute.company_id, values.get("name"), attribute.id)
    return _write(session, attribute, values)


def create_value(session: Session, company_id: int, **values) -> AttributeValue:
    values = clean(AttributeValue, values, session=session)
    attribute = session.get(Attribute, values["attribute_id"])
    if attribute.company_id != company_id:
        raise ValidationError(gettext("Choose an attribute of this company."), "attribute_id")
    _name_free(session, AttributeValue, AttributeValue.attribute_id == attribute.id, values.get("name"))
    value = AttributeValue(company_id=company_id, **values)
    session.add(value)
    session.flush()
    return value


def update_value(session: Session, value: AttributeValue, **values) -> AttributeValue:
    values = clean(AttributeValue, values, record=value, session=session)
    if values.get("attribute_id", value.attribute_id) != value.attribute_id:
        raise ValidationError(gettext("A value stays with its attribute: add a new value to the other one."),
                              "attribute_id")
    _name_free(session, AttributeValue, AttributeValue.attribute_id == value.attribute_id, values.get("name"),
               value.id)
    return _write(session, value, values)


def _name_free(session: Session, model, scope, name: str | None, exclude_id: int | None = None) -> None:
    query = select(model.id).where(scope, model.name == name)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if name and session.scalar(query) is not None:
        raise ValidationError(gettext("The name %(name)s is already used here.", name=name), "name")


def offer_value(session: Session, company_id: int, **values) -> OfferedValue:
    """``product_id`` offers ``value_id``, with its ``price_extra``; the variants' list prices follow."""
    values = clean(OfferedValue, values, session=session)
    product, value = session.get(Product, values["product_id"]), session.get(AttributeValue, values["value_id"])
    if product.company_id != company_id or value.company_id != company_id:
        raise ValidationError(gettext("Choose a product and a value of this company."), "product_id")
    if product.template_id is not None:
        raise ValidationError(gettext("%(variant)s is a variant: offer values on %(template)s instead.",
                                      variant=product.display_name, template=product.template.display_name),
                              "product_id")
    if session.scalar(select(OfferedValue.id).where(OfferedValue.product_id == product.id,
                                                    OfferedValue.value_id == value.id)) is not None:
        raise ValidationError(gettext("%(product)s already offers %(value)s.", product=product.display_name,
                                      value=value.display_name), "value_id")
    with session.begin_nested():
        row = OfferedValue(company_id=company_id, **values)
        session.add(row)
        session.flush()
        sync_prices(session, product)
    return row


def update_offered(session: Session, row: OfferedValue, **values) -> OfferedValue:
    """Change a value's price extra (the variants' list prices follow); the product and value stay."""
    values = clean(OfferedValue, values, record=row, session=session)
    if values.get("product_id", row.product_id) != row.product_id or \
            values.get("value_id", row.value_id) != row.value_id:
        raise ValidationError(gettext("Only the price extra of an offered value changes: remove it and offer "
                                      "the other value."), "value_id")
    with session.begin_nested():
        _write(session, row, values)
        sync_prices(session, row.product)
    return row


def withdraw_value(session: Session, row: OfferedValue) -> None:
    """The product no longer offers the value: its variants stay (they have a history), new ones cannot have it,
    and the variants with it lose its extra."""
    product = row.product
    with session.begin_nested():
        session.delete(row)
        session.flush()
        sync_prices(session, product)


def _write(session: Session, record, values: dict):
    for key, value in values.items():
        setattr(record, key, value)
    session.flush()
    return record
