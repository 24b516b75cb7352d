from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, Group, ModelAccess, hookimpl, intpk
from core.models import Company

USER = "faulty.group_user"


class Note(Base):
    __tablename__ = "faulty_note"

    id: Mapped[intpk]
    text: Mapped[str] = mapped_column(String(80))


@hookimpl
def register_models():
    return (Note,)


@hookimpl
def register_groups():
    return (Group(USER, "Faulty user"),)


@hookimpl
def register_model_access():
    return (ModelAccess(Note, USER, read=True),)


@hookimpl
def after_install(session):
    """Write to its own table and to a core table, then fail: all of it must be rolled back."""
    session.add(Note(text="written before the failure"))
    session.scalars(select(Company).order_by(Company.id)).first().name = "Renamed by faulty"
    session.flush()
    raise RuntimeError("the setup of faulty fails on purpose")
