"""Roster keys per owner: (owner, source, external id) is unique, not (source, external id);
sign-in links can be revoked

Revision ID: guard_0001
Revises: audit_0001
Create Date: 2026-12-01 23:30:00

The owner of a shift sent by a roster upload is the person whose token sent it. Shifts made
before this migration get the person the audit log names for their "shift.create" (the
detail is "source:external_id"), else the first specialist who follows the worker.
"""
from alembic import op
import sqlalchemy as sa

import worker_app.models.types


revision = 'guard_0001'
down_revision = 'audit_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sign_in_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', worker_app.models.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_owner_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_shift_external_source', type_='unique')
        batch_op.create_foreign_key(batch_op.f('fk_shift_external_owner_id_user'), 'user',
                                    ['external_owner_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_shift_external_owner_id'),
                                          ['external_owner_id', 'external_source', 'external_id'])
    op.execute(sa.text(
        "UPDATE shift SET external_owner_id = (SELECT a.actor_id FROM audit_entry a"
        " WHERE a.action = 'shift.create' AND a.worker_id = shift.worker_id"
        " AND a.detail = shift.external_source || ':' || shift.external_id"
        " ORDER BY a.id LIMIT 1) WHERE external_source IS NOT NULL"))
    op.execute(sa.text(
        "UPDATE shift SET external_owner_id = (SELECT MIN(f.specialist_id) FROM follows f"
        " WHERE f.worker_id = shift.worker_id)"
        " WHERE external_source IS NOT NULL AND external_owner_id IS NULL"))


def downgrade():
    # Keys that only differ by owner can't all stay: the downgrade keeps the oldest of each.
    op.execute(sa.text(
        "UPDATE shift SET external_source = NULL, external_id = NULL WHERE external_source IS NOT NULL"
        " AND id <> (SELECT MIN(s.id) FROM shift s WHERE s.external_source = shift.external_source"
        " AND s.external_id = shift.external_id)"))
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_shift_external_owner_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_shift_external_owner_id_user'), type_='foreignkey')
        batch_op.create_unique_constraint('uq_shift_external_source', ['external_source', 'external_id'])
        batch_op.drop_column('external_owner_id')
    with op.batch_alter_table('sign_in_link', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
