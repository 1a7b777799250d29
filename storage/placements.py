"""Placements: a client placed in work (vacature, kind, hours, start, loonkostensubsidie).

SQL only. A vacature vervuld with a client stores its placement at once; the uitstroom that
follows completes that same row (one placement per client and vacature), so a placement is never
counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import DeadlineStatus
from storage.models import Deadline, Placement


@dataclass(frozen=True)
class PlacementInfo:
    """One placement as plain data."""

    id: int
    client_id: int
    vacancy_id: int | None
    kind: str | None
    hours_per_week: int | None
    start_date: date
    with_lks: bool


def _info(row: Placement) -> PlacementInfo:
    return PlacementInfo(
        id=row.id,
        client_id=row.client_id,
        vacancy_id=row.vacancy_id,
        kind=row.kind,
        hours_per_week=row.hours_per_week,
        start_date=row.start_date,
        with_lks=row.with_lks,
    )


async def record_placement(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    vacancy_id: int | None,
    kind: str | None,
    hours_per_week: int | None,
    start_date: date,
    with_lks: bool,
    author_staff_id: int | None,
    now: datetime,
) -> PlacementInfo:
    """Store a placement; the one of the same client and vacature is completed instead."""
    row: Placement | None = None
    if vacancy_id is not None:
        row = await session.scalar(
            select(Placement).where(
                Placement.client_id == client_id, Placement.vacancy_id == vacancy_id
            )
        )
    if row is None:
        row = Placement(
            team_id=team_id,
            client_id=client_id,
            vacancy_id=vacancy_id,
            created_at=now,
            author_staff_id=author_staff_id,
            start_date=start_date,
            with_lks=with_lks,
        )
        session.add(row)
    row.kind = kind if kind is not None else row.kind
    row.hours_per_week = hours_per_week if hours_per_week is not None else row.hours_per_week
    row.start_date = start_date
    row.with_lks = with_lks
    await session.flush()
    return _info(row)


async def placements_of(session: AsyncSession, client_id: int) -> list[PlacementInfo]:
    """The client's placements, newest start first."""
    rows = await session.scalars(
        select(Placement)
        .where(Placement.client_id == client_id)
        .order_by(Placement.start_date.desc(), Placement.id.desc())
    )
    return [_info(r) for r in rows]


@dataclass(frozen=True)
class ClientDeadline:
    """An open deadline of one client: what the uitstroom decides to close or keep."""

    id: int
    kind: str
    source_type: str | None


async def open_deadlines_of_client(session: AsyncSession, client_id: int) -> list[ClientDeadline]:
    """The client's open deadlines (a client has a handful; no paging needed)."""
    rows = await session.execute(
        select(Deadline.id, Deadline.kind, Deadline.source_type)
        .where(Deadline.client_id == client_id, Deadline.status == DeadlineStatus.OPEN)
        .order_by(Deadline.id)
    )
    return [ClientDeadline(i, k, s) for i, k, s in rows]


async def last_owner_of_kind(session: AsyncSession, client_id: int, kind: str) -> int | None:
    """Who owned the client's newest deadline of ``kind`` (any status): e.g. the LB who was
    asked to plan the first conversation."""
    return await session.scalar(
        select(Deadline.owner_staff_id)
        .where(Deadline.client_id == client_id, Deadline.kind == kind)
        .order_by(Deadline.id.desc())
        .limit(1)
    )
