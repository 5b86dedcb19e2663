"""A what-if from the management page may replay this database's own history

Revision ID: 0801_simulation_source
Revises: 0701_h5_term_plan_jobs
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0801_simulation_source"
down_revision: str | None = "0701_h5_term_plan_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Runs asked for before this revision were all on the demo city's calibration.
    with op.batch_alter_table("simulation_job", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="demo",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("simulation_job", schema=None) as batch_op:
        batch_op.drop_column("source")
