"""audit chain: reference, chat type and hashes on audit_log; the chain row; append-only triggers

Revision ID: 0007_i14_audit_chain
Revises: 0006_i9_input_ref_key

Existing rows are backfilled: ``reference`` from the client a ``client:N`` object names, then
hashed in id order into one chain. The triggers come last, after the backfill's updates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.audit import GENESIS, row_hash
from storage.models import UtcDateTime

revision: str = "0007_i14_audit_chain"
down_revision: str | Sequence[str] | None = "0006_i9_input_ref_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN OLD.id > (SELECT anchor_id FROM audit_chain WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'audit_log: only rows up to the anchor can be purged'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit_log is append-only';
        END IF;
        IF OLD.id > (SELECT anchor_id FROM audit_chain WHERE id = 1) THEN
            RAISE EXCEPTION 'audit_log: only rows up to the anchor can be purged';
        END IF;
        RETURN OLD;
    END $$""",
    """CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard()""",
)


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("reference", sa.String(length=32), nullable=True))
    op.add_column("audit_log", sa.Column("chat_type", sa.String(length=16), nullable=True))
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_log_reference", "audit_log", ["reference"])
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("head_id", sa.BigInteger(), nullable=False),
        sa.Column("appends", sa.BigInteger(), nullable=False),
        sa.Column("anchor_id", sa.BigInteger(), nullable=False),
        sa.Column("anchor_hash", sa.String(length=64), nullable=False),
        sa.Column("purged_rows", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    log = sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("at", UtcDateTime(timezone=True)),
        sa.column("actor_telegram_id", sa.BigInteger()),
        sa.column("actor_staff_id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("object", sa.String()),
        sa.column("reference", sa.String()),
        sa.column("result", sa.String()),
        sa.column("chat_type", sa.String()),
        sa.column("prev_hash", sa.String()),
        sa.column("row_hash", sa.String()),
    )
    clients = sa.table("clients", sa.column("id", sa.Integer()), sa.column("ref", sa.String()))
    refs = {row.id: row.ref for row in bind.execute(sa.select(clients.c.id, clients.c.ref))}
    head = GENESIS
    head_id = 0
    for row in bind.execute(sa.select(log).order_by(log.c.id)).mappings().all():
        reference = None
        obj = row["object"] or ""
        if obj.startswith("client:") and obj[7:].isdigit():
            reference = refs.get(int(obj[7:]))
        content = {
            key: row[key]
            for key in ("at", "actor_telegram_id", "actor_staff_id", "action", "object", "result")
        }
        content |= {"reference": reference, "chat_type": None}
        digest = row_hash(head, content)
        bind.execute(
            sa.update(log)
            .where(log.c.id == row["id"])
            .values(reference=reference, prev_hash=head, row_hash=digest)
        )
        head, head_id = digest, row["id"]
    chain = sa.table(
        "audit_chain",
        sa.column("id", sa.Integer()),
        sa.column("head_hash", sa.String()),
        sa.column("head_id", sa.BigInteger()),
        sa.column("appends", sa.BigInteger()),
        sa.column("anchor_id", sa.BigInteger()),
        sa.column("anchor_hash", sa.String()),
        sa.column("purged_rows", sa.BigInteger()),
    )
    bind.execute(
        sa.insert(chain).values(
            id=1, head_hash=head, head_id=head_id, appends=0, anchor_id=0, anchor_hash=GENESIS, purged_rows=0
        )
    )
    for statement in SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER audit_log_guard ON audit_log")
        op.execute("DROP FUNCTION audit_log_guard()")
    op.drop_table("audit_chain")
    op.drop_index("ix_audit_log_reference", table_name="audit_log")
    for column in ("row_hash", "prev_hash", "chat_type", "reference"):
        op.drop_column("audit_log", column)
