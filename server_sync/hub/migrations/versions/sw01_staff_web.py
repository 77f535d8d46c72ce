"""staff web: roles, sessions, audit log, technician credentials, inbox indexes

Revision ID: sw01
Revises: fb01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa
import server_sync.hub.db


revision = 'sw01'
down_revision = 'fb01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('technician_credentials',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('badge_hash', sa.String(length=64), nullable=True),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('disabled_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technician_credentials')),
    sa.UniqueConstraint('badge_hash', name=op.f('uq_technician_credentials_badge_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_technician_credentials_name'))
    )
    op.create_table('staff_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', server_sync.hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], name=op.f('fk_staff_sessions_user_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_staff_sessions'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('enrollment_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('created_by', sa.String(length=64), nullable=True))

    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('office_id', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_requests_channel_registered', ['channel', 'registered_at'], unique=False)
        batch_op.create_index('ix_requests_kind_registered', ['kind', 'registered_at'], unique=False)
        batch_op.create_index('ix_requests_office_registered', ['office_id', 'registered_at'], unique=False)
        batch_op.create_index('ix_requests_status_deadline', ['status', 'deadline_at'], unique=False)
        batch_op.create_index('ix_requests_status_registered', ['status', 'registered_at'], unique=False)
        batch_op.create_index('ix_requests_unit_registered', ['unit_id', 'registered_at'], unique=False)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=16), server_default='administrator', nullable=False))
        batch_op.add_column(sa.Column('units', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('full_name', sa.String(length=120), nullable=True))

    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('internal_note', sa.Text(), nullable=True))

    with op.batch_alter_table('terminals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_terminals_last_heartbeat_at', ['last_heartbeat_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_terminals_office_id'), ['office_id'], unique=False)

    _backfill_units()


def _backfill_units() -> None:
    """Requests filed before this revision get the unit of their service or category from the newest catalogue."""
    conn = op.get_bind()
    revisions = sa.table('catalogue_revisions', sa.column('id', sa.Integer), sa.column('data', sa.JSON))
    requests = sa.table('requests', sa.column('service_id', sa.String), sa.column('signal_category_id', sa.String),
                        sa.column('unit_id', sa.String))
    data = conn.execute(sa.select(revisions.c.data).order_by(revisions.c.id.desc()).limit(1)).scalar()
    if not data:
        return
    for s in data.get('services', []):
        if s.get('unit_id'):
            conn.execute(requests.update().where(requests.c.service_id == s['id']).values(unit_id=s['unit_id']))
    for c in data.get('signal_categories', []):
        if c.get('unit_id'):
            conn.execute(requests.update().where(requests.c.signal_category_id == c['id'])
                         .values(unit_id=c['unit_id']))


def downgrade() -> None:
    with op.batch_alter_table('terminals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_terminals_office_id'))
        batch_op.drop_index('ix_terminals_last_heartbeat_at')
        batch_op.drop_column('office_id')

    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_column('internal_note')

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('full_name')
        batch_op.drop_column('units')
        batch_op.drop_column('role')

    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_unit_registered')
        batch_op.drop_index('ix_requests_status_registered')
        batch_op.drop_index('ix_requests_status_deadline')
        batch_op.drop_index('ix_requests_office_registered')
        batch_op.drop_index('ix_requests_kind_registered')
        batch_op.drop_index('ix_requests_channel_registered')
        batch_op.drop_column('office_id')
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('enrollment_codes', schema=None) as batch_op:
        batch_op.drop_column('created_by')
        batch_op.drop_column('office_id')

    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))

    op.drop_table('staff_sessions')
    op.drop_table('technician_credentials')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
