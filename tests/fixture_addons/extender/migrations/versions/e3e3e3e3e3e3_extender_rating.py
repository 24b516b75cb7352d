"""extender: a rating column on partners"""
import sqlalchemy as sa
from alembic import op

revision = "e3e3e3e3e3e3"
down_revision = None
branch_labels = ("extender",)
depends_on = ("4d76cd7361dc", "6841b6a662f3")


def upgrade() -> None:
    with op.batch_alter_table("contacts_partner") as batch:
        batch.add_column(sa.Column("extender_rating", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts_partner") as batch:
        batch.drop_column("extender_rating")
