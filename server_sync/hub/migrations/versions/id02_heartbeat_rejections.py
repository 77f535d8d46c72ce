"""id02: heartbeats.rejected_items and last_rejection — queued items the hub refused, as reported

Revision ID: id02
Revises: id01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = 'id02'
down_revision = 'id01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('heartbeats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejected_items', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_rejection', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('heartbeats', schema=None) as batch_op:
        batch_op.drop_column('last_rejection')
        batch_op.drop_column('rejected_items')
