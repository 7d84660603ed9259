"""Region organizers, a guest limit per event, guest echoes, the audit log indexed by person

Revision ID: audit_0001
Revises: reminders_0001
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa

import worker_app.models.types


# revision identifiers, used by Alembic.
revision = 'audit_0001'
down_revision = 'reminders_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('guest_echo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('guest_name', sa.String(length=120), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_guest_echo_event_id_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_echo')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_guest_echo_secret_hash'))
    )
    with op.batch_alter_table('guest_echo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guest_echo_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_organizer', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_limit', sa.Integer(), nullable=False,
                                      server_default='20'))

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('guest_limit')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('region_organizer')

    with op.batch_alter_table('guest_echo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guest_echo_event_id'))

    op.drop_table('guest_echo')
