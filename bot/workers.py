"""Several worker processes on one PostgreSQL database (webhook mode behind a reverse proxy).

- :class:`UpdateGate`: every update is taken once (``processed_updates``, keyed by
  ``update_id``) and the updates of one chat never run in two workers at once (an advisory lock
  on the chat id, held by the transaction that claimed the update, until it is handled).
- :class:`JobLeadership`: exactly one process runs the scheduled jobs. It holds a lease row
  (``job_leader``) renewed every :data:`RENEW_EVERY`; a leader that dies stops renewing, and
  another worker takes the lapsed lease on its next renewal, within :data:`LEASE_TTL` +
  :data:`RENEW_EVERY` (one minute).
- :class:`GenerationWatch`: the seam for in-memory caches across workers. A change to what a
  cache holds calls ``storage.workers.bump_cache_generation(session, NAME, now)`` in its own
  transaction; each worker's cache keeps a ``GenerationWatch(NAME)`` and drops its content when
  ``await watch.is_current(session, now)`` says False. The check reads one primary-key row, at
  most once per ``check_every``, so a cache is stale in another worker for at most that long.
- :func:`health`: the checks of ``python -m bot health``.

On SQLite (one process) the chat lock is a no-op and the lease is simply always held.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from storage import access_generation
from storage import workers as store
from storage.db import Database

#: The one lease the scheduled jobs run under.
JOBS_LEASE = "jobs"
#: How long a lease lasts without renewal.
LEASE_TTL = timedelta(seconds=45)
#: How often every worker renews (the leader) or tries to take (the others) the lease.
RENEW_EVERY = timedelta(seconds=15)
#: A heartbeat older than this means no process runs the jobs (``python -m bot health``).
HEARTBEAT_FRESH = timedelta(seconds=60)
#: Telegram redelivers an update for at most a day; ids older than this are forgotten.
KEEP_UPDATE_IDS = timedelta(days=2)
#: The cache of who is staff, with which roles, in which team (``bot.access``).
ACCESS_CACHE = access_generation.SHARED_NAME
#: How often every worker looks at the shared access generation (one primary-key read).
WATCH_ACCESS_EVERY = timedelta(seconds=2)


def process_name() -> str:
    """This process as a lease holder: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


class UpdateGate:
    """Takes each update once, and one at a time per chat, before it is handled."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def run(
        self, update_id: int, chat_id: int | None, handle: Callable[[], Awaitable[None]]
    ) -> bool:
        """Handle the update unless it was taken before; True when it was handled here.

        PostgreSQL: one transaction locks the chat, claims the id, and stays open while the
        update is handled, so a second worker with the same chat waits, then sees the id taken
        (or claims it, if the first rolled back because handling failed). SQLite: the claim is
        committed first (a long open write would block the handlers' own writes).
        """
        now = self.clock.now()
        if self.db.dialect != "postgresql":
            async with self.db.transaction() as session:
                if not await store.claim_update(session, update_id, chat_id, now):
                    return False
            await handle()
            return True
        async with self.db.transaction() as session:
            if chat_id is not None:
                await store.lock_chat(session, chat_id)
            if not await store.claim_update(session, update_id, chat_id, now):
                return False
            await handle()
        return True

    async def prune(self) -> int:
        """Forget update ids older than :data:`KEEP_UPDATE_IDS`."""
        async with self.db.transaction() as session:
            return await store.prune_processed_updates(session, self.clock.now() - KEEP_UPDATE_IDS)


@dataclass
class JobLeadership:
    """Whether this process runs the scheduled jobs, by a lease row renewed on a timer."""

    db: Database
    clock: Clock
    holder: str = field(default_factory=process_name)
    ttl: timedelta = LEASE_TTL
    name: str = JOBS_LEASE
    #: Until when this process may act as leader (its own view; None: it is not the leader).
    held_until: datetime | None = None

    def is_leader(self) -> bool:
        """True while the lease this process last renewed has not lapsed.

        Judged by the clock, not only by the last renewal's outcome: a leader whose renewals
        fail (database gone, process stalled) stops running jobs when its lease lapses, before
        another worker may take it.
        """
        return self.held_until is not None and self.clock.now() < self.held_until

    async def tick(self) -> bool:
        """Renew the lease, or take it when it lapsed; whether this process leads now."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            got = await store.take_or_renew_lease(session, self.name, self.holder, now, self.ttl)
        self.held_until = now + self.ttl if got else None
        return got

    async def release(self) -> None:
        """On a clean shutdown: let the lease lapse at once, so another worker takes over."""
        if self.held_until is None:
            return
        self.held_until = None
        async with self.db.transaction() as session:
            await store.release_lease(session, self.name, self.holder, self.clock.now())


@dataclass
class GenerationWatch:
    """Tells one worker's in-memory cache when another worker changed what it holds."""

    name: str
    check_every: timedelta = timedelta(seconds=2)
    _seen: int | None = None
    _checked_at: datetime | None = None

    async def is_current(self, session: AsyncSession, now: datetime) -> bool:
        """False when the cache must be dropped (first use, or the generation moved on)."""
        if (
            self._seen is not None
            and self._checked_at is not None
            and now - self._checked_at < self.check_every
        ):
            return True
        generation = await store.cache_generation(session, self.name)
        current = generation == self._seen
        self._seen, self._checked_at = generation, now
        return current


@dataclass(frozen=True)
class Check:
    """One line of ``python -m bot health``."""

    ok: bool
    line: str


async def health(db: Database, clock: Clock) -> list[Check]:
    """Database reachable, migrations at head, the job leader's heartbeat fresh."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    try:
        async with db.engine.connect() as connection:
            current = set(
                await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_heads()
                )
            )
    except Exception as exc:  # every driver fails its own way
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        return [
            Check(False, f"database niet bereikbaar / database unreachable: {reason}"),
            Check(False, "migraties onbekend / migrations unknown"),
            Check(False, "jobleider onbekend / job leader unknown"),
        ]
    checks = [Check(True, "database bereikbaar / database reachable")]
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    if current == heads:
        checks.append(Check(True, "migraties actueel / migrations current"))
    else:
        checks.append(
            Check(
                False,
                "migraties niet actueel / migrations not current: "
                f"{', '.join(sorted(current)) or 'geen/none'} ≠ {', '.join(sorted(heads))} "
                "(python -m bot db upgrade)",
            )
        )
        return [*checks, Check(False, "jobleider onbekend / job leader unknown")]
    async with db.transaction() as session:
        lease = await store.get_lease(session, JOBS_LEASE)
    now = clock.now()
    if lease is None:
        checks.append(Check(False, "geen jobleider / no job leader (nog nooit / never)"))
    elif now - lease.heartbeat_at > HEARTBEAT_FRESH:
        age = int((now - lease.heartbeat_at).total_seconds())
        checks.append(
            Check(False, f"jobleider stil / job leader silent: {lease.holder}, {age} s geleden/ago")
        )
    else:
        age = int((now - lease.heartbeat_at).total_seconds())
        checks.append(
            Check(True, f"jobleider actief / job leader alive: {lease.holder}, {age} s geleden/ago")
        )
    return checks


async def watch_access(db: Database, watch: GenerationWatch, clock: Clock) -> bool:
    """Drop this worker's cached access facts when another worker changed staff, roles or teams
    (the shared generation moved on); True when it did. One primary-key read."""
    async with db.transaction() as session:
        current = await watch.is_current(session, clock.now())
    if not current:
        access_generation.bump()
    return not current
