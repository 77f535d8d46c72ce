"""fleet page: the newest heartbeat's queue depth and device problems as terminal columns

Revision ID: fl01
Revises: in01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = 'fl01'
down_revision = 'in01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terminals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_depth', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('device_problems', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('terminals', schema=None) as batch_op:
        batch_op.drop_column('device_problems')
        batch_op.drop_column('queue_depth')
