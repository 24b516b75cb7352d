"""Reference data cached for one transaction: read once, and read again as soon as it may have changed."""
from sqlalchemy import select

from addons.contacts.services import create_partner
from core.models import Company
from core.transaction_cache import cached


def company_names(session, reads: list) -> list[str]:
    def load():
        reads.append(1)
        return [company.name for company in session.scalars(select(Company).order_by(Company.id))]

    return cached(session, ("test.company_names",), load, depends_on=(Company,))


def test_a_value_is_read_once_per_transaction_while_its_models_are_not_written(db):
    session = db.system()
    reads = []
    first = company_names(session, reads)
    create_partner(session, db.main_company.id, name="Acme")  # another model: the value stays
    assert company_names(session, reads) == first and len(reads) == 1


def test_a_flush_writing_a_model_it_depends_on_makes_it_read_again(db):
    session = db.system()
    reads = []
    company_names(session, reads)
    session.add(Company(name="Zeta Imports"))
    session.flush()
    assert company_names(session, reads)[-1] == "Zeta Imports" and len(reads) == 2


def test_the_value_ends_with_its_transaction_and_with_a_rolled_back_savepoint(db):
    session = db.system()
    reads = []
    company_names(session, reads)
    session.commit()
    company_names(session, reads)
    assert len(reads) == 2
    savepoint = session.begin_nested()
    session.add(Company(name="Short-lived"))
    session.flush()
    assert "Short-lived" in company_names(session, reads)
    savepoint.rollback()
    assert "Short-lived" not in company_names(session, reads)
    session.rollback()
    company_names(session, reads)
    assert len(reads) == 5
