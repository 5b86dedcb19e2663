"""Offers keep the facts their reason is rendered from, so a parent reads it in their language

Revision ID: 0501_h8_offer_reason_facts
Revises: 0402_h7_external_id
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0501_h8_offer_reason_facts"
down_revision: str | None = "0402_h7_external_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.add_column(sa.Column("reason_facts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.drop_column("reason_facts")
