"""usernames case-insensitive and unique

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_staff_account_username_lower"


def upgrade() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(username) FROM staff_account"
                " GROUP BY lower(username) HAVING count(*) > 1"
            )
        )
        .scalars()
        .all()
    )
    if clashes:
        raise RuntimeError(
            "staff usernames that differ only in case: "
            + ", ".join(sorted(clashes))
            + ". Rename or remove all but one of each, then migrate again."
        )
    op.execute(
        "UPDATE staff_account SET username = lower(username) WHERE username <> lower(username)"
    )
    op.create_index(INDEX, "staff_account", [sa.text("lower(username)")], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="staff_account")
