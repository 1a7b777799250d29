"""The generation of what the reminder sweep plans from: bumped by every committed write to a
table whose rows decide which stages are due (deadlines, ontheffingen, clients, contacts, staff).

The sweep runs every minute; its reconciles and planning step read every open deadline. Within
one day their outcome changes only when one of these tables changes, so the sweep remembers the
generation it planned at and skips the planning while it is unchanged (``bot.deadlines.sweep``).
Writes by another process are not seen here; the sweep therefore also plans again after a short
interval, whatever the generation says.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.generations import WriteGeneration

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
_SWEEP = WriteGeneration("sweep", SWEEP_TABLES)


def current() -> int:
    """The current generation; read it BEFORE planning."""
    return _SWEEP.current()


def bump() -> None:
    """Make the next sweep of this process plan again."""
    _SWEEP.bump()


def quiet(session: AsyncSession) -> None:
    """The sweep's own writes in ``session`` do not count: it plans them in the same run."""
    _SWEEP.quiet(session.sync_session)
