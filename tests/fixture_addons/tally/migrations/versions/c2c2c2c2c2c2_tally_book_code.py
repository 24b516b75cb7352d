"""tally: a code on books (filled by the setup hook)"""
import sqlalchemy as sa
from alembic import op

revision = "c2c2c2c2c2c2"
down_revision = "c1c1c1c1c1c1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tally_book") as batch:
        batch.add_column(sa.Column("code", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tally_book") as batch:
        batch.drop_column("code")
