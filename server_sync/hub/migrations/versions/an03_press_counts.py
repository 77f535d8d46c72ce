"""presses counted per terminal, counter, score and filter flag for /metrics, kept by the ingest

Revision ID: an03
Revises: an02
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = 'an03'
down_revision = 'an02'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feedback_press_counts',
        sa.Column('terminal_id', sa.String(length=16), nullable=False),
        sa.Column('counter_id', sa.String(length=64), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('filtered', sa.Boolean(), nullable=False),
        sa.Column('presses', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('terminal_id', 'counter_id', 'score', 'filtered', name=op.f('pk_feedback_press_counts')),
    )
    # The presses received so far, counted once here; from now on the ingest adds its own.
    op.execute("INSERT INTO feedback_press_counts (terminal_id, counter_id, score, filtered, presses) "
               "SELECT terminal_id, COALESCE(counter_id, ''), score, filtered, count(*) FROM feedback_presses "
               "GROUP BY terminal_id, COALESCE(counter_id, ''), score, filtered")


def downgrade() -> None:
    op.drop_table('feedback_press_counts')
