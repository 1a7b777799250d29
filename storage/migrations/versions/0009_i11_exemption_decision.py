"""ontheffingen record the decision (date, grondslag, zaaknummer) and the art. 9a request

Revision ID: 0009_i11_exemption_decision
Revises: 0008_i9_meeting_agenda
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_i11_exemption_decision"
down_revision: str | Sequence[str] | None = "0008_i9_meeting_agenda"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DECISION = (
    ("decision_date", sa.Date()),
    ("basis", sa.String(32)),
    ("basis_note", sa.String(200)),
    ("case_number", sa.String(40)),
)


def upgrade() -> None:
    with op.batch_alter_table("exemptions") as batch:
        for name, type_ in _DECISION:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(sa.Column("request_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("months_used_before", sa.Integer(), nullable=True))
    with op.batch_alter_table("exemption_reviews") as batch:
        for name, type_ in _DECISION:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exemption_reviews") as batch:
        for name, _type in reversed(_DECISION):
            batch.drop_column(name)
    with op.batch_alter_table("exemptions") as batch:
        batch.drop_column("months_used_before")
        batch.drop_column("request_date")
        for name, _type in reversed(_DECISION):
            batch.drop_column(name)
