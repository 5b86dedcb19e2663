"""Idempotency keys survive a crash: a lease on pending keys (claim, lease_until) and the
application each answer is about (so erasure and the purge can find it)

Revision ID: 0401_h3_idempotency_lease
Revises: 0401_h1_staff_token_version
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0401_h3_idempotency_lease"
down_revision: str | None = "0401_h1_staff_token_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_record") as batch:
        batch.add_column(
            sa.Column(
                "claim",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
    op.create_index(
        op.f("ix_idempotency_record_application_id"), "idempotency_record", ["application_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_record_application_id"), table_name="idempotency_record")
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_column("application_id")
        batch.drop_column("lease_until")
        batch.drop_column("claim")
