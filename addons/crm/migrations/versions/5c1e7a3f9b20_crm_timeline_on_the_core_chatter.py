"""crm: leads' and partners' messages and activities move to the core chatter

CRM kept its own timeline (crm_message) and activities (crm_activity); the
core chatter now holds them for every record. Each row is copied to
core_message / core_activity, linked to its lead (``crm_lead``) or, for a
partner's own, its partner (``contacts_partner``), with the same author,
assignee, dates, company and done state; then CRM's tables are dropped.
Bodies were plain text and become the chatter's HTML (escaped, line breaks
kept). The downgrade recreates the tables and moves the lead rows back (a
partner's rows stay in its chatter, which exists without CRM).

Revision ID: 5c1e7a3f9b20
Revises: b7e4c2a91d05
Create Date: 2026-12-04 13:50:00.000000
"""
import html
import re

from alembic import op
import sqlalchemy as sa


revision = '5c1e7a3f9b20'
down_revision = 'b7e4c2a91d05'
branch_labels = None
depends_on = 'd9c6ff0ae11f'  # the core chatter's tables

#: CRM's message kinds as the chatter's (the others are the same word)
KINDS = {"email_out": "email", "stage": "tracking"}
BATCH = 1000

crm_message = sa.table(
    'crm_message', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('lead_id', sa.Integer),
    sa.column('partner_id', sa.Integer), sa.column('author_id', sa.Integer), sa.column('subject', sa.String),
    sa.column('body', sa.Text), sa.column('at', sa.DateTime), sa.column('company_id', sa.Integer))
crm_activity = sa.table(
    'crm_activity', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('summary', sa.String),
    sa.column('note', sa.Text), sa.column('lead_id', sa.Integer), sa.column('partner_id', sa.Integer),
    sa.column('user_id', sa.Integer), sa.column('due_date', sa.Date), sa.column('done_at', sa.DateTime),
    sa.column('reminded_at', sa.DateTime), sa.column('company_id', sa.Integer),
    sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime))
core_message = sa.table(
    'core_message', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('res_model', sa.String),
    sa.column('res_id', sa.Integer), sa.column('author_id', sa.Integer), sa.column('subject', sa.String),
    sa.column('body', sa.Text), sa.column('at', sa.DateTime), sa.column('company_id', sa.Integer))
core_activity = sa.table(
    'core_activity', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('summary', sa.String),
    sa.column('note', sa.Text), sa.column('res_model', sa.String), sa.column('res_id', sa.Integer),
    sa.column('user_id', sa.Integer), sa.column('created_by_id', sa.Integer), sa.column('due_date', sa.Date),
    sa.column('state', sa.String), sa.column('done_at', sa.DateTime), sa.column('feedback', sa.Text),
    sa.column('reminded_at', sa.DateTime), sa.column('company_id', sa.Integer),
    sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime))
crm_lead = sa.table('crm_lead', sa.column('id', sa.Integer), sa.column('partner_id', sa.Integer))


def _link(row) -> tuple[str, int] | None:
    if row.lead_id is not None:
        return 'crm_lead', row.lead_id
    return ('contacts_partner', row.partner_id) if row.partner_id is not None else None


def _as_html(text: str | None) -> str:
    return html.escape((text or "").strip(), quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _as_text(body: str | None) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", body or "")))


def _copy(connection, source, target, convert) -> None:
    """Insert ``convert(row)`` of every row of ``source`` into ``target``, a batch at a time, in id order."""
    rows = []
    for row in connection.execute(sa.select(source).order_by(source.c.id)).all():
        converted = convert(row)
        if converted is not None:
            rows.append(converted)
        if len(rows) >= BATCH:
            connection.execute(target.insert(), rows)
            rows = []
    if rows:
        connection.execute(target.insert(), rows)


def _message(row):
    link = _link(row)
    if link is None:
        return None
    return {"res_model": link[0], "res_id": link[1], "kind": KINDS.get(row.kind, row.kind), "author_id": row.author_id,
            "subject": row.subject, "body": _as_html(row.body), "at": row.at, "company_id": row.company_id}


def _activity(row):
    link = _link(row)
    if link is None:
        return None
    return {"res_model": link[0], "res_id": link[1], "kind": row.kind, "summary": row.summary, "note": row.note,
            "user_id": row.user_id, "created_by_id": None, "due_date": row.due_date,
            "state": "done" if row.done_at is not None else "open", "done_at": row.done_at, "feedback": None,
            "reminded_at": row.reminded_at, "company_id": row.company_id, "created_at": row.created_at,
            "updated_at": row.updated_at}


def upgrade() -> None:
    connection = op.get_bind()
    _copy(connection, crm_message, core_message, _message)
    _copy(connection, crm_activity, core_activity, _activity)
    with op.batch_alter_table('crm_message', schema=None) as batch_op:
        batch_op.drop_index('ix_crm_message_partner_at')
        batch_op.drop_index(batch_op.f('ix_crm_message_lead_id'))
        batch_op.drop_index(batch_op.f('ix_crm_message_company_id'))
    op.drop_table('crm_message')
    with op.batch_alter_table('crm_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_activity_user_id'))
        batch_op.drop_index(batch_op.f('ix_crm_activity_partner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_activity_lead_id'))
        batch_op.drop_index(batch_op.f('ix_crm_activity_company_id'))
    op.drop_table('crm_activity')


def downgrade() -> None:
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

    connection = op.get_bind()
    partners = dict(connection.execute(sa.select(crm_lead.c.id, crm_lead.c.partner_id)).all())
    back = {value: key for key, value in KINDS.items()}
    on_leads = core_message.c.res_model == 'crm_lead'
    _copy(connection, sa.select(core_message).where(on_leads).subquery(), crm_message, lambda row: {
        "kind": back.get(row.kind, row.kind)[:16], "lead_id": row.res_id, "partner_id": partners.get(row.res_id),
        "author_id": row.author_id, "subject": (row.subject or None) and row.subject[:255],
        "body": _as_text(row.body), "at": row.at, "company_id": row.company_id})
    connection.execute(core_message.delete().where(on_leads))
    activities_on_leads = core_activity.c.res_model == 'crm_lead'
    _copy(connection, sa.select(core_activity).where(activities_on_leads).subquery(), crm_activity, lambda row: None
          if row.state == "cancelled" else {
              "kind": row.kind, "summary": row.summary, "note": row.note, "lead_id": row.res_id,
              "partner_id": partners.get(row.res_id), "user_id": row.user_id, "due_date": row.due_date,
              "done_at": row.done_at if row.state == "done" else None, "reminded_at": row.reminded_at,
              "company_id": row.company_id, "created_at": row.created_at, "updated_at": row.updated_at})
    connection.execute(core_activity.delete().where(activities_on_leads))
