"""On SQLite a flush inserts the new rows of one table with one statement, numbered as SQLite would number them."""
from sqlalchemy import event, select

from addons.contacts.models import Partner


def test_new_rows_of_a_table_are_numbered_first_and_inserted_together(db):
    session = db.as_user(db.user("boss", groups=["contacts.group_manager"]))
    first = Partner(company_id=db.main_company.id, name="First")
    session.add(first)
    session.flush()
    inserts = []
    connection = session.connection()
    event.listen(connection, "before_cursor_execute",
                 lambda _c, _cu, statement, _p, _ctx, many: inserts.append(many)
                 if statement.startswith("INSERT INTO contacts_partner") else None)
    batch = [Partner(company_id=db.main_company.id, name=f"Batch {n}") for n in range(4)]
    session.add_all(batch)
    session.flush()
    session.commit()
    if connection.dialect.name == "sqlite":
        assert inserts == [True]  # one executemany, not a statement per row
    assert [p.id for p in batch] == list(range(first.id + 1, first.id + 5))
    stored = db.system().scalars(select(Partner.name).where(Partner.id.in_([p.id for p in batch]))
                                 .order_by(Partner.id)).all()
    assert stored == [f"Batch {n}" for n in range(4)]
