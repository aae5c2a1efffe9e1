"""need vocabularies

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:09:09.059823
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows get empty lists; the next `services_catalog load` fills them.
    op.add_column("need", sa.Column("name_en", sa.String(length=200), nullable=True))
    empty = sa.text("'[]'")
    op.add_column("need", sa.Column("words", sa.JSON(), nullable=False, server_default=empty))
    op.add_column("need", sa.Column("suggest", sa.JSON(), nullable=False, server_default=empty))


def downgrade() -> None:
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_column("suggest")
        batch_op.drop_column("words")
        batch_op.drop_column("name_en")
