"""accounting: nothing (books moved to the after_install hook)

This revision used to set up the books of the companies that existed before
accounting was installed, through today's models and services: the next
column added to any table that setup writes would have broken every fresh
install and every install on a database already in use, since this step
would run before the migration adding that column. Migrations change the
schema only, so the books now come from accounting's ``after_install`` hook
(``services.books.set_up_missing_books``), run once the branch is at head,
in the same transaction. The revision stays, doing nothing, so databases
that already ran it keep a history these scripts know.

Revision ID: 8d4e1b6c2a77
Revises: 3f7a9c2e5b10
Create Date: 2026-12-01 13:25:00
"""

revision = '8d4e1b6c2a77'
down_revision = '3f7a9c2e5b10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
