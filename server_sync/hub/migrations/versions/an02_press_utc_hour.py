"""heatmap and trend group by a press's UTC hour, stored with the press and in the covering index

Revision ID: an02
Revises: rs01, id02 (joins the two heads)
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = 'an02'
down_revision = ('rs01', 'id02')
branch_labels = None
depends_on = None

COLUMNS = ['terminal_time', 'office_id', 'counter_id', 'score', 'scale', 'filtered', 'filter_reason',
           'outside_hours', 'service_id', 'terminal_id']


def upgrade() -> None:
    with op.batch_alter_table('feedback_presses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('utc_hour', sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE feedback_presses SET utc_hour = floor(date_part('epoch', terminal_time) / 3600.0)::bigint")
    else:
        op.execute("UPDATE feedback_presses SET utc_hour = CAST(strftime('%s', terminal_time) AS INTEGER) / 3600")
    with op.batch_alter_table('feedback_presses', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_presses_time_cover')
        batch_op.create_index('ix_feedback_presses_time_cover', COLUMNS + ['utc_hour'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feedback_presses', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_presses_time_cover')
        batch_op.create_index('ix_feedback_presses_time_cover', COLUMNS, unique=False)
        batch_op.drop_column('utc_hour')
