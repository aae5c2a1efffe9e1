"""topic cells read by kind: a covering index for the top services and needs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 16:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["kind", "topic", "day", "district", "conversations"]


def upgrade() -> None:
    op.create_index("ix_stats_topic_cell_by_kind", "stats_topic_cell", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_stats_topic_cell_by_kind", table_name="stats_topic_cell")
