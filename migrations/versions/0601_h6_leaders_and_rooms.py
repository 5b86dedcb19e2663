"""Leaders' unavailable weeks; a venue's capacity and the weekdays and slots it can be booked

Existing leaders are available every week; existing venues take any group size on any weekday
and slot (empty lists and no capacity mean no limit).

Revision ID: 0601_h6_leaders_and_rooms
Revises: 0601_h2_simulation_jobs
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0601_h6_leaders_and_rooms"
down_revision: str | None = "0601_h2_simulation_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    empty = sa.text("'[]'")
    with op.batch_alter_table("leader") as batch:
        batch.add_column(
            sa.Column("unavailable_weeks", sa.JSON(), nullable=False, server_default=empty)
        )
    with op.batch_alter_table("venue") as batch:
        batch.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("weekdays", sa.JSON(), nullable=False, server_default=empty))
        batch.add_column(sa.Column("slots", sa.JSON(), nullable=False, server_default=empty))


def downgrade() -> None:
    with op.batch_alter_table("venue") as batch:
        batch.drop_column("slots")
        batch.drop_column("weekdays")
        batch.drop_column("capacity")
    with op.batch_alter_table("leader") as batch:
        batch.drop_column("unavailable_weeks")
