"""core: system lines and mail-in reasons kept as sentences to translate for each reader

Revision ID: 6d2b9e4f1a37
Revises: 3c8e1f5a7b20
Create Date: 2026-12-04 17:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '6d2b9e4f1a37'
down_revision = '3c8e1f5a7b20'
branch_labels = None
depends_on = None

received = sa.table('core_received_mail', sa.column('id', sa.Integer), sa.column('reason', sa.Text),
                    sa.column('reasons', sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table('core_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    with op.batch_alter_table('core_received_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reasons', sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(received.c.id, received.c.reason).where(received.c.reason.is_not(None)))
    for row_id, reason in rows.all():  # a reason written before: kept as the text it was
        connection.execute(received.update().where(received.c.id == row_id).values(reasons=[reason]))
    with op.batch_alter_table('core_received_mail', schema=None) as batch_op:
        batch_op.drop_column('reason')


def downgrade() -> None:
    with op.batch_alter_table('core_received_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(received.c.id, received.c.reasons).where(received.c.reasons.is_not(None)))
    for row_id, reasons in rows.all():
        text = "; ".join(each if isinstance(each, str) else each["msgid"] % each.get("params", {}) for each in reasons)
        connection.execute(received.update().where(received.c.id == row_id).values(reason=text))
    with op.batch_alter_table('core_received_mail', schema=None) as batch_op:
        batch_op.drop_column('reasons')
    with op.batch_alter_table('core_message', schema=None) as batch_op:
        batch_op.drop_column('params')
