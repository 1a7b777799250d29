"""clients.ref_key: the canonical form references are compared in, unique per team

Revision ID: 0006_i9_input_ref_key
Revises: 0005_merge_deadlines_weekdate

Existing rows are backfilled with ``bot.caselog.rules.reference_key``. Two existing clients whose
references have the same key (``C-10234`` and ``C10234``, made before this revision) cannot both
hold it: the older keeps the key (and is the one a reference now finds), the later gets its key
suffixed with its id so no row is lost; the team merges them by hand if they are one person.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.caselog.rules import reference_key

revision: str = "0006_i9_input_ref_key"
down_revision: str | Sequence[str] | None = "0005_merge_deadlines_weekdate"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch_op:
        batch_op.add_column(sa.Column("ref_key", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    clients = sa.table(
        "clients",
        sa.column("id", sa.Integer),
        sa.column("team_id", sa.Integer),
        sa.column("ref", sa.String),
        sa.column("ref_key", sa.String),
    )
    taken: set[tuple[int, str]] = set()
    rows = connection.execute(
        sa.select(clients.c.id, clients.c.team_id, clients.c.ref).order_by(clients.c.id)
    ).all()
    for row_id, team_id, ref in rows:
        key = reference_key(ref) or f"~{row_id}"
        if (team_id, key) in taken:
            key = f"{key}~{row_id}"[:32]
        taken.add((team_id, key))
        connection.execute(
            sa.update(clients).where(clients.c.id == row_id).values(ref_key=key)
        )
    with op.batch_alter_table("clients") as batch_op:
        batch_op.alter_column("ref_key", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint("uq_clients_team_ref_key", ["team_id", "ref_key"])


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch_op:
        batch_op.drop_constraint("uq_clients_team_ref_key", type_="unique")
        batch_op.drop_column("ref_key")
