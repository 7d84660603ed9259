"""a notice can name a checklist that was taken back (task_withdrawn)

Revision ID: lists_0001
Revises: checkin_0001
Create Date: 2026-12-02 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'lists_0001'
down_revision = 'checkin_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notice_assignment_id_assignment'), 'assignment',
                                    ['assignment_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notice_assignment_id_assignment'), type_='foreignkey')
        batch_op.drop_column('assignment_id')
