"""early signs on Mine arbeidstakere: a sign the specialist marked as seen, with a note

Revision ID: signs_0001
Revises: mfa_0001
Create Date: 2026-12-02 12:45:00

"""
from alembic import op
import sqlalchemy as sa

import worker_app.models.types


# revision identifiers, used by Alembic.
revision = 'signs_0001'
down_revision = 'mfa_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_seen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('sign_on', sa.Date(), nullable=False),
    sa.Column('seen_by_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['seen_by_id'], ['user.id'], name=op.f('fk_sign_seen_seen_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_sign_seen_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_seen'))
    )
    op.create_index('ix_sign_seen_worker_kind', 'sign_seen', ['worker_id', 'kind'], unique=False)


def downgrade():
    op.drop_index('ix_sign_seen_worker_kind', table_name='sign_seen')
    op.drop_table('sign_seen')
