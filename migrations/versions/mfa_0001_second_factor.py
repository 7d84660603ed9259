"""staff second factor: passkeys, TOTP, recovery codes; half sessions and WebAuthn challenges

Revision ID: mfa_0001
Revises: offboard_0001
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa

import worker_app.models.types


# revision identifiers, used by Alembic.
revision = 'mfa_0001'
down_revision = 'offboard_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('passkey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.String(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('transports', sa.String(length=120), nullable=False),
    sa.Column('backup_eligible', sa.Boolean(), nullable=False),
    sa.Column('backed_up', sa.Boolean(), nullable=False),
    sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', worker_app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_passkey_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkey')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_passkey_credential_id'))
    )
    with op.batch_alter_table('passkey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkey_user_id'), ['user_id'], unique=False)

    op.create_table('totp_factor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_encrypted', sa.String(length=200), nullable=False),
    sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', worker_app.models.types.UTCDateTime(), nullable=True),
    sa.Column('last_step', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_totp_factor_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_totp_factor'))
    )
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', worker_app.models.types.UTCDateTime(), nullable=False),
    sa.Column('used_at', worker_app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_code_code_hash'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_due', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('second_factor_at', worker_app.models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('challenge', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('challenge_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('challenge_expires_at', worker_app.models.types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('challenge_expires_at')
        batch_op.drop_column('challenge_kind')
        batch_op.drop_column('challenge')
        batch_op.drop_column('second_factor_at')
        batch_op.drop_column('second_factor_due')

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    op.drop_table('totp_factor')
    with op.batch_alter_table('passkey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkey_user_id'))
    op.drop_table('passkey')
