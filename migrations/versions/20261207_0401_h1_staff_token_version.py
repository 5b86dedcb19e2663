"""Staff token version: bumped on logout, deactivation and password change, so every token
issued before stops working at once

Revision ID: 0401_h1_staff_token_version
Revises: 0401_h2_login_throttle
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0401_h1_staff_token_version"
down_revision: str | None = "0401_h2_login_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("token_version")
