"""placements: a client placed in work (vacature, kind, hours, start, loonkostensubsidie)

Revision ID: 0011_i10_exit_placements
Revises: 0010_i15_workers
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0011_i10_exit_placements"
down_revision: str | Sequence[str] | None = "0010_i15_workers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), sa.ForeignKey("vacancies.id"), nullable=True),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("hours_per_week", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("with_lks", sa.Boolean(), nullable=False),
        sa.Column("author_staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_placements_team_id", "placements", ["team_id"])
    op.create_index("ix_placements_client_id", "placements", ["client_id"])
    op.create_index("ix_placements_vacancy_id", "placements", ["vacancy_id"])


def downgrade() -> None:
    op.drop_index("ix_placements_vacancy_id", table_name="placements")
    op.drop_index("ix_placements_client_id", table_name="placements")
    op.drop_index("ix_placements_team_id", table_name="placements")
    op.drop_table("placements")
