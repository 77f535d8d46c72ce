"""technicians: a name is unique among active technicians only (a withdrawn one can be added again)

Revision ID: tc01
Revises: an03
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = 'tc01'
down_revision = 'an03'
branch_labels = None
depends_on = None

ACTIVE = "disabled_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('technician_credentials', schema=None) as batch_op:
        batch_op.drop_constraint('uq_technician_credentials_name', type_='unique')
        batch_op.create_index('uq_technician_credentials_active_name', ['name'], unique=True,
                              sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))


def downgrade() -> None:
    # fails while a withdrawn technician and an active one share a name, as it should: the old rule
    # cannot hold them both
    with op.batch_alter_table('technician_credentials', schema=None) as batch_op:
        batch_op.drop_index('uq_technician_credentials_active_name', sqlite_where=sa.text(ACTIVE),
                            postgresql_where=sa.text(ACTIVE))
        batch_op.create_unique_constraint('uq_technician_credentials_name', ['name'])
