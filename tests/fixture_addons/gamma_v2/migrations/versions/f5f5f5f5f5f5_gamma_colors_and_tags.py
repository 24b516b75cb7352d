"""gamma: a colour on things, and tags"""
import sqlalchemy as sa
from alembic import op

revision = "f5f5f5f5f5f5"
down_revision = "f4f4f4f4f4f4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gamma_thing") as batch:
        batch.add_column(sa.Column("color", sa.String(length=16), nullable=False, server_default="grey"))
    op.create_table(
        "gamma_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thing_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["thing_id"], ["gamma_thing.id"], name=op.f("fk_gamma_tag_thing_id_gamma_thing")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamma_tag")),
    )


def downgrade() -> None:
    op.drop_table("gamma_tag")
    with op.batch_alter_table("gamma_thing") as batch:
        batch.drop_column("color")
