"""inbox: partial index of open requests by deadline (most overdue first, overdue only)

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


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_open_deadline', ['deadline_at'], unique=False,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_open_deadline', sqlite_where=sa.text(OPEN),
                            postgresql_where=sa.text(OPEN))
