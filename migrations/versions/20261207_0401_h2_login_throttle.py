"""Log-in throttling: failure counters with growing pauses, and the addresses each staff
account logged in from

Revision ID: 0401_h2_login_throttle
Revises: 0301
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0401_h2_login_throttle"
down_revision: str | None = "0301"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("bucket", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("closed_until", sa.Float(), nullable=False),
        sa.Column("last_failure", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bucket"),
    )
    op.create_index("ix_login_throttle_last_failure", "login_throttle", ["last_failure"])
    op.create_table(
        "staff_login_address",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("last_login", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_id", "address"),
    )
    op.create_index("ix_staff_login_address_last_login", "staff_login_address", ["last_login"])


def downgrade() -> None:
    op.drop_index("ix_staff_login_address_last_login", table_name="staff_login_address")
    op.drop_table("staff_login_address")
    op.drop_index("ix_login_throttle_last_failure", table_name="login_throttle")
    op.drop_table("login_throttle")
