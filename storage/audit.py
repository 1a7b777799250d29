"""The audit log: who did what to which object, with what result. No client data or free text.

Tamper-evident (issue 14): every row carries ``row_hash`` = SHA-256 over its content and the
previous row's hash (``prev_hash``). There is **one chain for the whole database**, not one per
team: many rows belong to no team (strangers, the CLI, the purge job), a single chain gives one
total order that one ``audit verify`` checks, and at a team's volume (a few hundred rows a day)
serialising the appends costs nothing.

Appends are serialised so two writers cannot fork the chain: rows recorded in a transaction
wait in the session and are chained just before it commits, after a write to the one row of
``audit_chain`` (a row lock on PostgreSQL, the database write lock on SQLite) that holds the head
hash. Taking that lock last, for the shortest time, means it never waits behind another lock the
transaction holds, so it cannot deadlock.

Rows are never updated; triggers refuse UPDATE, and DELETE of any row above the anchor
(``audit_chain.anchor_id``). Retention purges by first moving the anchor onto the last row it
removes (recording that row's hash), then deleting up to it: the rest of the chain still
verifies from the anchor's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, event, func, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from bot.core.vocabulary import AuditAction
from storage.models import AuditChain, AuditEntry, Client

#: The ``prev_hash`` of the first row ever written.
GENESIS = "0" * 64
_PENDING = "audit_pending"

#: The tables whose every write is audited by storage itself (the records a team keeps and who
#: may see them). Machinery is left out: ledgers and digests (the sweep writes them every
#: minute), form state (every answer), meetings in progress (audited per decision), the audit.
AUDITED_TABLES = frozenset(
    {
        "teams", "staff", "staff_roles", "invitations", "clients", "client_events", "case_items",
        "vacancies", "deadlines", "deadline_postponements", "exemptions", "exemption_reviews",
        "participation_contacts", "weekdate_overrides", "placements", "client_tag_periods",
    }
)  # fmt: skip
#: A session flag: this use case writes its own summary row (purge, wis) instead of one per write.
SUMMARISED = "audit_summarised"

#: The active staff member behind the current update (staff id, Telegram id), set once per
#: update by the access middleware, like the chat type.
current_actor: ContextVar[tuple[int | None, int | None]] = ContextVar(
    "audit_actor", default=(None, None)
)

#: Where the current update comes from (``private``, ``group``, …); set once per update by the
#: access middleware, so every row of that update carries it without each caller passing it.
current_chat_type: ContextVar[str | None] = ContextVar("audit_chat_type", default=None)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as plain data."""

    at: datetime
    actor_telegram_id: int | None
    actor_staff_id: int | None
    action: str
    object: str | None
    result: str
    id: int = 0
    reference: str | None = None
    chat_type: str | None = None


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def row_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the row's content in one canonical JSON form."""
    at = content["at"]
    canonical = {
        **content,
        "at": _utc(at).isoformat(timespec="microseconds") if isinstance(at, datetime) else at,
        "prev": prev_hash,
    }
    blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def content_of(entry: AuditEntry) -> dict[str, Any]:
    """The hashed fields of a stored row."""
    return {
        "at": entry.at,
        "actor_telegram_id": entry.actor_telegram_id,
        "actor_staff_id": entry.actor_staff_id,
        "action": entry.action,
        "object": entry.object,
        "reference": entry.reference,
        "result": entry.result,
        "chat_type": entry.chat_type,
    }


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    action: AuditAction,
    result: StrEnum,
    actor_telegram_id: int | None = None,
    actor_staff_id: int | None = None,
    object: str | None = None,
    reference: str | None = None,
    chat_type: str | None = None,
) -> None:
    """Record one audit row, chained when the transaction commits.

    ``object`` is an id such as ``client:12``; ``reference`` the client's pseudonymous
    reference, never a BSN or other content. ``action`` must be a member of
    :class:`AuditAction` (a ``ValueError`` otherwise), so no user text reaches the log.
    """
    content = {
        "at": _utc(at),
        "actor_telegram_id": actor_telegram_id,
        "actor_staff_id": actor_staff_id,
        "action": AuditAction(action).value,
        "object": object,
        "reference": reference,
        "result": str(result),
        "chat_type": chat_type if chat_type is not None else current_chat_type.get(),
    }
    session.sync_session.info.setdefault(_PENDING, []).append(content)


def summarised(session: AsyncSession) -> None:
    """This transaction's writes are covered by the one row its use case records (purge, wis)."""
    session.sync_session.info[SUMMARISED] = True


def _write_entry(session: Session, action: AuditAction, obj: str, reference: str | None) -> None:
    now = session.info.get("now")
    staff_id, telegram_id = current_actor.get()
    session.info.setdefault(_PENDING, []).append(
        {
            "at": _utc(now() if now is not None else datetime.now(UTC)),
            "actor_telegram_id": telegram_id,
            "actor_staff_id": staff_id,
            "action": action.value,
            "object": obj[:128],
            "reference": reference,
            "result": "ok",
            "chat_type": current_chat_type.get(),
        }
    )


def _reference(session: Session, row: Any) -> str | None:
    """The client reference a written row is about (only a stored one)."""
    if isinstance(row, Client):
        return row.ref
    client_id = getattr(row, "client_id", None) or getattr(row, "filled_client_id", None)
    if client_id is None:
        return None
    ref = session.connection().execute(select(Client.ref).where(Client.id == client_id)).scalar()
    return str(ref) if ref is not None else None


@event.listens_for(Session, "after_flush")
def _audit_flushed(session: Session, _context: Any) -> None:
    # Every ORM write to a record table is one row: created, changed or deleted.
    if session.info.get(SUMMARISED):
        return
    for rows, action in (
        (session.new, AuditAction.RECORD_CREATE),
        (session.dirty, AuditAction.RECORD_CHANGE),
        (session.deleted, AuditAction.RECORD_DELETE),
    ):
        for row in rows:
            table = getattr(row, "__tablename__", "")
            if table not in AUDITED_TABLES:
                continue
            if action is AuditAction.RECORD_CHANGE and not session.is_modified(row):
                continue
            key = ",".join(str(v) for v in inspect(row).identity or ())
            _write_entry(session, action, f"{table}:{key}", _reference(session, row))


@event.listens_for(Session, "do_orm_execute")
def _audit_statement(state: ORMExecuteState) -> None:
    # UPDATE/DELETE/INSERT statements over a record table (not through the unit of work).
    if state.session.info.get(SUMMARISED) or not (
        state.is_update or state.is_delete or state.is_insert
    ):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", "")
    if name not in AUDITED_TABLES:
        return
    if state.is_insert:
        action = AuditAction.RECORD_CREATE
    elif state.is_update:
        action = AuditAction.RECORD_CHANGE
    else:
        action = AuditAction.RECORD_DELETE
    _write_entry(state.session, action, name, None)


def _append(session: Session, pending: list[dict[str, Any]]) -> None:
    # The write lock first (row lock on PostgreSQL, database lock on SQLite), then the head:
    # whoever holds the lock reads the newest committed head, so the chain cannot fork.
    session.execute(
        update(AuditChain).where(AuditChain.id == 1).values(appends=AuditChain.appends + 1)
    )
    head, head_id = session.execute(
        select(AuditChain.head_hash, AuditChain.head_id).where(AuditChain.id == 1)
    ).one()
    for content in pending:
        digest = row_hash(head, content)
        head_id += 1
        session.add(AuditEntry(id=head_id, **content, prev_hash=head, row_hash=digest))
        head = digest
    session.flush()
    session.execute(
        update(AuditChain).where(AuditChain.id == 1).values(head_hash=head, head_id=head_id)
    )


@event.listens_for(Session, "before_commit")
def _seal(session: Session) -> None:
    # Flush first: the writes still waiting in the session record their rows now, not after.
    session.flush()
    session.info.pop(SUMMARISED, None)
    pending = session.info.pop(_PENDING, None)
    if pending:
        _append(session, pending)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(SUMMARISED, None)


def _plain(r: AuditEntry) -> AuditRow:
    return AuditRow(
        r.at,
        r.actor_telegram_id,
        r.actor_staff_id,
        r.action,
        r.object,
        r.result,
        r.id,
        r.reference,
        r.chat_type,
    )


async def recent(session: AsyncSession, limit: int = 100) -> list[AuditRow]:
    """The newest audit rows first."""
    rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [_plain(r) for r in rows]


async def rows_for(
    session: AsyncSession, *, reference: str | None = None, staff_id: int | None = None
) -> list[AuditRow]:
    """Rows about a reference or by a staff member (id of ``staff``), oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if reference is not None:
        query = query.where(AuditEntry.reference == reference)
    if staff_id is not None:
        query = query.where(AuditEntry.actor_staff_id == staff_id)
    return [_plain(r) for r in await session.scalars(query)]


@dataclass(frozen=True)
class Verdict:
    """The outcome of ``audit verify``: rows checked, and the first broken row if any."""

    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


async def verify(session: AsyncSession, batch: int = 2000) -> Verdict:
    """Walk the chain from the anchor; name the first row whose link or hash does not match."""
    chain = (await session.scalars(select(AuditChain).where(AuditChain.id == 1))).one()
    expected = chain.anchor_hash
    last_id = chain.anchor_id
    checked = 0
    while True:
        rows = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            )
        ).all()
        if not rows:
            break
        for row in rows:
            if row.prev_hash != expected:
                return Verdict(checked, row.id, "prev_hash")
            if row.row_hash != row_hash(expected, content_of(row)):
                return Verdict(checked, row.id, "row_hash")
            expected = row.row_hash
            last_id = row.id
            checked += 1
    if expected != chain.head_hash:
        return Verdict(checked, last_id or None, "head")
    return Verdict(checked)


async def purge_before(session: AsyncSession, cutoff: datetime, *, dry_run: bool) -> int:
    """Remove rows older than ``cutoff`` from the start of the chain, moving the anchor first.

    Only a prefix of the chain goes (rows are in time order), so what remains still verifies
    from the anchor's recorded hash.
    """
    last = (
        await session.execute(
            select(AuditEntry.id, AuditEntry.row_hash)
            .where(AuditEntry.at < _utc(cutoff))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    ).first()
    if last is None:
        return 0
    chain = (await session.scalars(select(AuditChain).where(AuditChain.id == 1))).one()
    count = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= last.id)
    )
    if dry_run:
        return int(count or 0)
    await session.execute(
        update(AuditChain)
        .where(AuditChain.id == 1)
        .values(
            anchor_id=last.id,
            anchor_hash=last.row_hash,
            purged_rows=chain.purged_rows + int(count or 0),
        )
    )
    await session.execute(delete(AuditEntry).where(AuditEntry.id <= last.id))
    return int(count or 0)


async def mentions(session: AsyncSession, references: Sequence[str]) -> int:
    """How many audit rows name one of ``references`` (inzage and wis keep these)."""
    return int(
        await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.reference.in_(references))
        )
        or 0
    )
