"""The field layer: what a column and its annotation say, and the cleaning every entry point applies."""
import datetime as dt
from decimal import Decimal

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from core.errors import ValidationError
from core.fields import clean, field, fields_of


class Base(DeclarativeBase):
    pass


labels = Table("t_order_label", Base.metadata, Column("order_id", ForeignKey("t_order.id"), primary_key=True),
               Column("label_id", ForeignKey("t_label.id"), primary_key=True))


class Label(Base):
    __tablename__ = "t_label"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    usable: Mapped[bool] = mapped_column(default=True)


class Order(Base):
    __tablename__ = "t_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), info=field(_l("Title"), help=_l("What the order is for")))
    state: Mapped[str] = mapped_column(String(10), default="draft", info=field(
        _l("State"), choices=(("draft", _l("Draft")), ("done", _l("Done")))))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), info=field(minimum=Decimal(0)))
    quantity: Mapped[int | None]
    due: Mapped[dt.date | None]
    urgent: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(254), info=field(format="email"))
    country_code: Mapped[str | None] = mapped_column(String(2), info=field(format="country"))
    notes: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(20), info=field(
        readonly=lambda order: order.state == "done"))
    label_id: Mapped[int | None] = mapped_column(ForeignKey("t_label.id"), info=field(
        domain=lambda actor: Label.usable.is_(True), domain_message=_l("Pick a usable label.")))
    labels: Mapped[list[Label]] = relationship(secondary=labels, info=field(_l("Labels")))


def test_a_field_reads_its_column_and_its_annotation():
    fields = fields_of(Order)
    assert list(fields)[:3] == ["id", "name", "state"]
    name, state, amount = fields["name"], fields["state"], fields["amount"]
    assert (name.kind, name.length, name.required, str(name.label), str(name.help)) == (
        "text", 120, True, "Title", "What the order is for")
    assert (state.kind, state.required, state.default, [str(label) for _v, label in state.choices]) == (
        "choice", False, "draft", ["Draft", "Done"])
    assert (amount.kind, amount.places, amount.required, str(amount.label)) == ("decimal", 2, False, "Amount")
    assert fields["label_id"].kind == "many2one" and fields["label_id"].target is Label
    assert fields["labels"].kind == "many2many" and fields["labels"].target is Label
    assert fields["notes"].kind == "longtext" and fields["urgent"].kind == "bool" and fields["due"].kind == "date"
    assert fields["id"].automatic and not fields["name"].automatic


def test_values_are_converted_to_their_types():
    cleaned = clean(Order, {"name": "  Chairs ", "amount": "12,345", "quantity": "7", "due": "2027-01-31",
                            "urgent": "sí", "email": "Ana@Example.COM", "country_code": "Spagna", "notes": "  ",
                            "state": "Done"})
    assert cleaned == {"name": "Chairs", "amount": Decimal("12.35"), "quantity": 7, "due": dt.date(2027, 1, 31),
                       "urgent": True, "email": "ana@example.com", "country_code": "ES", "notes": None,
                       "state": "done"}


def test_every_wrong_field_is_reported_at_once_and_named():
    with pytest.raises(ValidationError) as caught:
        clean(Order, {"name": "x" * 100_000, "state": "shipped", "amount": "-1", "quantity": "many",
                      "email": "nobody", "country_code": "SP", "due": "31/01/2027", "ghost": 1})
    errors = caught.value.errors
    assert set(errors) == {"name", "state", "amount", "quantity", "email", "country_code", "due", "ghost"}
    assert caught.value.field == "name" and str(caught.value).startswith("Title: At most 120 characters")
    assert "100000" in errors["name"]
    assert "draft, done" in errors["state"]
    assert "at least 0" in errors["amount"]
    assert "not a country" in errors["country_code"]


def test_a_new_record_needs_its_required_fields_and_a_change_may_not_empty_them():
    with pytest.raises(ValidationError) as caught:
        clean(Order, {"amount": "1"})
    assert set(caught.value.errors) == {"name"}
    with pytest.raises(ValidationError) as caught:
        clean(Order, {"name": "   "}, record=Order(name="Chairs"))
    assert caught.value.errors == {"name": "This field is required."}
    assert clean(Order, {"amount": "2"}, record=Order(name="Chairs")) == {"amount": Decimal("2.00")}


def test_numbers_beyond_their_column_and_dates_beyond_the_calendar_are_refused():
    with pytest.raises(ValidationError) as caught:
        clean(Order, {"name": "a", "amount": "1e400", "quantity": str(2 ** 40), "due": "0001-01-01"})
    assert set(caught.value.errors) == {"amount", "quantity", "due"}


def test_a_read_only_rule_refuses_a_change_but_not_the_same_value():
    done = Order(name="Chairs", state="done", reference="R-1")
    assert clean(Order, {"reference": "R-1"}, record=done) == {"reference": "R-1"}
    with pytest.raises(ValidationError) as caught:
        clean(Order, {"reference": "R-2"}, record=done)
    assert caught.value.field == "reference"
    assert clean(Order, {"reference": "R-2"}, record=Order(name="Chairs", state="draft")) == {"reference": "R-2"}


def test_related_records_must_exist_and_meet_the_domain():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        usable, retired = Label(name="usable"), Label(name="retired", usable=False)
        session.add_all([usable, retired])
        session.flush()
        cleaned = clean(Order, {"name": "a", "label_id": str(usable.id), "labels": [usable.id, retired.id]},
                        session=session)
        assert cleaned["label_id"] == usable.id and cleaned["labels"] == [usable, retired]
        with pytest.raises(ValidationError) as caught:
            clean(Order, {"name": "a", "label_id": retired.id, "labels": [999]}, session=session)
        assert caught.value.errors == {"label_id": "Pick a usable label.",
                                       "labels": "This record does not exist or you may not use it."}
        with pytest.raises(ValidationError) as caught:
            clean(Order, {"name": "a", "label_id": "abc", "labels": "1"})
        assert set(caught.value.errors) == {"label_id", "labels"}


@pytest.mark.parametrize("value", ["a\x00b", ["list"], {"a": 1}, True])
def test_values_of_the_wrong_shape_are_refused_not_crashed_on(value):
    with pytest.raises(ValidationError) as caught:
        clean(Order, {"name": value})
    assert caught.value.field == "name"


def test_an_unknown_format_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown field format 'colour'"):
        field(format="colour")
