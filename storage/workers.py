"""SQL for several workers on one database: update dedupe, the per-chat lock, the job lease,
cache generations. Policy (when to renew, what counts as fresh) lives in :mod:`bot.workers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CacheGeneration, JobLeader, ProcessedUpdate
from storage.reminders import rowcount


def _insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that ignores a row hitting the primary key (ON CONFLICT DO NOTHING)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def claim_update(
    session: AsyncSession, update_id: int, chat_id: int | None, now: datetime
) -> bool:
    """Record ``update_id`` as taken; False when it was taken before (a duplicate).

    On PostgreSQL a concurrent claim of the same id waits for the first transaction: it then
    sees the row (False) if that one committed, or claims it (True) if it rolled back.
    """
    result = await session.execute(
        _insert(session, ProcessedUpdate).values(
            update_id=update_id, chat_id=chat_id, processed_at=now
        )
    )
    return rowcount(result) == 1


async def prune_processed_updates(session: AsyncSession, before: datetime) -> int:
    """Forget update ids taken before ``before`` (Telegram redelivers for 24 hours at most)."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return rowcount(result)


async def lock_chat(session: AsyncSession, chat_id: int) -> None:
    """Hold the chat's lock until this transaction ends (PostgreSQL); a no-op on SQLite.

    SQLite runs one process, and PTB handles one update at a time, so there is nothing to lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": chat_id})


@dataclass(frozen=True)
class Lease:
    """Who holds a lease, their last heartbeat and when it lapses."""

    name: str
    holder: str
    heartbeat_at: datetime
    expires_at: datetime


async def take_or_renew_lease(
    session: AsyncSession, name: str, holder: str, now: datetime, ttl: timedelta
) -> bool:
    """Renew the lease when ``holder`` has it, take it when it lapsed or never existed.

    One conditional UPDATE, then an INSERT that ignores a conflict: two workers racing for a
    lapsed lease both run the UPDATE, and PostgreSQL re-checks its WHERE after the first commit,
    so only one gets the row.
    """
    renewed = await session.execute(
        update(JobLeader)
        .where(
            JobLeader.name == name,
            (JobLeader.holder == holder) | (JobLeader.expires_at <= now),
        )
        .values(holder=holder, heartbeat_at=now, expires_at=now + ttl)
    )
    if rowcount(renewed) == 1:
        return True
    inserted = await session.execute(
        _insert(session, JobLeader).values(
            name=name, holder=holder, heartbeat_at=now, expires_at=now + ttl
        )
    )
    return rowcount(inserted) == 1


async def release_lease(session: AsyncSession, name: str, holder: str, now: datetime) -> None:
    """Let the lease lapse now (a clean shutdown), so another worker need not wait it out."""
    await session.execute(
        update(JobLeader)
        .where(JobLeader.name == name, JobLeader.holder == holder)
        .values(expires_at=now)
    )


async def get_lease(session: AsyncSession, name: str) -> Lease | None:
    """The lease row, or None when no process ever held it."""
    row = await session.get(JobLeader, name, populate_existing=True)
    if row is None:
        return None
    return Lease(row.name, row.holder, row.heartbeat_at, row.expires_at)


async def cache_generation(session: AsyncSession, name: str) -> int:
    """The generation of cache ``name`` (0 before its first change): one primary-key read."""
    value = await session.scalar(
        select(CacheGeneration.generation).where(CacheGeneration.name == name)
    )
    return int(value or 0)


async def bump_cache_generation(session: AsyncSession, name: str, now: datetime) -> None:
    """Mark cache ``name`` stale in every worker (part of the transaction of the change)."""
    changed = await session.execute(
        update(CacheGeneration)
        .where(CacheGeneration.name == name)
        .values(generation=CacheGeneration.generation + 1, changed_at=now)
    )
    if rowcount(changed) == 0:
        await session.execute(
            _insert(session, CacheGeneration).values(name=name, generation=1, changed_at=now)
        )
