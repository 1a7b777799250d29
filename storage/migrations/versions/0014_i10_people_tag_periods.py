"""client_tag_periods: when each doelgroep tag of a client was set and removed

Existing clients' tags become periods starting on the day they entered (``entered_on``), or the
day the client row was made when that is unknown, so counts at a peildatum work for old data too.

Revision ID: 0014_i10_people_tag_periods
Revises: 0013_i10_work_notices
"""

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0014_i10_people_tag_periods"
down_revision: str | Sequence[str] | None = "0013_i10_work_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_clients = sa.table(
    "clients",
    sa.column("id", sa.Integer()),
    sa.column("tags", sa.JSON()),
    sa.column("entered_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _first_day(entered_on: object, created_at: object) -> date:
    if isinstance(entered_on, date):
        return entered_on
    if isinstance(entered_on, str) and entered_on:
        return date.fromisoformat(entered_on[:10])
    if isinstance(created_at, datetime):
        return created_at.date()
    return date.fromisoformat(str(created_at)[:10])


def upgrade() -> None:
    periods = op.create_table(
        "client_tag_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=32), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_client_tag_periods_client_id", "client_tag_periods", ["client_id"])
    op.create_index("ix_client_tag_periods_tag_set_on", "client_tag_periods", ["tag", "set_on"])
    rows = op.get_bind().execute(
        sa.select(_clients.c.id, _clients.c.tags, _clients.c.entered_on, _clients.c.created_at)
    )
    new = [
        {"client_id": cid, "tag": str(tag)[:32], "set_on": _first_day(entered, created)}
        for cid, tags, entered, created in rows
        for tag in dict.fromkeys(tags or [])
    ]
    if new:
        op.bulk_insert(periods, new)


def downgrade() -> None:
    op.drop_index("ix_client_tag_periods_tag_set_on", table_name="client_tag_periods")
    op.drop_index("ix_client_tag_periods_client_id", table_name="client_tag_periods")
    op.drop_table("client_tag_periods")
