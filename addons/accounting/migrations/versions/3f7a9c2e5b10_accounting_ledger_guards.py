"""accounting: ledger guards (database triggers keeping posted entries immutable and balanced)

The ``validate_flush`` hook (addons/accounting/guards.py) refuses the same
things with a readable message; these triggers catch whatever bypasses the
ORM (raw SQL, another program). They refuse:

- inserting, updating or deleting a line of a posted move (old or new
  move), but for the posting itself: once the move is posted, its lines'
  ``posted`` goes from false to true and nothing else changes;
- a line flagged posted in a move that is not posted;
- updating or deleting a move whose state is ``posted``;
- switching a move to ``posted`` while its lines' debits and credits differ.

On PostgreSQL, deferred constraint triggers re-check at commit every move
touched in the transaction: balanced when posted, lines flagged as the move.

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
LINE_FLAG = "accounting: a line is posted exactly when its journal entry is"
MOVE_POSTED = "accounting: a posted journal entry cannot be changed or deleted"
UNBALANCED = "accounting: a journal entry whose debits and credits differ cannot be posted"

UNBALANCED_SQL = ("(SELECT ROUND(COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0), 2) "
                  "FROM accounting_move_line WHERE move_id = NEW.id) <> 0")


def _posted(move_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM accounting_move WHERE id = {move_id} AND state = 'posted')"


#: Every column of a line but ``posted``: posting a move may change nothing else on its lines.
LINE_COLUMNS = ("id", "move_id", "account_id", "partner_id", "name", "debit", "credit", "currency_code",
                "amount_currency", "date", "date_maturity", "journal_id", "tax_id", "tax_base_amount", "company_id")
#: The update ``post_move`` makes once the move is posted: ``posted`` from false to true, nothing else.
POSTING_UPDATE = " AND ".join(["NOT OLD.posted", "NEW.posted", _posted("NEW.move_id")]
                              + [f"NEW.{column} IS OLD.{column}" for column in LINE_COLUMNS])

SQLITE_TRIGGERS = {
    "accounting_move_line_update_posted":
        f"BEFORE UPDATE ON accounting_move_line "
        f"WHEN (OLD.posted OR {_posted('OLD.move_id')} OR {_posted('NEW.move_id')}) AND NOT ({POSTING_UPDATE}) "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_POSTED}'); END",
    "accounting_move_line_update_flag":
        f"BEFORE UPDATE ON accounting_move_line WHEN NEW.posted AND NOT {_posted('NEW.move_id')} "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_FLAG}'); END",
    "accounting_move_line_delete_posted":
        f"BEFORE DELETE ON accounting_move_line WHEN OLD.posted OR {_posted('OLD.move_id')} "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_POSTED}'); END",
    "accounting_move_line_insert_posted":
        f"BEFORE INSERT ON accounting_move_line WHEN {_posted('NEW.move_id')} "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_ADDED}'); END",
    "accounting_move_line_insert_flag":
        f"BEFORE INSERT ON accounting_move_line WHEN NEW.posted "
        f"BEGIN SELECT RAISE(ABORT, '{LINE_FLAG}'); END",
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
DECLARE
    probe accounting_move_line;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF {_posted('NEW.move_id')} THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = '{LINE_ADDED} (entry ' || NEW.move_id || ')';
        END IF;
        IF NEW.posted THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = '{LINE_FLAG} (entry ' || NEW.move_id || ')';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.posted OR {_posted('OLD.move_id')} THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = '{LINE_POSTED} (line ' || OLD.id || ')';
        END IF;
        RETURN OLD;
    END IF;
    probe := NEW;
    probe.posted := OLD.posted;
    IF (OLD.posted OR {_posted('OLD.move_id')} OR {_posted('NEW.move_id')})
            AND NOT (NOT OLD.posted AND NEW.posted AND probe IS NOT DISTINCT FROM OLD
                     AND {_posted('NEW.move_id')}) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{LINE_POSTED} (line ' || OLD.id || ')';
    END IF;
    IF NEW.posted AND NOT {_posted('NEW.move_id')} THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{LINE_FLAG} (line ' || OLD.id || ')';
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

#: At commit, every entry touched in the transaction balances if posted, and its lines' flags match its state.
POSTGRESQL_CHECK_FUNCTION = f"""
CREATE FUNCTION accounting_move_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_id integer;
    entry_state varchar;
BEGIN
    IF TG_TABLE_NAME = 'accounting_move' THEN
        entry_id := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        entry_id := OLD.move_id;
    ELSE
        entry_id := NEW.move_id;
    END IF;
    SELECT state INTO entry_state FROM accounting_move WHERE id = entry_id;
    IF entry_state IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM accounting_move_line WHERE move_id = entry_id
               AND posted <> (entry_state = 'posted')) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{LINE_FLAG} (entry ' || entry_id || ')';
    END IF;
    IF entry_state = 'posted' AND (SELECT ROUND(COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0), 2)
                                   FROM accounting_move_line WHERE move_id = entry_id) <> 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = '{UNBALANCED} (entry ' || entry_id || ')';
    END IF;
    RETURN NULL;
END;
$$
"""

POSTGRESQL_CREATE = (
    POSTGRESQL_LINE_FUNCTION,
    POSTGRESQL_MOVE_FUNCTION,
    POSTGRESQL_CHECK_FUNCTION,
    "CREATE TRIGGER accounting_move_line_guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_move_line "
    "FOR EACH ROW EXECUTE FUNCTION accounting_move_line_guard()",
    "CREATE TRIGGER accounting_move_guard BEFORE UPDATE OR DELETE ON accounting_move "
    "FOR EACH ROW EXECUTE FUNCTION accounting_move_guard()",
    "CREATE CONSTRAINT TRIGGER accounting_move_line_check AFTER INSERT OR UPDATE OR DELETE ON accounting_move_line "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accounting_move_check()",
    "CREATE CONSTRAINT TRIGGER accounting_move_check AFTER UPDATE ON accounting_move "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accounting_move_check()",
)

POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS accounting_move_check ON accounting_move",
    "DROP TRIGGER IF EXISTS accounting_move_line_check ON accounting_move_line",
    "DROP TRIGGER IF EXISTS accounting_move_guard ON accounting_move",
    "DROP TRIGGER IF EXISTS accounting_move_line_guard ON accounting_move_line",
    "DROP FUNCTION IF EXISTS accounting_move_check()",
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
