"""The generation of who may do what: bumped by every committed write to staff, roles or teams.

In-memory caches of access facts (``bot.access.cache``) remember the generation they read at and
drop what was read at an older one, so a deactivated colleague is refused on the very next update
of this process. Other processes learn of the change by their cache's short expiry, or sooner
through :func:`bump` (the seam for a cross-worker signal).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

#: The tables whose rows decide access.
ACCESS_TABLES = frozenset({"staff", "staff_roles", "teams"})
_TOUCHED = "access_touched"
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


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # After the commit, not at the flush: a reader between the two would otherwise cache the old
    # rows under the new generation.
    if session.info.pop(_TOUCHED, False):
        bump()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
