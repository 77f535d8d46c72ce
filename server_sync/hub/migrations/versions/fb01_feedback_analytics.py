"""feedback analytics: alert rules, alerts (with their acknowledgement), evaluation watermark

Revision ID: fb01
Revises: 0001
Create Date: 2026-11-22
"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import server_sync.hub.db


revision = 'fb01'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_alert_rules',
    sa.Column('office_id', sa.String(length=64), nullable=False),
    sa.Column('window_s', sa.Integer(), nullable=False),
    sa.Column('min_responses', sa.Integer(), nullable=False),
    sa.Column('negative_share', sa.Float(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('office_id', name=op.f('pk_feedback_alert_rules'))
    )
    op.create_table('feedback_alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('office_id', sa.String(length=64), nullable=True),
    sa.Column('counter_id', sa.String(length=64), nullable=True),
    sa.Column('terminal_id', sa.String(length=16), nullable=True),
    sa.Column('window_start', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('window_end', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('negative', sa.Integer(), nullable=False),
    sa.Column('rule_window_s', sa.Integer(), nullable=False),
    sa.Column('rule_min_responses', sa.Integer(), nullable=False),
    sa.Column('rule_negative_share', sa.Float(), nullable=False),
    sa.Column('raised_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_alerts'))
    )
    with op.batch_alter_table('feedback_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_alerts_group', ['office_id', 'counter_id', 'window_end'], unique=False)
    state = op.create_table('feedback_alert_state',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('evaluated_until', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_feedback_alert_state'))
    )
    # The evaluation watermark exists from the start, so concurrent hubs lock it rather than race to insert it.
    op.bulk_insert(state, [{'key': 'alerts', 'evaluated_until': datetime(1970, 1, 1, tzinfo=timezone.utc)}])


def downgrade() -> None:
    op.drop_table('feedback_alert_state')
    with op.batch_alter_table('feedback_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_alerts_group')
    op.drop_table('feedback_alerts')
    op.drop_table('feedback_alert_rules')
