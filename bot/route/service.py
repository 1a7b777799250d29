"""The client's route: use cases of the caseload (``/categorie``'s effects, the overview, the
search, the card's route sections, wishes and candidates), each orchestrated in one place.

A function that gets a ``session`` runs in the caller's one transaction (a form's update); one
that gets the :class:`~storage.db.Database` opens it. Nothing here talks to Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, local_today
from bot.core.roles import Role
from bot.core.vocabulary import DeadlineSource
from bot.route import work
from bot.route.work import CategoryApplied
from storage import clients, staff
from storage.staff import StaffMember


async def loopbaanbegeleiders(session: AsyncSession, team_id: int) -> list[StaffMember]:
    """The team's loopbaanbegeleiders (to plan a conversation with a client)."""
    return await staff.team_members_with_role(session, team_id, Role.LOOPBAANBEGELEIDER)


@dataclass(frozen=True)
class CategoryChanged:
    """What ``/categorie`` did, and the work notices to send right after the commit."""

    applied: CategoryApplied
    notices: list[int] = field(default_factory=list)


async def change_category(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    category: str,
    subcategory: str | None,
    lb_staff_id: int | None,
    reason: str,
    clock: Clock,
    lb_working_days: int,
) -> CategoryChanged:
    """``/categorie`` outside the weekdate: the same effects as the weekdate's decision
    (:func:`bot.route.work.apply_category`), and the people who got work are told at once."""
    client = await clients.get_client(session, client_id)
    if client is None or client.team_id != actor.team_id:
        raise LookupError("client is gone")
    now = clock.now()
    applied = await work.apply_category(
        session,
        client=client,
        category=category,
        subcategory=subcategory,
        lb_staff_id=lb_staff_id,
        actor_staff_id=actor.staff_id,
        reason=reason,
        today=local_today(clock),
        now=now,
        lb_working_days=lb_working_days,
        source_type=DeadlineSource.CLIENT,
        source_id=client.id,
    )
    source = work.category_source(client.id, now)
    await work.record_work(
        session, team_id=actor.team_id, source=source, work=applied.work, now=now
    )
    return CategoryChanged(applied, await work.release(session, source, now))
