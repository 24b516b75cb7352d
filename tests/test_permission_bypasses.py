"""Ways around model access and record rules found in review, each closed in the actor session.

The world: the main company has the company "Ours Co" and the person "Ours",
whose company is "Their Co" of another company; each company has a note.
alice reads partners of the main company and no notes; noter also reads the
main company's notes; nobody reads no partner at all.
"""
import pytest
import sqlalchemy as sa
from sqlalchemy import delete, exists, func, insert, literal_column, select, text, union_all, update
from sqlalchemy.orm import aliased, joinedload, selectinload

from addons.contacts.models import Partner
from addons.contacts.services import create_partner, update_partner
from bottega_notes.models import Note
from core.errors import AccessDenied
from core.models import AuditLog, User

OURS = {"Ours", "Ours Co"}


@pytest.fixture
def world(db):
    other = db.company("Other S.L.")
    system = db.system()
    main = db.main_company.id
    their_co = create_partner(system, other.id, name="Their Co", is_company=True)
    ours_co = create_partner(system, main, name="Ours Co", is_company=True)
    ours = create_partner(system, main, name="Ours", parent_id=their_co.id)
    system.add_all([
        Note(partner_id=their_co.id, body="secret of other company", company_id=other.id),
        Note(partner_id=ours.id, body="salary 90k", company_id=main),
    ])
    system.commit()
    world = {
        "db": db, "other": other, "ours": ours, "ours_co": ours_co, "their_co": their_co,
        "alice": db.user("alice", groups=["contacts.group_user"]),
        "noter": db.user("noter", groups=["notes.group_user"]),
        "nobody": db.user("nobody", groups=["core.group_user"]),
    }
    return type("World", (), world)


def stored(db, partner) -> Partner:
    """The partner as stored, read by a system session that is closed at once."""
    with db.factory() as session:
        return session.get(Partner, partner.id)


# --- aliases --------------------------------------------------------------------------


def test_aliased_entity_is_filtered(world):
    session = world.db.as_user(world.alice)
    other = aliased(Partner)
    assert set(session.scalars(select(other.name))) == OURS
    assert session.scalars(select(other).where(other.id == world.their_co.id)).first() is None


def test_join_to_an_alias_filters_the_alias(world):
    session = world.db.as_user(world.alice)
    parent = aliased(Partner)
    assert session.execute(select(Partner.name, parent.name).join(parent, Partner.parent_id == parent.id)).all() == []
    assert session.execute(select(Partner.name).join(Partner.parent.of_type(parent))).all() == []
    rows = session.execute(
        select(Partner.name, parent.name)
        .outerjoin(parent, Partner.parent_id == parent.id)
        .where(Partner.name == "Ours")
    ).all()
    assert rows == [("Ours", None)]


def test_the_same_aliased_statement_follows_each_users_companies(world):
    """Compiled statements are cached: the rule of one user must not stick to the next one."""
    db = world.db
    both = db.user("both", groups=["contacts.group_user"], companies=[db.main_company, world.other])
    theirs = db.user("theirs", groups=["contacts.group_user"], companies=[world.other])
    parent = aliased(Partner)
    joined = select(Partner.name).join(parent, Partner.parent_id == parent.id)
    for _ in range(2):
        assert set(db.as_user(world.alice).scalars(select(parent.name))) == OURS
        assert set(db.as_user(both).scalars(select(parent.name))) == OURS | {"Their Co"}
        assert set(db.as_user(theirs).scalars(select(parent.name))) == {"Their Co"}
        assert db.as_user(world.alice).scalars(joined).all() == []
        assert db.as_user(both).scalars(joined).all() == ["Ours"]
        assert db.as_user(theirs).scalars(joined).all() == []


# --- joins, exists, subqueries, aggregates ---------------------------------------------


def test_join_to_a_model_without_read_access_is_refused(world):
    session = world.db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="may not read Note"):
        session.execute(
            select(Partner.name).join(Note, Note.partner_id == Partner.id).where(Note.body.like("salary 9%"))
        ).all()


def test_subquery_on_a_model_without_read_access_is_refused(world):
    session = world.db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="may not read Note"):
        session.execute(
            select(Partner.name).where(Partner.id.in_(select(Note.partner_id).where(Note.body.like("s%"))))
        ).all()


def test_exists_on_a_model_without_read_access_is_refused(world):
    session = world.db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="may not read Note"):
        session.execute(select(Partner.name).where(exists().where(Note.partner_id == Partner.id))).all()
    with pytest.raises(AccessDenied, match="may not read Note"):
        session.execute(select(Partner.name).where(select(Note.id).where(Note.partner_id == Partner.id).exists())).all()


def test_count_and_scalar_subquery_without_read_access_are_refused(world):
    session = world.db.as_user(world.nobody)
    with pytest.raises(AccessDenied, match="may not read Partner"):
        session.scalar(select(func.count()).select_from(Partner))
    with pytest.raises(AccessDenied, match="may not read Partner"):
        session.scalar(select(select(func.max(Partner.name)).scalar_subquery()))
    with pytest.raises(AccessDenied, match="may not read Partner"):
        session.scalar(select(func.count()).select_from(select(Partner.id).subquery()))


def test_joins_exists_subqueries_and_aggregates_are_filtered(world):
    session = world.db.as_user(world.noter)
    assert session.scalar(select(func.count()).select_from(Partner)) == 2
    assert session.scalar(select(func.count()).select_from(aliased(Partner))) == 2
    assert session.scalar(select(select(func.max(Partner.name)).scalar_subquery())) == "Ours Co"
    assert session.scalar(select(func.count()).select_from(select(Partner.name).subquery())) == 2
    assert session.execute(select(Partner.name, Note.body).join(Note, Note.partner_id == Partner.id)).all() == [
        ("Ours", "salary 90k")
    ]
    assert session.scalars(select(Note.body).join(Partner, Note.partner_id == Partner.id)).all() == ["salary 90k"]
    assert session.scalars(select(Partner.name).where(exists().where(Note.body.like("secret%")))).all() == []
    assert session.scalars(
        select(Partner.name).where(exists().where(Note.partner_id == Partner.id, Note.body.like("secret%")))
    ).all() == []
    assert session.scalars(select(Note.partner_id).where(Note.partner_id.in_(select(Partner.id)))).all() == [
        world.ours.id
    ]
    names = session.scalars(union_all(select(Partner.name), select(Note.body))).all()
    assert sorted(names) == ["Ours", "Ours Co", "salary 90k"]
    cte = select(Partner.name).cte()
    assert set(session.scalars(select(cte.c.name))) == OURS


def test_shapes_the_orm_would_not_filter_are_refused(world):
    """SQLAlchemy adds criteria for the entities of a SELECT only; other shapes are refused, not leaked."""
    session = world.db.as_user(world.noter)
    shapes = [
        # a second entity inside one column expression
        select(func.coalesce(Note.body, Partner.name)),
        # an entity seen only inside a function in WHERE
        select(Partner.name).where(func.lower(Note.body) == "secret of other company"),
        # an entity only in ORDER BY / HAVING next to a Core column
        select(Partner.__table__.c.name).order_by(Partner.name),
        # a Core join of two entities
        select(func.count()).select_from(sa.join(Partner, Note)),
        # entities from before with_only_columns()
        select(Partner).join(Note, Note.partner_id == Partner.id).with_only_columns(func.count()),
        # raw SQL pieces
        select(Partner.name).suffix_with("UNION SELECT body FROM notes_note"),
        select(literal_column("(SELECT max(body) FROM notes_note)")),
        select(Partner.name).where(text("1 = 1")),
        # a data-modifying CTE
        select(update(Partner).values(name="PWNED").returning(Partner.id).cte().c.id),
    ]
    for statement in shapes:
        with pytest.raises(AccessDenied):
            session.execute(statement).all()
    assert {p.name for p in world.db.system().scalars(select(Partner))} == OURS | {"Their Co"}


# --- raw SQL, Core tables -------------------------------------------------------------


def test_from_statement_and_text_are_refused(world):
    session = world.db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="from_statement"):
        session.scalars(select(Partner).from_statement(text("SELECT * FROM contacts_partner"))).all()
    with pytest.raises(AccessDenied, match=r"raw SQL \(text\(\)\)"):
        session.execute(text("SELECT body FROM notes_note")).all()
    with pytest.raises(AccessDenied, match=r"raw SQL \(text\(\)\)"):
        session.execute(text("SELECT 1")).all()
    with pytest.raises(AccessDenied):
        session.execute(text("SELECT name FROM contacts_partner").columns(Partner.name).subquery().select()).all()


def test_core_table_select_is_refused(world):
    session = world.db.as_user(world.alice)
    table = Partner.__table__
    for statement in (
        select(table),
        select(table.c.name),
        select(func.count()).select_from(table),
        select(table.alias().c.name),
        select(Partner.name).where(Partner.id.in_(select(table.alias().c.parent_id))),
        select(sa.table("contacts_partner", sa.column("name"))),
        select(User.login).where(User.id.in_(select(sa.table("core_user_company", sa.column("user_id")).c.user_id))),
    ):
        with pytest.raises(AccessDenied):
            session.execute(statement).all()
    with pytest.raises(AccessDenied, match="notes_note"):
        session.execute(select(Note.__table__.c.body)).all()


def test_core_table_update_is_refused(world):
    session = world.db.as_user(world.alice)
    table = Partner.__table__
    with pytest.raises(AccessDenied, match="UPDATE"):
        session.execute(update(table).where(table.c.id == world.their_co.id).values(name="PWNED"))
    with pytest.raises(AccessDenied, match="DELETE"):
        session.execute(delete(table).where(table.c.id == world.their_co.id))
    with pytest.raises(AccessDenied, match="INSERT"):
        session.execute(insert(table).values(name="Planted", company_id=world.other.id))
    session.rollback()
    assert stored(world.db, world.their_co).name == "Their Co"


# --- ORM DML and bulk methods ---------------------------------------------------------


def test_orm_bulk_update_by_primary_key_is_refused(world):
    session = world.db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="UPDATE"):
        session.execute(update(Partner), [{"id": world.their_co.id, "name": "PWNED"}])
    session.rollback()
    assert stored(world.db, world.their_co).name == "Their Co"


def test_orm_update_cannot_move_rows_out_of_the_users_companies(world):
    session = world.db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="UPDATE statements"):
        session.execute(update(Partner).where(Partner.id == world.ours.id).values(company_id=world.other.id))
    with pytest.raises(AccessDenied, match="DELETE statements"):
        session.execute(delete(Partner).where(Partner.id == world.ours.id))
    with pytest.raises(AccessDenied, match="INSERT statements"):
        session.execute(insert(Partner), [{"name": "Planted", "company_id": world.other.id}])
    session.rollback()
    assert stored(world.db, world.ours).company_id == world.db.main_company.id


def test_legacy_bulk_methods_are_refused(world):
    db = world.db
    session = db.as_user(world.alice)
    with pytest.raises(AccessDenied, match="bulk_update_mappings"):
        session.bulk_update_mappings(Partner, [{"id": world.their_co.id, "name": "PWNED"}])
    with pytest.raises(AccessDenied, match="bulk_insert_mappings"):
        session.bulk_insert_mappings(
            Note, [{"partner_id": world.ours.id, "body": "planted", "company_id": world.other.id}]
        )
    with pytest.raises(AccessDenied, match="bulk_save_objects"):
        session.bulk_save_objects([Partner(name="Planted", company_id=world.other.id)])
    session.commit()
    assert stored(db, world.their_co).name == "Their Co"
    system = db.system()
    assert system.scalars(select(Note).where(Note.body == "planted")).first() is None
    assert system.scalars(select(Partner).where(Partner.name == "Planted")).first() is None
    assert system.scalars(select(AuditLog).where(AuditLog.user_id == world.alice.id)).first() is None


# --- what must keep working -----------------------------------------------------------


def test_allowed_rows_load_through_get_relationships_and_the_flush(world):
    db = world.db
    session = db.as_user(world.alice)
    ours = session.get(Partner, world.ours.id)
    assert ours.parent is None  # its company belongs to another company
    assert session.get(Partner, world.their_co.id) is None
    update_partner(session, ours, parent_id=world.ours_co.id)
    session.commit()
    session.expire_all()
    assert session.get(Partner, world.ours.id).parent.name == "Ours Co"
    session.expunge_all()
    loaded = session.scalars(select(Partner).options(joinedload(Partner.parent)).order_by(Partner.name)).unique().all()
    assert [(p.name, p.parent and p.parent.name) for p in loaded] == [("Ours", "Ours Co"), ("Ours Co", None)]
    session.expunge_all()
    loaded = session.scalars(select(Partner).options(selectinload(Partner.parent)).order_by(Partner.name)).all()
    assert [(p.name, p.parent and p.parent.name) for p in loaded] == [("Ours", "Ours Co"), ("Ours Co", None)]
    me = session.get(User, world.alice.id)
    assert [g.key for g in me.groups] == ["contacts.group_user"]
    assert [c.id for c in me.companies] == [db.main_company.id]
    assert session.scalars(select(User.login).join(User.groups).where(User.id == world.alice.id)).all() == ["alice"]


def test_system_sessions_are_not_restricted(world):
    system = world.db.system()
    assert system.execute(text("SELECT count(*) FROM contacts_partner")).scalar() >= 3
    system.execute(update(Partner).where(Partner.id == world.their_co.id).values(city="Lyon"))
    system.bulk_update_mappings(Partner, [{"id": world.their_co.id, "name": "Renamed"}])
    system.commit()
    their_co = stored(world.db, world.their_co)
    assert (their_co.name, their_co.city) == ("Renamed", "Lyon")
