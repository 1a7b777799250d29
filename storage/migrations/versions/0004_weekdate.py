"""weekdate: meetings (agenda snapshot, walk, minutes), decisions, moved/skipped occurrences

Revision ID: 0004_weekdate
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0004_weekdate"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekdate_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("regular_date", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agenda_sent_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("agenda_private", sa.Text(), nullable=True),
        sa.Column("agenda_group", sa.Text(), nullable=True),
        sa.Column("chair_staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("started_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("walk", sa.JSON(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("attendee_staff_ids", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "regular_date"),
    )
    op.create_index("ix_weekdate_meetings_team_id", "weekdate_meetings", ["team_id"])
    op.create_table(
        "weekdate_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "meeting_id", sa.Integer(), sa.ForeignKey("weekdate_meetings.id"), nullable=False
        ),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("client_ref", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadlines.id"), nullable=True),
        sa.Column("decided_by_staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("decided_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "item_key"),
    )
    op.create_index("ix_weekdate_decisions_meeting_id", "weekdate_decisions", ["meeting_id"])
    op.create_table(
        "weekdate_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("regular_date", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("new_date", sa.Date(), nullable=True),
        sa.Column("new_time", sa.String(length=5), nullable=True),
        sa.Column("asked_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "regular_date"),
    )
    op.create_index("ix_weekdate_overrides_team_id", "weekdate_overrides", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_weekdate_overrides_team_id", table_name="weekdate_overrides")
    op.drop_table("weekdate_overrides")
    op.drop_index("ix_weekdate_decisions_meeting_id", table_name="weekdate_decisions")
    op.drop_table("weekdate_decisions")
    op.drop_index("ix_weekdate_meetings_team_id", table_name="weekdate_meetings")
    op.drop_table("weekdate_meetings")
