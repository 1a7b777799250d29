"""merge the deadlines and weekdate branches into one head

Revision ID: 0005_merge_deadlines_weekdate
Revises: 0003_deadlines, 0004_weekdate
"""

from collections.abc import Sequence

revision: str = "0005_merge_deadlines_weekdate"
down_revision: str | Sequence[str] | None = ("0003_deadlines", "0004_weekdate")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
