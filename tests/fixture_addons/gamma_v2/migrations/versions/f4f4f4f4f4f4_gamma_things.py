"""gamma: things"""
import sqlalchemy as sa
from alembic import op

revision = "f4f4f4f4f4f4"
down_revision = None
branch_labels = ("gamma",)
depends_on = ("4d76cd7361dc",)


def upgrade() -> None:
    op.create_table(
        "gamma_thing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamma_thing")),
    )


def downgrade() -> None:
    op.drop_table("gamma_thing")
