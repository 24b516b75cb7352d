"""Extension.check: a side model is accepted only when it is the addon's own, keyed by the extended record
with a cascading foreign key, and adds no field the extended model already has."""
import pytest
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from addons.accounting.models import ALL, PartnerAccounting
from addons.contacts.models import Partner
from core.errors import AddonError
from core.fields import Extension


class Private(DeclarativeBase):
    """Models of this test only, kept out of Bottega's metadata."""


class Owner(Private):
    __tablename__ = "test_owner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Good(Private):
    __tablename__ = "test_good"
    owner_id: Mapped[int] = mapped_column(ForeignKey("test_owner.id", ondelete="CASCADE"), primary_key=True)
    colour: Mapped[str | None] = mapped_column(String(20))


class Surrogate(Private):
    __tablename__ = "test_surrogate"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("test_owner.id", ondelete="CASCADE"), unique=True)


class NoCascade(Private):
    __tablename__ = "test_no_cascade"
    owner_id: Mapped[int] = mapped_column(ForeignKey("test_owner.id"), primary_key=True)


class Clash(Private):
    __tablename__ = "test_clash"
    owner_id: Mapped[int] = mapped_column(ForeignKey("test_owner.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(20))


def test_accounting_s_partner_row_is_a_valid_extension_of_partner():
    Extension(Partner, PartnerAccounting).check("accounting", ALL)
    Extension(Owner, Good).check("test", (Good,))


@pytest.mark.parametrize("side, owned, message", [
    (Good, (), "the side model must be one of the addon's own models"),
    (Surrogate, (Surrogate,), "its primary key must be a foreign key to test_owner.id"),
    (NoCascade, (NoCascade,), "its foreign key must say ondelete='CASCADE'"),
    (Clash, (Clash,), "field\\(s\\) name already exist on Owner"),
])
def test_a_bad_side_model_is_refused_saying_why(side, owned, message):
    with pytest.raises(AddonError, match=message):
        Extension(Owner, side).check("test", owned)
