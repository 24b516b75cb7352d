"""notes: notes

Revision ID: 7dd0472d42b7
Revises: 
Create Date: 2026-11-23 18:03:18.618590
"""
from alembic import op
import sqlalchemy as sa


revision = '7dd0472d42b7'
down_revision = None
branch_labels = ('notes',)
depends_on = ['4d76cd7361dc', '6841b6a662f3']


def upgrade() -> None:
    op.create_table('notes_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_notes_note_company_id_core_company')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_notes_note_partner_id_contacts_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes_note'))
    )
    with op.batch_alter_table('notes_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_note_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_note_partner_id'), ['partner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notes_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_note_partner_id'))
        batch_op.drop_index(batch_op.f('ix_notes_note_company_id'))

    op.drop_table('notes_note')
