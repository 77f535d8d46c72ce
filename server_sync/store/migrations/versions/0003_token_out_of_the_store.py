"""Move the hub token out of the shared database into <data_dir>/hub-token (0600).

The token is written to its file first (atomically), then the column is dropped: the table is
rebuilt, and with secure_delete the freed pages that held the token are overwritten.

Revision ID: 0003
Revises: 0002
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from server_sync.store.token_file import write_token

    bind = op.get_bind()
    token = bind.execute(sa.text("SELECT token FROM identity WHERE id = 1")).scalar()
    if token:
        database = bind.engine.url.database
        write_token(Path(database).parent, token)
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.drop_column('token')


def downgrade() -> None:
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=256), nullable=False, server_default=''))
