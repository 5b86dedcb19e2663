"""Queue order index: a parent's position is one count over their queue

Revision ID: 0201
Revises: 0101
Create Date: 2026-11-25 15:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0201"
down_revision: str | None = "0101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_application_queue",
        "application",
        ["district", "programme", "status", "queue_date", "lottery"],
    )


def downgrade() -> None:
    op.drop_index("ix_application_queue", table_name="application")
