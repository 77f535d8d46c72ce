"""technicians: an optional office a technician's access is limited to

Revision ID: tc02
Revises: tc01
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = 'tc02'
down_revision = 'tc01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('technician_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('technician_credentials', schema=None) as batch_op:
        batch_op.drop_column('office_id')
