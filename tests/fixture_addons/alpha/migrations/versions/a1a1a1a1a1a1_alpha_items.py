"""alpha: items"""
import sqlalchemy as sa
from alembic import op

revision = "a1a1a1a1a1a1"
down_revision = None
branch_labels = ("alpha",)
depends_on = ("4d76cd7361dc", "6841b6a662f3")


def upgrade() -> None:
    op.create_table(
        "alpha_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["core_company.id"], name=op.f("fk_alpha_item_company_id_core_company")),
        sa.ForeignKeyConstraint(["partner_id"], ["contacts_partner.id"], name=op.f("fk_alpha_item_partner_id_contacts_partner")),
        sa.ForeignKeyConstraint(["user_id"], ["core_user.id"], name=op.f("fk_alpha_item_user_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alpha_item")),
    )
    op.create_index(op.f("ix_alpha_item_company_id"), "alpha_item", ["company_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alpha_item_company_id"), table_name="alpha_item")
    op.drop_table("alpha_item")
