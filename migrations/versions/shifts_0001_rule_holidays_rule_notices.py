"""repeat rules: "also on public holidays", and a notice about a whole rule

Revision ID: shifts_0001
Revises: lists_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "shifts_0001"
down_revision = "lists_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("shift_rule", sa.Column("on_holidays", sa.Boolean(), nullable=False, server_default=sa.false()))
    # notice is a small table of its own (not user): SQLite may copy it to add the foreign key.
    with op.batch_alter_table("notice") as batch_op:
        batch_op.add_column(sa.Column("rule_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_notice_rule_id", "shift_rule", ["rule_id"], ["id"])


def downgrade():
    with op.batch_alter_table("notice") as batch_op:
        batch_op.drop_constraint("fk_notice_rule_id", type_="foreignkey")
        batch_op.drop_column("rule_id")
    with op.batch_alter_table("shift_rule") as batch_op:
        batch_op.drop_column("on_holidays")
