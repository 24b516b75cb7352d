from sqlalchemy import select

from core import Group, ModelAccess, hookimpl
from core.models import Company, User
from core.models.user import Group as GroupRow

from .models import Book

KEEPER = "tally.group_keeper"
SETUP_CALLS: list[str | None] = []  # the previous_version of each after_install call, for the tests to read


@hookimpl
def register_models():
    return (Book,)


@hookimpl
def register_groups():
    return (Group(KEEPER, "Book keeper"),)


@hookimpl
def register_model_access():
    return (ModelAccess(Book, KEEPER, read=True),)


@hookimpl
def after_install(session, previous_version):
    set_up(session, Book, previous_version)


def set_up(session, model, previous_version) -> None:
    """What every release's setup does: a coded book for each company without one, the admin a keeper."""
    SETUP_CALLS.append(previous_version)
    companies = session.scalars(select(Company).where(Company.id.not_in(select(model.company_id)))
                                .order_by(Company.id))
    session.add_all(model(company_id=company.id, name=f"Books of {company.name}", code=f"B{company.id:04d}")
                    for company in companies)
    keeper = session.scalars(select(GroupRow).where(GroupRow.key == KEEPER)).one()  # groups come first
    admin = session.scalars(select(User).where(User.login == "admin")).one()
    if keeper not in admin.groups:
        admin.groups.append(keeper)
    session.flush()
