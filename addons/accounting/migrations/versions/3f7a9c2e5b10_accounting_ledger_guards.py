"""accounting: ledger guards (database triggers keeping posted entries immutable and balanced)

The ``validate_flush`` hook (addons/accounting/guards.py) refuses the same
things with a readable message; these triggers catch whatever bypasses the
ORM (raw SQL, another program). They refuse:

- updating or deleting a move line whose ``posted`` is true;
- inserting a line into a posted move;
- updating or deleting a move whose state is ``posted``;
- switching a move to ``posted`` while its lines' debits and credits differ.

Revision ID: 3f7a9c2e5b10
Revises: 059f6a942285
Create Date: 2026-12-01 13:20:00
"""
from alembic import op

revision = '3f7a9c2e5b10'
down_revision = '059f6a942285'
branch_labels = None
depends_on = None

LINE_POSTED = "accounting: the lines of a posted journal entry cannot be changed or deleted"
LINE_ADDED = "accounting: no line can be added to a posted journal entry"
MOVE_POSTED = "accounting: a posted journal entry cannot be changed or deleted"
UNBALANCED = "accounting: a journal entry whose debits and credits differ cannot be posted"

UNBALANCED_SQL = ("(SELECT ROUND(COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0), 2) "
                  "FROM accounting_move_line WHERE move_id = NEW.id) <> 0")

SQLITE_TRIGGERS = {
    "accounting_move_line_update_posted":
        f"BEFORE UPDATE ON accounting_move_line WHEN OLD.posted "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_POSTED}'); END",
    "accounting_move_line_delete_posted":
        f"BEFORE DELETE ON accounting_move_line WHEN OLD.posted "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_POSTED}'); END",
    "accounting_move_line_insert_posted":
        f"BEFORE INSERT ON accounting_move_line "
        f"WHEN (SELECT state FROM accounting_move WHERE id = NEW.move_id) = 'posted' "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_ADDED}'); END",
    "accounting_move_update_posted":
        f"BEFORE UPDATE ON accounting_move WHEN OLD.state = 'posted' "
        f"BEGIN SELECT RAISE(ABORT, '{MOVE_POSTED}'); END",
    "accounting_move_delete_posted":
        f"BEFORE DELETE ON accounting_move WHEN OLD.state = 'posted' "
        f"BEGIN SELECT RAISE(ABORT, '{MOVE_POSTED}'); END",
    "accounting_move_post_unbalanced":
        f"BEFORE UPDATE ON accounting_move WHEN NEW.state = 'posted' AND OLD.state <> 'posted' "
        f"AND {UNBALANCED_SQL} BEGIN SELECT RAISE(ABORT, '{UNBALANCED}'); END",
}

POSTGRESQL_LINE_FUNCTION = f"""
CREATE FUNCTION accounting_move_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM accounting_move WHERE id = NEW.move_id AND state = 'posted') THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = '{LINE_ADDED} (entry ' || NEW.move_id || ')';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.posted THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{LINE_POSTED} (line ' || OLD.id || ')';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$
"""

POSTGRESQL_MOVE_FUNCTION = f"""
CREATE FUNCTION accounting_move_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'posted' THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{MOVE_POSTED} (entry ' || OLD.id || ')';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.state = 'posted' AND {UNBALANCED_SQL} THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{UNBALANCED} (entry ' || NEW.id || ')';
    END IF;
    RETURN NEW;
END;
$$
"""

POSTGRESQL_CREATE = (
    POSTGRESQL_LINE_FUNCTION,
    POSTGRESQL_MOVE_FUNCTION,
    "CREATE TRIGGER accounting_move_line_guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_move_line "
    "FOR EACH ROW EXECUTE FUNCTION accounting_move_line_guard()",
    "CREATE TRIGGER accounting_move_guard BEFORE UPDATE OR DELETE ON accounting_move "
    "FOR EACH ROW EXECUTE FUNCTION accounting_move_guard()",
)

POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS accounting_move_guard ON accounting_move",
    "DROP TRIGGER IF EXISTS accounting_move_line_guard ON accounting_move_line",
    "DROP FUNCTION IF EXISTS accounting_move_guard()",
    "DROP FUNCTION IF EXISTS accounting_move_line_guard()",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        statements = POSTGRESQL_CREATE
    else:
        statements = [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
    for statement in statements:
        op.get_bind().exec_driver_sql(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        statements = POSTGRESQL_DROP
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    for statement in statements:
        op.get_bind().exec_driver_sql(statement)
