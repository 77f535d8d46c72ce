"""id01: requests.identity_linked — in a citizen's dossier only when the MRZ proved the ЕГН

Rows filed before this revision were shown in dossiers already and stay linked (2026-12-03);
new rows are linked only with a proof (server_sync/hub/identity_proof.py).

Revision ID: id01
Revises: os01
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = 'id01'
down_revision = 'os01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_linked', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))
    op.execute("UPDATE requests SET identity_linked = true WHERE egn_hmac IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_column('identity_linked')
