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

from sqlalchemy import event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.generations import WriteGeneration
from storage.models import CacheGeneration

#: The tables whose rows decide access.
ACCESS_TABLES = frozenset({"staff", "staff_roles", "teams"})
#: The ``cache_generations`` row other workers watch for changes to who may do what.
SHARED_NAME = "access"
_ACCESS = WriteGeneration("access", ACCESS_TABLES)


def current() -> int:
    """The current generation; read it BEFORE reading what you will cache."""
    return _ACCESS.current()


def bump() -> None:
    """Invalidate every cached access fact of this process (also for a change made elsewhere)."""
    _ACCESS.bump()


@event.listens_for(Session, "before_commit")
def _bump_shared(session: Session) -> None:
    # In the change's own transaction, so a worker that sees the new generation also sees the
    # change. Sync SQL is fine here: under asyncio the event runs in the session's greenlet.
    if not _ACCESS.touched(session):
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
