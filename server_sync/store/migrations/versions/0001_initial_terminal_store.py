"""Initial terminal store: catalogue cache, outbox, presses, submissions, identity, sync state.

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=128), nullable=False),
    sa.Column('etag', sa.String(length=256), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('fetched_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('counters',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('device_health',
    sa.Column('device', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('device')
    )
    op.create_table('error_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('token', sa.String(length=256), nullable=False),
    sa.Column('hub_url', sa.String(length=512), nullable=False),
    sa.Column('hub_public_key', sa.String(length=128), nullable=False),
    sa.Column('hub_epoch', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=True),
    sa.Column('terminal_time', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.Float(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.Float(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.Float(), nullable=True),
    sa.Column('delivered_epoch', sa.String(length=64), nullable=True),
    sa.Column('hub_number', sa.String(length=64), nullable=True),
    sa.Column('hub_tracking_code', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id'),
    sa.UniqueConstraint('seq')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_delivered_at', ['delivered_at'], unique=False)
        batch_op.create_index('ix_outbox_pending', ['state', 'kind', 'seq'], unique=False)

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
    op.create_table('settings',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('provisional_ref', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('terminal_time', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('tracking_code', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id'),
    sa.UniqueConstraint('provisional_ref')
    )
    op.create_table('sync_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_contact_at', sa.Float(), nullable=True),
    sa.Column('last_sync_at', sa.Float(), nullable=True),
    sa.Column('last_heartbeat_at', sa.Float(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.Float(), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('hub_last_seq', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('sync_state')
    op.drop_table('submissions')
    op.drop_table('settings')
    op.drop_table('presses')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')
        batch_op.drop_index('ix_outbox_delivered_at')

    op.drop_table('outbox')
    op.drop_table('identity')
    op.drop_table('error_log')
    op.drop_table('device_health')
    op.drop_table('counters')
    op.drop_table('catalogue_cache')
