"""inbox indexes: open requests by deadline (partial), covering indexes per unit, service and category

Revision ID: in01
Revises: sw01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = 'in01'
down_revision = 'sw01'
branch_labels = None
depends_on = None

OPEN = "status IN ('registered', 'pending', 'in_progress')"
COVERING = {
    'ix_requests_unit_inbox': ['unit_id', 'registered_at', 'status', 'kind', 'channel', 'office_id', 'service_id',
                               'signal_category_id', 'deadline_at'],
    'ix_requests_service_inbox': ['service_id', 'registered_at', 'status', 'channel', 'office_id', 'unit_id',
                                  'deadline_at'],
    'ix_requests_category_inbox': ['signal_category_id', 'registered_at', 'status', 'channel', 'office_id',
                                   'unit_id', 'deadline_at'],
}


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_open_deadline', ['deadline_at'], unique=False,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
        for name, columns in COVERING.items():
            batch_op.create_index(name, columns, unique=False)
        batch_op.drop_index('ix_requests_unit_registered')  # the unit index above starts the same way


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_unit_registered', ['unit_id', 'registered_at'], unique=False)
        for name in COVERING:
            batch_op.drop_index(name)
        batch_op.drop_index('ix_requests_open_deadline', sqlite_where=sa.text(OPEN),
                            postgresql_where=sa.text(OPEN))
