"""open311: API keys of Open311 clients; status changes indexed by time (the updates feed)

Revision ID: os01
Revises: fl01
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

from server_sync.hub.db import UTCDateTime


revision = 'os01'
down_revision = 'fl01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'open311_keys',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=True),
        sa.Column('revoked_at', UTCDateTime(), nullable=True),
        sa.Column('last_used_at', UTCDateTime(), nullable=True),
        sa.Column('window_start', UTCDateTime(), nullable=True),
        sa.Column('window_count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_keys')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_open311_keys_key_hash')),
        sa.UniqueConstraint('name', name=op.f('uq_open311_keys_name')),
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_status_changes_at', ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_at')
    op.drop_table('open311_keys')
