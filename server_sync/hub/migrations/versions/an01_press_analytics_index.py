"""satisfaction analytics in SQL: one covering index over a press's time and everything the summaries group by

Revision ID: an01
Revises: id01, rl01 (joins the two heads)
Create Date: 2026-12-03
"""

from alembic import op


revision = 'an01'
down_revision = ('id01', 'rl01')
branch_labels = None
depends_on = None

# The summary, heatmap and trend of a period read only these columns, in this index, without
# touching the table (an index-only scan on PostgreSQL, a covering index on SQLite). It starts
# with terminal_time, so it serves every range query the old one-column index did.
COLUMNS = ['terminal_time', 'office_id', 'counter_id', 'score', 'scale', 'filtered', 'filter_reason',
           'outside_hours', 'service_id', 'terminal_id']


def upgrade() -> None:
    with op.batch_alter_table('feedback_presses', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_presses_time_cover', COLUMNS, unique=False)
        batch_op.drop_index('ix_feedback_presses_terminal_time')


def downgrade() -> None:
    with op.batch_alter_table('feedback_presses', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_presses_terminal_time', ['terminal_time'], unique=False)
        batch_op.drop_index('ix_feedback_presses_time_cover')
