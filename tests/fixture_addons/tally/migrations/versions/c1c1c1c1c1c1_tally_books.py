"""tally: books"""
import sqlalchemy as sa
from alembic import op

revision = "c1c1c1c1c1c1"
down_revision = None
branch_labels = ("tally",)
depends_on = ("4d76cd7361dc",)


def upgrade() -> None:
    op.create_table(
        "tally_book",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["core_company.id"], name=op.f("fk_tally_book_company_id_core_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_book")),
    )
    op.create_index(op.f("ix_tally_book_company_id"), "tally_book", ["company_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tally_book_company_id"), table_name="tally_book")
    op.drop_table("tally_book")
