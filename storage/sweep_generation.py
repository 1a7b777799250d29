"""The generation of what the reminder sweep plans from: bumped by every committed write to a
table whose rows decide which stages are due (deadlines, ontheffingen, clients, contacts, staff).

The sweep runs every minute; its reconciles and planning step read every open deadline. Within
one day their outcome changes only when one of these tables changes, so the sweep remembers the
generation it planned at and skips the planning while it is unchanged (``bot.deadlines.sweep``).
Writes by another process are not seen here; the sweep therefore also plans again after a short
interval, whatever the generation says.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

#: The tables whose rows decide which reminder stages and digests are due.
SWEEP_TABLES = frozenset(
    {
        "teams",
        "staff",
        "staff_roles",
        "clients",
        "deadlines",
        "deadline_postponements",
        "notifications",
        "exemptions",
        "exemption_reviews",
        "participation_contacts",
        "trajectories",
        "trajectory_extensions",
        "case_items",
    }
)
_TOUCHED = "sweep_touched"
_QUIET = "sweep_quiet"
_generation = [0]


def current() -> int:
    """The current generation; read it BEFORE planning."""
    return _generation[0]


def bump() -> None:
    """Make the next sweep of this process plan again."""
    _generation[0] += 1


def quiet(session: AsyncSession) -> None:
    """The sweep's own writes in ``session`` do not count: it plans them in the same run."""
    session.sync_session.info[_QUIET] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty, *session.deleted):
        if getattr(row, "__tablename__", "") in SWEEP_TABLES:
            session.info[_TOUCHED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", "") in SWEEP_TABLES:
            state.session.info[_TOUCHED] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, False)
    if touched and not session.info.get(_QUIET, False):
        bump()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
