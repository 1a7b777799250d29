"""Per-process change counters: a generation that goes up after every committed write to a set
of tables, for in-memory state that must not outlive such a write.

One set of session listeners serves every :class:`WriteGeneration` (the access cache's,
:mod:`storage.access_generation`, and the reminder sweep's, :mod:`storage.sweep_generation`).
A write is noticed at the flush or by a bulk statement, and counted only after the commit: a
reader between the two would otherwise keep the old rows under the new generation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session


class WriteGeneration:
    """The generation of what ``tables`` hold, in this process."""

    def __init__(self, name: str, tables: frozenset[str]) -> None:
        self.tables = tables
        self._touched = f"{name}_touched"
        self._quiet = f"{name}_quiet"
        self._value = 0
        _ALL.append(self)

    def current(self) -> int:
        """The current generation; read it BEFORE reading what you will keep."""
        return self._value

    def bump(self) -> None:
        """Invalidate what was kept at an older generation (also for a change made elsewhere)."""
        self._value += 1

    def touched(self, session: Session) -> bool:
        """Whether ``session`` wrote to one of the tables in its open transaction."""
        return bool(session.info.get(self._touched))

    def quiet(self, session: Session) -> None:
        """Writes in ``session`` do not count (their writer accounts for them itself)."""
        session.info[self._quiet] = True

    def _note(self, session: Session, table: str) -> None:
        if table in self.tables:
            session.info[self._touched] = True

    def _committed(self, session: Session) -> None:
        if session.info.pop(self._touched, False) and not session.info.get(self._quiet):
            self.bump()

    def _rolled_back(self, session: Session) -> None:
        session.info.pop(self._touched, None)


_ALL: list[WriteGeneration] = []


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty, *session.deleted):
        table = getattr(row, "__tablename__", "")
        for generation in _ALL:
            generation._note(session, table)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", "")
        for generation in _ALL:
            generation._note(state.session, table)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for generation in _ALL:
        generation._committed(session)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    for generation in _ALL:
        generation._rolled_back(session)
