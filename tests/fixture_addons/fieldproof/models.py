"""An item; its metadata is its own so a grown copy of this package can be loaded beside it."""
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.db import NAMING_CONVENTION
from core.fields import field


class ProofBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Item(ProofBase):
    __tablename__ = "fieldproof_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), info=field("Name", listed=True))
