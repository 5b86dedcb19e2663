"""Rate-limit counters unlogged on PostgreSQL: bumped on every parent request, they need no
write-ahead log (a crash empties them, which only forgets the current minute's counts)

Revision ID: 0301
Revises: 0201
Create Date: 2026-11-25 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0301"
down_revision: str | None = "0201"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_limit_window SET UNLOGGED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_limit_window SET LOGGED")
