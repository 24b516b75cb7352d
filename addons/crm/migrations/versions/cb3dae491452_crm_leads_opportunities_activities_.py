"""crm: leads, opportunities, activities, campaigns

Revision ID: cb3dae491452
Revises: 
Create Date: 2026-11-23 18:38:31.390465
"""
from alembic import op
import sqlalchemy as sa


revision = 'cb3dae491452'
down_revision = None
branch_labels = ('crm',)
depends_on = ['4d76cd7361dc', '6841b6a662f3']


def upgrade() -> None:
    op.create_table('crm_lost_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_lost_reason_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_lost_reason'))
    )
    with op.batch_alter_table('crm_lost_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_lost_reason_company_id'), ['company_id'], unique=False)

    op.create_table('crm_segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_segment_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_segment'))
    )
    with op.batch_alter_table('crm_segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_segment_company_id'), ['company_id'], unique=False)

    op.create_table('crm_unsubscribe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_unsubscribe_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_unsubscribe')),
    sa.UniqueConstraint('company_id', 'email', name=op.f('uq_crm_unsubscribe_company_id_email'))
    )
    with op.batch_alter_table('crm_unsubscribe', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_unsubscribe_company_id'), ['company_id'], unique=False)

    op.create_table('crm_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_campaign_company_id_core_company')),
    sa.ForeignKeyConstraint(['segment_id'], ['crm_segment.id'], name=op.f('fk_crm_campaign_segment_id_crm_segment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_campaign'))
    )
    with op.batch_alter_table('crm_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_campaign_company_id'), ['company_id'], unique=False)

    op.create_table('crm_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('capture_key', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_team_company_id_core_company')),
    sa.ForeignKeyConstraint(['leader_id'], ['core_user.id'], name=op.f('fk_crm_team_leader_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_team')),
    sa.UniqueConstraint('capture_key', name=op.f('uq_crm_team_capture_key'))
    )
    with op.batch_alter_table('crm_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_team_company_id'), ['company_id'], unique=False)

    op.create_table('crm_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('last_user_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_rule_company_id_core_company')),
    sa.ForeignKeyConstraint(['last_user_id'], ['core_user.id'], name=op.f('fk_crm_rule_last_user_id_core_user')),
    sa.ForeignKeyConstraint(['team_id'], ['crm_team.id'], name=op.f('fk_crm_rule_team_id_crm_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_rule'))
    )
    with op.batch_alter_table('crm_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_rule_company_id'), ['company_id'], unique=False)

    op.create_table('crm_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('probability', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('is_won', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_stage_company_id_core_company')),
    sa.ForeignKeyConstraint(['team_id'], ['crm_team.id'], name=op.f('fk_crm_stage_team_id_crm_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_stage'))
    )
    with op.batch_alter_table('crm_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_stage_company_id'), ['company_id'], unique=False)

    op.create_table('crm_team_member',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['crm_team.id'], name=op.f('fk_crm_team_member_team_id_crm_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_crm_team_member_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_crm_team_member'))
    )
    op.create_table('crm_lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('partner_name', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('probability', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('expected_revenue', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('date_deadline', sa.Date(), nullable=True),
    sa.Column('lost_reason_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('qualified_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['crm_campaign.id'], name=op.f('fk_crm_lead_campaign_id_crm_campaign')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_lead_company_id_core_company')),
    sa.ForeignKeyConstraint(['lost_reason_id'], ['crm_lost_reason.id'], name=op.f('fk_crm_lead_lost_reason_id_crm_lost_reason')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_crm_lead_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['stage_id'], ['crm_stage.id'], name=op.f('fk_crm_lead_stage_id_crm_stage')),
    sa.ForeignKeyConstraint(['team_id'], ['crm_team.id'], name=op.f('fk_crm_lead_team_id_crm_team')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_crm_lead_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_lead'))
    )
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_lead_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_crm_lead_email', ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_crm_lead_pipeline', ['company_id', 'kind', 'state', 'stage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_user_id'), ['user_id'], unique=False)

    op.create_table('crm_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_activity_company_id_core_company')),
    sa.ForeignKeyConstraint(['lead_id'], ['crm_lead.id'], name=op.f('fk_crm_activity_lead_id_crm_lead')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_crm_activity_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_crm_activity_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_activity'))
    )
    with op.batch_alter_table('crm_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_activity_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_activity_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_activity_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_activity_user_id'), ['user_id'], unique=False)

    op.create_table('crm_campaign_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['crm_campaign.id'], name=op.f('fk_crm_campaign_recipient_campaign_id_crm_campaign')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_campaign_recipient_company_id_core_company')),
    sa.ForeignKeyConstraint(['lead_id'], ['crm_lead.id'], name=op.f('fk_crm_campaign_recipient_lead_id_crm_lead')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_crm_campaign_recipient_partner_id_contacts_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_campaign_recipient')),
    sa.UniqueConstraint('campaign_id', 'email', name=op.f('uq_crm_campaign_recipient_campaign_id_email')),
    sa.UniqueConstraint('token', name=op.f('uq_crm_campaign_recipient_token'))
    )
    with op.batch_alter_table('crm_campaign_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_campaign_recipient_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_campaign_recipient_company_id'), ['company_id'], unique=False)

    op.create_table('crm_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['core_user.id'], name=op.f('fk_crm_message_author_id_core_user')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_message_company_id_core_company')),
    sa.ForeignKeyConstraint(['lead_id'], ['crm_lead.id'], name=op.f('fk_crm_message_lead_id_crm_lead')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_crm_message_partner_id_contacts_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_message'))
    )
    with op.batch_alter_table('crm_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_message_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_message_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_crm_message_partner_at', ['partner_id', 'at'], unique=False)

    op.create_table('crm_stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=True),
    sa.Column('to_stage_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_crm_stage_change_company_id_core_company')),
    sa.ForeignKeyConstraint(['from_stage_id'], ['crm_stage.id'], name=op.f('fk_crm_stage_change_from_stage_id_crm_stage')),
    sa.ForeignKeyConstraint(['lead_id'], ['crm_lead.id'], name=op.f('fk_crm_stage_change_lead_id_crm_lead')),
    sa.ForeignKeyConstraint(['to_stage_id'], ['crm_stage.id'], name=op.f('fk_crm_stage_change_to_stage_id_crm_stage')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_crm_stage_change_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_stage_change'))
    )
    with op.batch_alter_table('crm_stage_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_stage_change_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_stage_change_lead_id'), ['lead_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('crm_stage_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_stage_change_lead_id'))
        batch_op.drop_index(batch_op.f('ix_crm_stage_change_company_id'))

    op.drop_table('crm_stage_change')
    with op.batch_alter_table('crm_message', schema=None) as batch_op:
        batch_op.drop_index('ix_crm_message_partner_at')
        batch_op.drop_index(batch_op.f('ix_crm_message_lead_id'))
        batch_op.drop_index(batch_op.f('ix_crm_message_company_id'))

    op.drop_table('crm_message')
    with op.batch_alter_table('crm_campaign_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_campaign_recipient_company_id'))
        batch_op.drop_index(batch_op.f('ix_crm_campaign_recipient_campaign_id'))

    op.drop_table('crm_campaign_recipient')
    with op.batch_alter_table('crm_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_activity_user_id'))
        batch_op.drop_index(batch_op.f('ix_crm_activity_partner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_activity_lead_id'))
        batch_op.drop_index(batch_op.f('ix_crm_activity_company_id'))

    op.drop_table('crm_activity')
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_lead_user_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_team_id'))
        batch_op.drop_index('ix_crm_lead_pipeline')
        batch_op.drop_index(batch_op.f('ix_crm_lead_partner_id'))
        batch_op.drop_index('ix_crm_lead_email')
        batch_op.drop_index(batch_op.f('ix_crm_lead_company_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_campaign_id'))

    op.drop_table('crm_lead')
    op.drop_table('crm_team_member')
    with op.batch_alter_table('crm_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_stage_company_id'))

    op.drop_table('crm_stage')
    with op.batch_alter_table('crm_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_rule_company_id'))

    op.drop_table('crm_rule')
    with op.batch_alter_table('crm_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_team_company_id'))

    op.drop_table('crm_team')
    with op.batch_alter_table('crm_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_campaign_company_id'))

    op.drop_table('crm_campaign')
    with op.batch_alter_table('crm_unsubscribe', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_unsubscribe_company_id'))

    op.drop_table('crm_unsubscribe')
    with op.batch_alter_table('crm_segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_segment_company_id'))

    op.drop_table('crm_segment')
    with op.batch_alter_table('crm_lost_reason', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_lost_reason_company_id'))

    op.drop_table('crm_lost_reason')
