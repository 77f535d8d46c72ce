"""software releases for the fleet and the terminals' release channels

Revision ID: rl01
Revises: os01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

from server_sync.hub.db import UTCDateTime


revision = 'rl01'
down_revision = 'os01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('releases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('published_at', UTCDateTime(), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=True),
    sa.Column('withdrawn_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases')),
    sa.UniqueConstraint('version', name=op.f('uq_releases_version'))
    )
    with op.batch_alter_table('heartbeats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('update', sa.JSON(), nullable=True))
    op.create_table('terminal_channels',
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('set_at', UTCDateTime(), nullable=False),
    sa.Column('set_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['terminal_id'], ['terminals.id'], name=op.f('fk_terminal_channels_terminal_id_terminals')),
    sa.PrimaryKeyConstraint('terminal_id', name=op.f('pk_terminal_channels'))
    )


def downgrade() -> None:
    op.drop_table('terminal_channels')
    with op.batch_alter_table('heartbeats', schema=None) as batch_op:
        batch_op.drop_column('update')
    op.drop_table('releases')
