"""The weekly check-in "Hvordan har du det på jobb?" and who may see it

Revision ID: checkin_0001
Revises: signs_0001
Create Date: 2026-12-02 12:45:00

"""
from alembic import op
import sqlalchemy as sa

from worker_app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'checkin_0001'
down_revision = 'signs_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'check_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('worker_id', sa.Integer(), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('tasks', sa.SmallInteger(), nullable=True),
        sa.Column('others', sa.SmallInteger(), nullable=True),
        sa.Column('help', sa.SmallInteger(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False, server_default=''),
        sa.Column('call_request_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['worker_id'], ['user.id']),
        sa.ForeignKeyConstraint(['call_request_id'], ['help_request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_check_in_worker_started', 'check_in', ['worker_id', 'started_at'])
    # A fresh permission, off for everyone: nothing is carried over from the old SEE_CHECKINS.
    op.add_column('support_link', sa.Column('see_wellbeing', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    # Plain ALTER TABLE on "user" (SQLite's batch copy fails under foreign keys). None: not asked.
    op.add_column('user', sa.Column('checkins_to_specialist', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('checkins_to_specialist')
    with op.batch_alter_table('support_link', schema=None) as batch_op:
        batch_op.drop_column('see_wellbeing')
    op.drop_index('ix_check_in_worker_started', table_name='check_in')
    op.drop_table('check_in')
