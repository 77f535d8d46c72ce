"""Drop the presses table: a press is its outbox row; nothing read or purged the copy.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('presses')


def downgrade() -> None:
    op.create_table('presses',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('press_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('terminal_time', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.String(length=64), nullable=True),
    sa.Column('filtered', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('press_id')
    )
