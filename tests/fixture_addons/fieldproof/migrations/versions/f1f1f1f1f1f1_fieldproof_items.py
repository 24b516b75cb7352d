"""fieldproof: items"""
import sqlalchemy as sa
from alembic import op

revision = "f1f1f1f1f1f1"
down_revision = None
branch_labels = ("fieldproof",)
depends_on = ("4d76cd7361dc",)


def upgrade() -> None:
    op.create_table(
        "fieldproof_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fieldproof_item")),
    )


def downgrade() -> None:
    op.drop_table("fieldproof_item")
