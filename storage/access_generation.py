"""The generation of who may do what: bumped by every committed write to staff, roles or teams.

In-memory caches of access facts (``bot.access.cache``) remember the generation they read at and
drop what was read at an older one, so a deactivated colleague is refused on the very next update
of this process. Other processes (webhook workers on one database) learn of it through the
shared ``cache_generations`` row :data:`SHARED_NAME`, bumped in the same transaction as the change
and watched by every worker (``bot.workers.watch_access``), and at the latest by their cache's
short expiry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import CacheGeneration

#: The tables whose rows decide access.
ACCESS_TABLES = frozenset({"staff", "staff_roles", "teams"})
_TOUCHED = "access_touched"
#: The ``cache_generations`` row other workers watch for changes to who may do what.
SHARED_NAME = "access"
_generation = [0]


def current() -> int:
    """The current generation; read it BEFORE reading what you will cache."""
    return _generation[0]


def bump() -> None:
    """Invalidate every cached access fact of this process (also for a change made elsewhere)."""
    _generation[0] += 1


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty, *session.deleted):
        if getattr(row, "__tablename__", "") in ACCESS_TABLES:
            session.info[_TOUCHED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", "") in ACCESS_TABLES:
            state.session.info[_TOUCHED] = True


@event.listens_for(Session, "before_commit")
def _bump_shared(session: Session) -> None:
    # In the change's own transaction, so a worker that sees the new generation also sees the
    # change. Sync SQL is fine here: under asyncio the event runs in the session's greenlet.
    if not session.info.get(_TOUCHED):
        return
    now = session.info.get("now")
    at = now() if callable(now) else datetime.now(UTC)
    bumped = session.execute(
        update(CacheGeneration)
        .where(CacheGeneration.name == SHARED_NAME)
        .values(generation=CacheGeneration.generation + 1, changed_at=at)
        .execution_options(synchronize_session=False)
    )
    if getattr(bumped, "rowcount", 0) == 0:
        try:
            with session.begin_nested():  # two first-ever changes at once: one insert wins
                session.execute(
                    insert(CacheGeneration).values(name=SHARED_NAME, generation=1, changed_at=at)
                )
        except IntegrityError:
            _bump_shared(session)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # After the commit, not at the flush: a reader between the two would otherwise cache the old
    # rows under the new generation.
    if session.info.pop(_TOUCHED, False):
        bump()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
