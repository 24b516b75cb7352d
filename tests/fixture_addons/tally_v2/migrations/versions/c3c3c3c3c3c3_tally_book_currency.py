"""tally: a currency on books (set by the setup hook, on the books already there too)"""
import sqlalchemy as sa
from alembic import op

revision = "c3c3c3c3c3c3"
down_revision = "c2c2c2c2c2c2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tally_book") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tally_book") as batch:
        batch.drop_column("currency")
