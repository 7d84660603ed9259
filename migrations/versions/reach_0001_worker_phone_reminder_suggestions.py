"""The worker's own phone number, and the specialist's suggested reminder settings

Revision ID: reach_0001
Revises: guard_0001
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'reach_0001'
down_revision = 'guard_0001'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, not a batch copy: SQLite's copy-and-drop of "user" fails while other
    # rows refer to it (foreign keys are on). Who suggested is a plain id, no foreign key (see
    # the model): SQLite can't add one without that copy.
    op.add_column('user', sa.Column('reminders_chosen', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('user', sa.Column('reminders_suggested', sa.String(length=300), nullable=False, server_default=''))
    op.add_column('user', sa.Column('reminders_suggested_by_id', sa.Integer(), nullable=True))
    op.add_column('user', sa.Column('phone', sa.String(length=20), nullable=True))
    # Until now a kind was off only because the person tapped it off: that was her choice.
    op.execute(sa.text('UPDATE "user" SET reminders_chosen = reminders_off'))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('phone')
        batch_op.drop_column('reminders_suggested_by_id')
        batch_op.drop_column('reminders_suggested')
        batch_op.drop_column('reminders_chosen')
