"""broken: creates a table, writes to another addon's table, then fails"""
import sqlalchemy as sa
from alembic import op

revision = "b2b2b2b2b2b2"
down_revision = None
branch_labels = ("broken",)
depends_on = ("4d76cd7361dc", "6841b6a662f3")


def upgrade() -> None:
    op.create_table("broken_thing", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE contacts_partner SET city = 'CHANGED'")
    raise RuntimeError("boom halfway through the migration")


def downgrade() -> None:
    op.drop_table("broken_thing")
