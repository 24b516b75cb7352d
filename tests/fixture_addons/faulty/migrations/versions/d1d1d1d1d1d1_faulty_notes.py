"""faulty: notes"""
import sqlalchemy as sa
from alembic import op

revision = "d1d1d1d1d1d1"
down_revision = None
branch_labels = ("faulty",)
depends_on = ("4d76cd7361dc", "c1c1c1c1c1c1")


def upgrade() -> None:
    op.create_table(
        "faulty_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faulty_note")),
    )


def downgrade() -> None:
    op.drop_table("faulty_note")
