"""trajecten get their own table (status, outcome, extensions); existing ones are copied in

Revision ID: 0012_i10_traject_trajectories
Revises: 0011_i10_exit_placements
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0012_i10_traject_trajectories"
down_revision: str | Sequence[str] | None = "0011_i10_exit_placements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def upgrade() -> None:
    trajectories = op.create_table(
        "trajectories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("case_item_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_reason", sa.String(length=300), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("refused_item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["case_item_id"], ["case_items.id"]),
        sa.ForeignKeyConstraint(["refused_item_id"], ["case_items.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_item_id"),
    )
    op.create_index("ix_trajectories_client_id", "trajectories", ["client_id"])
    op.create_index("ix_trajectories_team_status", "trajectories", ["team_id", "status"])
    op.create_table(
        "trajectory_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("previous_end", sa.Date(), nullable=True),
        sa.Column("new_end", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["trajectory_id"], ["trajectories.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_trajectory_extensions_trajectory_id", "trajectory_extensions", ["trajectory_id"]
    )
    # Trajecten logged before this table existed become running ones, so their end deadline's
    # Gedaan can ask the outcome like any other.
    items = sa.table(
        "case_items",
        sa.column("id", sa.Integer()),
        sa.column("team_id", sa.Integer()),
        sa.column("client_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("data", sa.JSON()),
        sa.column("created_at", storage.models.UtcDateTime(timezone=True)),
    )
    rows = op.get_bind().execute(
        sa.select(items.c.id, items.c.team_id, items.c.client_id, items.c.data, items.c.created_at)
        .where(items.c.kind == "trajectory", items.c.client_id.is_not(None))
        .order_by(items.c.id)
    )
    copied = []
    for item_id, team_id, client_id, data, created_at in rows:
        data = data or {}
        start = _day(data.get("start"))
        if start is None:
            continue
        end = _day(data.get("end"))
        copied.append(
            {
                "team_id": team_id,
                "client_id": client_id,
                "case_item_id": item_id,
                "instrument": str(data.get("instrument") or "")[:32],
                "start": start,
                "planned_end": end,
                "end": end,
                "status": "lopend",
                "created_at": created_at,
                "updated_at": created_at,
            }
        )
    if copied:
        op.bulk_insert(trajectories, copied)


def downgrade() -> None:
    op.drop_index("ix_trajectory_extensions_trajectory_id", table_name="trajectory_extensions")
    op.drop_table("trajectory_extensions")
    op.drop_index("ix_trajectories_team_status", table_name="trajectories")
    op.drop_index("ix_trajectories_client_id", table_name="trajectories")
    op.drop_table("trajectories")
