"""Workplaces in full (address, photo, leader's e-mail, fadder, notes), meetings, support plans,
trial periods

Revision ID: year_0001
Revises: reach_0001
Create Date: 2026-12-01 23:20:00

"""
from alembic import op
import sqlalchemy as sa

import worker_app.models.types


# revision identifiers, used by Alembic.
revision = 'year_0001'
down_revision = 'reach_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workplace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('photo', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('mentor_name', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('mentor_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=True))

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('held_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.Column('with_whom', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('next_at', worker_app.models.types.UTCDateTime(), nullable=True),
    sa.Column('next_place', sa.String(length=10), nullable=True),
    sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_meeting_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_meeting_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_worker_id'), ['worker_id'], unique=False)

    op.create_table('support_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('visits_now', sa.String(length=200), nullable=False),
    sa.Column('visits_next', sa.String(length=200), nullable=False),
    sa.Column('next_from', sa.String(length=60), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_support_plan_updated_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_support_plan_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan')),
    sa.UniqueConstraint('worker_id', name=op.f('uq_support_plan_worker_id'))
    )

    op.create_table('trial_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('workplace_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('evaluation_at', worker_app.models.types.UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_trial_period_created_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_trial_period_worker_id_user')),
    sa.ForeignKeyConstraint(['workplace_id'], ['workplace.id'], name=op.f('fk_trial_period_workplace_id_workplace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trial_period'))
    )
    with op.batch_alter_table('trial_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trial_period_worker_id'), ['worker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('trial_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trial_period_worker_id'))
    op.drop_table('trial_period')
    op.drop_table('support_plan')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_worker_id'))
    op.drop_table('meeting')
    with op.batch_alter_table('workplace', schema=None) as batch_op:
        batch_op.drop_column('created_at')
        batch_op.drop_column('notes')
        batch_op.drop_column('mentor_phone')
        batch_op.drop_column('mentor_name')
        batch_op.drop_column('photo')
        batch_op.drop_column('address')
        batch_op.drop_column('contact_email')
