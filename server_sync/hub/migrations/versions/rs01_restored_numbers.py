"""hub restore: a request re-sent after a restore whose number was taken keeps it as earlier_number

Revision ID: rs01
Revises: an01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = 'rs01'
down_revision = 'an01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('earlier_number', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_requests_earlier_number'), ['earlier_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_earlier_number'))
        batch_op.drop_column('earlier_number')
