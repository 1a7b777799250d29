"""Trajecten: status, outcome and extensions (SQL only; the limits live in
``bot.route.traject_rules``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import AgendaStatus, TrajectoryStatus
from storage.models import CaseItem, Client, Deadline, Trajectory, TrajectoryExtension


@dataclass(frozen=True)
class ExtensionInfo:
    """One accepted extension."""

    number: int
    previous_end: date | None
    new_end: date
    created_at: datetime


@dataclass(frozen=True)
class TrajectoryInfo:
    """A traject as plain data, with its client's reference and its extensions."""

    id: int
    team_id: int
    client_id: int
    client_ref: str
    case_item_id: int
    instrument: str
    start: date
    planned_end: date | None
    end: date | None
    status: str
    stop_reason: str | None
    closed_on: date | None
    refused_item_id: int | None
    extensions: tuple[ExtensionInfo, ...]


async def _info(session: AsyncSession, row: Trajectory) -> TrajectoryInfo:
    ref = await session.scalar(select(Client.ref).where(Client.id == row.client_id))
    extensions = await session.scalars(
        select(TrajectoryExtension)
        .where(TrajectoryExtension.trajectory_id == row.id)
        .order_by(TrajectoryExtension.number)
    )
    return TrajectoryInfo(
        id=row.id,
        team_id=row.team_id,
        client_id=row.client_id,
        client_ref=ref or "",
        case_item_id=row.case_item_id,
        instrument=row.instrument,
        start=row.start,
        planned_end=row.planned_end,
        end=row.end,
        status=row.status,
        stop_reason=row.stop_reason,
        closed_on=row.closed_on,
        refused_item_id=row.refused_item_id,
        extensions=tuple(
            ExtensionInfo(e.number, e.previous_end, e.new_end, e.created_at) for e in extensions
        ),
    )


async def add_trajectory(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    case_item_id: int,
    instrument: str,
    start: date,
    end: date | None,
    now: datetime,
) -> TrajectoryInfo:
    """Store a running traject for the case item that announced it."""
    row = Trajectory(
        team_id=team_id,
        client_id=client_id,
        case_item_id=case_item_id,
        instrument=instrument,
        start=start,
        planned_end=end,
        end=end,
        status=TrajectoryStatus.RUNNING,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return await _info(session, row)


async def by_case_item(session: AsyncSession, case_item_id: int) -> TrajectoryInfo | None:
    """The traject announced by case item ``case_item_id``."""
    row = await session.scalar(select(Trajectory).where(Trajectory.case_item_id == case_item_id))
    return await _info(session, row) if row else None


async def lock(session: AsyncSession, trajectory_id: int) -> TrajectoryInfo | None:
    """One traject, its row locked for the rest of the transaction (PostgreSQL), so two taps
    on Gedaan cannot both extend it."""
    row = await session.scalar(
        select(Trajectory).where(Trajectory.id == trajectory_id).with_for_update()
    )
    return await _info(session, row) if row else None


async def add_extension(
    session: AsyncSession,
    trajectory_id: int,
    *,
    new_end: date,
    staff_id: int,
    now: datetime,
) -> TrajectoryInfo:
    """Record an extension: the traject runs to ``new_end`` (its case item's end too, so the
    agenda and ``/client`` show the new date)."""
    row = await session.get_one(Trajectory, trajectory_id)
    number = (
        await session.scalar(
            select(func.count())
            .select_from(TrajectoryExtension)
            .where(TrajectoryExtension.trajectory_id == trajectory_id)
        )
        or 0
    ) + 1
    session.add(
        TrajectoryExtension(
            trajectory_id=trajectory_id,
            number=number,
            previous_end=row.end,
            new_end=new_end,
            staff_id=staff_id,
            created_at=now,
        )
    )
    row.end = new_end
    row.status = TrajectoryStatus.EXTENDED
    row.updated_at = now
    item = await session.get_one(CaseItem, row.case_item_id)
    item.data = {**(item.data or {}), "end": new_end.isoformat()}
    await session.flush()
    return await _info(session, row)


async def close(
    session: AsyncSession,
    trajectory_id: int,
    *,
    status: TrajectoryStatus,
    closed_on: date,
    reason: str | None,
    now: datetime,
) -> TrajectoryInfo:
    """Afgerond or gestopt (with its reason) on ``closed_on``."""
    row = await session.get_one(Trajectory, trajectory_id)
    row.status = status
    row.closed_on = closed_on
    row.stop_reason = reason
    row.updated_at = now
    if status is TrajectoryStatus.STOPPED and (row.end is None or closed_on < row.end):
        # Stopped early: the traject ends that day, so /client no longer shows it as open.
        item = await session.get_one(CaseItem, row.case_item_id)
        item.data = {**(item.data or {}), "end": closed_on.isoformat()}
    await session.flush()
    return await _info(session, row)


async def set_refused_item(session: AsyncSession, trajectory_id: int, item_id: int) -> None:
    """Remember the weekdate item made for a refused extension."""
    row = await session.get_one(Trajectory, trajectory_id)
    row.refused_item_id = item_id
    await session.flush()


async def item_waits_for_meeting(session: AsyncSession, item_id: int) -> bool:
    """Whether case item ``item_id`` is still waiting for a weekdate."""
    status = await session.scalar(select(CaseItem.agenda_status).where(CaseItem.id == item_id))
    return status in (AgendaStatus.PENDING, AgendaStatus.CARRIED)


async def of_client(session: AsyncSession, client_id: int, limit: int = 10) -> list[TrajectoryInfo]:
    """The client's trajecten, newest start first (at most ``limit``: a card is one page)."""
    rows = await session.scalars(
        select(Trajectory)
        .where(Trajectory.client_id == client_id)
        .order_by(Trajectory.start.desc(), Trajectory.id.desc())
        .limit(limit)
    )
    return [await _info(session, row) for row in rows]


async def client_ever_had(session: AsyncSession, client_id: int, kind: str) -> bool:
    """Whether the client ever had a deadline of ``kind`` (any status, any source)."""
    found = await session.scalar(
        select(Deadline.id).where(Deadline.client_id == client_id, Deadline.kind == kind).limit(1)
    )
    return found is not None
