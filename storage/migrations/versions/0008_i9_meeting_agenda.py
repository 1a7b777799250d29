"""weekdate: agenda delivery per recipient (sent, retry, failed, unknown; reported)

Revision ID: 0008_i9_meeting_agenda
Revises: 0007_i14_audit_chain
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0008_i9_meeting_agenda"
down_revision: str | Sequence[str] | None = "0007_i14_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agenda_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "meeting_id", sa.Integer(), sa.ForeignKey("weekdate_meetings.id"), nullable=False
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("updated_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reported_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "chat_id"),
    )
    op.create_index("ix_agenda_deliveries_meeting_id", "agenda_deliveries", ["meeting_id"])


def downgrade() -> None:
    op.drop_index("ix_agenda_deliveries_meeting_id", table_name="agenda_deliveries")
    op.drop_table("agenda_deliveries")
