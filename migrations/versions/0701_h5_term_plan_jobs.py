"""Term plans asked for from the management and coordinators' pages run as background jobs

Revision ID: 0701_h5_term_plan_jobs
Revises: 0601_h6_leaders_and_rooms
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0701_h5_term_plan_jobs"
down_revision: str | None = "0601_h6_leaders_and_rooms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "term_plan_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mark", sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_weeks", sa.Integer(), nullable=False),
        sa.Column("budget", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mark"),
    )
    with op.batch_alter_table("term_plan_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_term_plan_job_request_key"), ["request_key"])
        batch_op.create_index(batch_op.f("ix_term_plan_job_fingerprint"), ["fingerprint"])
        batch_op.create_index(batch_op.f("ix_term_plan_job_state"), ["state"])
        batch_op.create_index(batch_op.f("ix_term_plan_job_finished_at"), ["finished_at"])


def downgrade() -> None:
    with op.batch_alter_table("term_plan_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_plan_job_finished_at"))
        batch_op.drop_index(batch_op.f("ix_term_plan_job_state"))
        batch_op.drop_index(batch_op.f("ix_term_plan_job_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_term_plan_job_request_key"))
    op.drop_table("term_plan_job")
