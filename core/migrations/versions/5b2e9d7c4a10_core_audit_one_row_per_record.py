"""core: the audit log keeps one row per changed record, its field changes together in ``changes``

Revision ID: 5b2e9d7c4a10
Revises: dee2af69c889
Create Date: 2026-12-03 03:00:00.000000

Rows written by one flush for one record (same time, user, record and action)
become one row whose ``changes`` maps each field to ``[old, new]``; the
record's label of a plain delete goes under ``record``. The first row's id is
kept, so the log keeps its order.
"""
from alembic import op
import sqlalchemy as sa


revision = '5b2e9d7c4a10'
down_revision = 'dee2af69c889'
branch_labels = None
depends_on = None

CHUNK = 5000


def _log_table():
    """The log with both shapes' columns, as it is while the data moves."""
    return sa.table('core_audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                    sa.column('user_id', sa.Integer), sa.column('table_name', sa.String),
                    sa.column('record_id', sa.Integer), sa.column('action', sa.String),
                    sa.column('field', sa.String), sa.column('old_value', sa.Text),
                    sa.column('new_value', sa.Text), sa.column('changes', sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.JSON(), nullable=True))
    log = _log_table()
    connection = op.get_bind()
    merged, last_key = [], None
    for row in connection.execute(sa.select(log).order_by(log.c.id)):
        key = (row.at, row.user_id, row.table_name, row.record_id, row.action)
        if key != last_key:
            merged.append({"id": row.id, "at": row.at, "user_id": row.user_id, "table_name": row.table_name,
                           "record_id": row.record_id, "action": row.action, "changes": {}})
            last_key = key
        changes = merged[-1]["changes"]
        if row.field is None:
            if row.action == "delete" and row.old_value is not None:
                changes["record"] = [row.old_value, None]
        elif row.field in changes:  # one row per record added to or removed from a collection
            old, new = changes[row.field]
            changes[row.field] = [", ".join(v for v in (old, row.old_value) if v) or None,
                                  ", ".join(v for v in (new, row.new_value) if v) or None]
        else:
            changes[row.field] = [row.old_value, row.new_value]
    connection.execute(sa.delete(log))
    for first in range(0, len(merged), CHUNK):
        connection.execute(sa.insert(log), merged[first:first + CHUNK])
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.alter_column('changes', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('new_value')
        batch_op.drop_column('old_value')
        batch_op.drop_column('field')


def downgrade() -> None:
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('old_value', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('new_value', sa.Text(), nullable=True))
    log = _log_table()
    connection = op.get_bind()
    split = []
    for row in connection.execute(sa.select(log).order_by(log.c.id)):
        base = {"at": row.at, "user_id": row.user_id, "table_name": row.table_name, "record_id": row.record_id,
                "action": row.action}
        items = [(None if field == "record" else field, old, new) for field, (old, new) in (row.changes or {}).items()]
        for field, old, new in items or [(None, None, None)]:
            split.append({**base, "field": field, "old_value": old, "new_value": new})
    connection.execute(sa.delete(log))
    for first in range(0, len(split), CHUNK):
        connection.execute(sa.insert(log), split[first:first + CHUNK])
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.drop_column('changes')
