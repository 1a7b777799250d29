"""The people side of a client's route: who owns a client and its open deadlines (overdracht,
a deactivated colleague's work), when each doelgroep tag was set and removed, deleting one's own
recent item, and editing a vacature. SQL only; the rules live in ``bot.route.people_rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import DeadlineSource, DeadlineStatus, VacancyStatus
from storage.models import (
    CaseItem,
    Client,
    ClientTagPeriod,
    Deadline,
    Staff,
    Trajectory,
    TrajectoryExtension,
    Vacancy,
)

# --- doelgroep tags over time -------------------------------------------------------------------


@dataclass(frozen=True)
class TagPeriod:
    """One tag of a client from ``set_on`` until ``removed_on`` (``None``: still set)."""

    client_id: int
    tag: str
    set_on: date
    removed_on: date | None


async def tag_periods(session: AsyncSession, client_id: int) -> list[TagPeriod]:
    """Every tag period of the client, oldest first."""
    rows = await session.scalars(
        select(ClientTagPeriod)
        .where(ClientTagPeriod.client_id == client_id)
        .order_by(ClientTagPeriod.set_on, ClientTagPeriod.id)
    )
    return [TagPeriod(r.client_id, r.tag, r.set_on, r.removed_on) for r in rows]


async def sync_tag_periods(
    session: AsyncSession, client_id: int, tags: Iterable[str], *, on: date
) -> tuple[list[str], list[str]]:
    """Make the client's open periods match ``tags`` as of ``on``: a tag no longer there is
    closed on ``on``, a new one opens on ``on``. Returns (added, removed)."""
    wanted = list(dict.fromkeys(tags))
    open_rows = list(
        await session.scalars(
            select(ClientTagPeriod).where(
                ClientTagPeriod.client_id == client_id, ClientTagPeriod.removed_on.is_(None)
            )
        )
    )
    open_tags = {row.tag for row in open_rows}
    removed = [row.tag for row in open_rows if row.tag not in wanted]
    for row in open_rows:
        if row.tag not in wanted:
            row.removed_on = on
    added = [tag for tag in wanted if tag not in open_tags]
    for tag in added:
        session.add(ClientTagPeriod(client_id=client_id, tag=tag, set_on=on, removed_on=None))
    await session.flush()
    return added, removed


async def set_client_tags(
    session: AsyncSession, client_id: int, tags: Sequence[str], *, on: date, now: datetime
) -> tuple[list[str], list[str]]:
    """The client's tags become ``tags`` from ``on``: the present on the client row, the past in
    its periods. Returns (added, removed)."""
    client = await session.get_one(Client, client_id)
    client.tags = list(dict.fromkeys(tags))
    client.updated_at = now
    return await sync_tag_periods(session, client_id, tags, on=on)


async def tags_on(session: AsyncSession, team_id: int, peildatum: date) -> dict[str, int]:
    """How many of the team's clients carried each doelgroep tag on ``peildatum``: a period
    counts from its ``set_on`` up to, not including, its ``removed_on``. One grouped query.

    Only the tags: whether the client was in the caseload that day is the caller's question
    (the figures join this with the client's status history)."""
    rows = await session.execute(
        select(ClientTagPeriod.tag, func.count(func.distinct(ClientTagPeriod.client_id)))
        .join(Client, Client.id == ClientTagPeriod.client_id)
        .where(
            Client.team_id == team_id,
            ClientTagPeriod.set_on <= peildatum,
            or_(ClientTagPeriod.removed_on.is_(None), ClientTagPeriod.removed_on > peildatum),
        )
        .group_by(ClientTagPeriod.tag)
    )
    return {str(tag): int(count) for tag, count in rows}


# --- who carries what -----------------------------------------------------------------------


@dataclass(frozen=True)
class CarriedDeadline:
    """An open deadline someone carries: its kind and due date (no client details)."""

    id: int
    kind: str
    due_date: date
    client_id: int | None


async def deadlines_following(
    session: AsyncSession, client_id: int, owner_staff_id: int | None
) -> list[CarriedDeadline]:
    """The client's open deadlines that go with the client on an overdracht: those held by its
    owner, and those held by nobody."""
    held = (
        Deadline.owner_staff_id.is_(None)
        if owner_staff_id is None
        else or_(Deadline.owner_staff_id == owner_staff_id, Deadline.owner_staff_id.is_(None))
    )
    rows = await session.scalars(
        select(Deadline)
        .where(Deadline.client_id == client_id, Deadline.status == DeadlineStatus.OPEN, held)
        .order_by(Deadline.due_date, Deadline.id)
    )
    return [CarriedDeadline(d.id, d.kind, d.due_date, d.client_id) for d in rows]


async def open_deadlines_of(session: AsyncSession, staff_id: int) -> list[CarriedDeadline]:
    """Every open deadline ``staff_id`` owns, soonest first."""
    rows = await session.scalars(
        select(Deadline)
        .where(Deadline.owner_staff_id == staff_id, Deadline.status == DeadlineStatus.OPEN)
        .order_by(Deadline.due_date, Deadline.id)
    )
    return [CarriedDeadline(d.id, d.kind, d.due_date, d.client_id) for d in rows]


async def owned_client_ids(session: AsyncSession, staff_id: int) -> list[int]:
    """Every client ``staff_id`` owns (whatever the status: nothing stays on a leaver)."""
    return list(
        await session.scalars(
            select(Client.id).where(Client.owner_staff_id == staff_id).order_by(Client.id)
        )
    )


async def count_owned_clients(session: AsyncSession, staff_id: int, statuses: Iterable[str]) -> int:
    """How many clients with a status in ``statuses`` ``staff_id`` owns."""
    total = await session.scalar(
        select(func.count())
        .select_from(Client)
        .where(Client.owner_staff_id == staff_id, Client.status.in_(list(statuses)))
    )
    return int(total or 0)


async def move_deadlines(session: AsyncSession, ids: Sequence[int], to_staff_id: int) -> int:
    """Give the open deadlines ``ids`` to ``to_staff_id``; how many moved."""
    if not ids:
        return 0
    result = await session.execute(
        update(Deadline)
        .where(Deadline.id.in_(list(ids)), Deadline.status == DeadlineStatus.OPEN)
        .values(owner_staff_id=to_staff_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Person:
    """A staff member as the overdracht needs them."""

    staff_id: int
    telegram_user_id: int
    name: str
    team_id: int
    active: bool
    roles: frozenset[str]


async def people(session: AsyncSession, team_id: int) -> list[Person]:
    """The team's active staff, by name."""
    rows = await session.scalars(
        select(Staff)
        .where(Staff.team_id == team_id, Staff.active.is_(True))
        .order_by(Staff.display_name, Staff.id)
    )
    return [
        Person(s.id, s.telegram_user_id, s.display_name, s.team_id, s.active,
               frozenset(r.role for r in s.roles))
        for s in rows
    ]  # fmt: skip


async def person(session: AsyncSession, staff_id: int) -> Person | None:
    """One staff member (active or not)."""
    s = await session.get(Staff, staff_id)
    if s is None:
        return None
    roles = frozenset(r.role for r in s.roles)
    return Person(s.id, s.telegram_user_id, s.display_name, s.team_id, s.active, roles)


# --- undo: deleting one's own recent item ---------------------------------------------------


async def delete_item(session: AsyncSession, item_id: int, *, now: datetime, note: str) -> int:
    """Delete the case item ``item_id``; an open deadline it created (a traject's end) is
    closed as not applicable with ``note``. Returns how many deadlines were closed."""
    closed = await session.execute(
        update(Deadline)
        .where(
            Deadline.source_type == DeadlineSource.CASE_ITEM,
            Deadline.source_id == item_id,
            Deadline.status == DeadlineStatus.OPEN,
        )
        .values(status=DeadlineStatus.NOT_APPLICABLE, resolved_at=now, resolution_note=note)
        .execution_options(synchronize_session=False)
    )
    # The traject the item announced goes with it (its own row and extensions point at the
    # item); a traject whose refused extension the item was may be refused onto the agenda again.
    trajecten = select(Trajectory.id).where(Trajectory.case_item_id == item_id)
    await session.execute(
        delete(TrajectoryExtension).where(TrajectoryExtension.trajectory_id.in_(trajecten))
    )
    await session.execute(delete(Trajectory).where(Trajectory.case_item_id == item_id))
    await session.execute(
        update(Trajectory)
        .where(Trajectory.refused_item_id == item_id)
        .values(refused_item_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(delete(CaseItem).where(CaseItem.id == item_id))
    return int(getattr(closed, "rowcount", 0) or 0)


# --- vacatures --------------------------------------------------------------------------------


async def update_vacancy(session: AsyncSession, vacancy_id: int, **fields: Any) -> bool:
    """Change the fields of an open vacature; False when it is no longer open."""
    vacancy = await session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.status != VacancyStatus.OPEN:
        return False
    for name, value in fields.items():
        setattr(vacancy, name, value)
    await session.flush()
    return True
