"""Deadlines: the reminder engine's unit of work, and the query the weekdate agenda reads.

Other features create deadlines here (weekdate actiepunten, loopbaanbegeleider appointments,
trajecten); the reminder engine notifies them stage by stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Client, Deadline, Staff


@dataclass(frozen=True)
class AgendaDeadline:
    """An open deadline as the weekdate agenda shows it."""

    id: int
    kind: str
    title: str | None
    due_date: date
    client_ref: str | None
    owner_name: str | None
    overdue: bool


async def create_deadline(
    session: AsyncSession,
    *,
    team_id: int,
    kind: str,
    due_date: date,
    owner_staff_id: int | None,
    now: datetime,
    client_id: int | None = None,
    title: str | None = None,
    source_type: str | None = None,
    source_id: int | None = None,
) -> int:
    """Store an open deadline; returns its id."""
    deadline = Deadline(
        team_id=team_id,
        client_id=client_id,
        kind=kind,
        title=title,
        due_date=due_date,
        owner_staff_id=owner_staff_id,
        status="open",
        source_type=source_type,
        source_id=source_id,
        postponements=0,
        created_at=now,
    )
    session.add(deadline)
    await session.flush()
    return deadline.id


async def agenda_deadlines(
    session: AsyncSession, team_id: int, today: date, horizon_days: int = 14
) -> list[AgendaDeadline]:
    """The team's open deadlines that are overdue or due within ``horizon_days``; overdue first."""
    rows = await session.execute(
        select(Deadline, Client.ref, Staff.display_name)
        .outerjoin(Client, Client.id == Deadline.client_id)
        .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
        .where(
            Deadline.team_id == team_id,
            Deadline.status == "open",
            Deadline.due_date <= today + timedelta(days=horizon_days),
        )
        .order_by(Deadline.due_date, Deadline.id)
    )
    return [
        AgendaDeadline(
            id=d.id,
            kind=d.kind,
            title=d.title,
            due_date=d.due_date,
            client_ref=ref,
            owner_name=owner,
            overdue=d.due_date < today,
        )
        for d, ref, owner in rows
    ]
