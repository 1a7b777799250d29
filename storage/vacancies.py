"""Vacatures: logged, listed while open, filled (optionally with the placed client), expired."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import AgendaStatus, VacancyStatus
from storage.models import Client, Vacancy


@dataclass(frozen=True)
class VacancyInfo:
    """A vacature as plain data."""

    id: int
    team_id: int
    author_staff_id: int
    employer: str
    function: str
    branche: str | None
    hours_per_week: int | None
    place_kind: str
    ladder_step: int | None
    closing_date: date | None
    source: str | None
    contact_note: str | None
    status: str
    filled_client_ref: str | None
    created_at: datetime


def _info(row: Vacancy, filled_ref: str | None = None) -> VacancyInfo:
    return VacancyInfo(
        id=row.id,
        team_id=row.team_id,
        author_staff_id=row.author_staff_id,
        employer=row.employer,
        function=row.function,
        branche=row.branche,
        hours_per_week=row.hours_per_week,
        place_kind=row.place_kind,
        ladder_step=row.ladder_step,
        closing_date=row.closing_date,
        source=row.source,
        contact_note=row.contact_note,
        status=row.status,
        filled_client_ref=filled_ref,
        created_at=row.created_at,
    )


async def add_vacancy(
    session: AsyncSession,
    *,
    team_id: int,
    author_staff_id: int,
    employer: str,
    function: str,
    branche: str | None,
    hours_per_week: int | None,
    place_kind: str,
    ladder_step: int | None,
    closing_date: date | None,
    source: str | None,
    contact_note: str | None,
    now: datetime,
) -> VacancyInfo:
    """Store an open vacature; it goes on the next weekdate agenda."""
    row = Vacancy(
        team_id=team_id,
        author_staff_id=author_staff_id,
        employer=employer,
        function=function,
        branche=branche,
        hours_per_week=hours_per_week,
        place_kind=place_kind,
        ladder_step=ladder_step,
        closing_date=closing_date,
        source=source,
        contact_note=contact_note,
        status=VacancyStatus.OPEN,
        created_at=now,
        agenda_status=AgendaStatus.PENDING,
    )
    session.add(row)
    await session.flush()
    return _info(row)


def _teams(team_ids: int | Sequence[int]) -> tuple[int, ...]:
    """One team's id, or the ids of the teams sharing one vacancy list (004:L203)."""
    return (team_ids,) if isinstance(team_ids, int) else tuple(team_ids)


def _open_where(team_ids: int | Sequence[int], today: date) -> tuple[Any, ...]:
    return (
        Vacancy.team_id.in_(_teams(team_ids)),
        Vacancy.status == VacancyStatus.OPEN,
        or_(Vacancy.closing_date.is_(None), Vacancy.closing_date >= today),
    )


async def open_vacancies(
    session: AsyncSession,
    team_id: int | Sequence[int],
    today: date,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[VacancyInfo]:
    """The team's open vacatures whose closing date has not passed, soonest closing first;
    ``offset``/``limit``: one page of them."""
    rows = await session.scalars(
        select(Vacancy)
        .where(*_open_where(team_id, today))
        .order_by(Vacancy.closing_date.is_(None), Vacancy.closing_date, Vacancy.id)
        .offset(offset)
        .limit(limit)
    )
    return [_info(row) for row in rows]


async def count_open_vacancies(
    session: AsyncSession, team_id: int | Sequence[int], today: date
) -> int:
    """How many vacatures :func:`open_vacancies` would list in all."""
    total = await session.scalar(
        select(func.count()).select_from(Vacancy).where(*_open_where(team_id, today))
    )
    return int(total or 0)


async def get_vacancy(session: AsyncSession, vacancy_id: int) -> VacancyInfo | None:
    """One vacature by id."""
    row = await session.get(Vacancy, vacancy_id)
    if row is None:
        return None
    ref = None
    if row.filled_client_id is not None:
        ref = await session.scalar(select(Client.ref).where(Client.id == row.filled_client_id))
    return _info(row, ref)


async def mark_filled(
    session: AsyncSession,
    vacancy_id: int,
    *,
    team_id: int | Sequence[int],
    client_id: int | None,
    now: datetime,
) -> VacancyInfo | None:
    """Mark an open vacature of ``team_id`` (or of one of the sharing teams) vervuld; ``None``
    when it is not open (any more)."""
    row = await session.get(Vacancy, vacancy_id)
    if row is None or row.team_id not in _teams(team_id) or row.status != VacancyStatus.OPEN:
        return None
    row.status = VacancyStatus.FILLED
    row.filled_client_id = client_id
    row.closed_at = now
    await session.flush()
    ref = None
    if client_id is not None:
        ref = await session.scalar(select(Client.ref).where(Client.id == client_id))
    return _info(row, ref)


async def expire_vacancies(session: AsyncSession, today: date, now: datetime) -> int:
    """Mark every open vacature whose closing date lies before ``today`` vervallen."""
    result = await session.execute(
        update(Vacancy)
        .where(Vacancy.status == VacancyStatus.OPEN, Vacancy.closing_date < today)
        .values(status=VacancyStatus.EXPIRED, closed_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
