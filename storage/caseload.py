"""The caseload import's reads and writes, in batches (SQL only).

Every read takes a chunk of references or client ids and answers in one query, so an import of
10,000 rows costs a few queries per chunk instead of several per row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import ExemptionStatus
from storage.models import (
    Client,
    ClientEvent,
    Exemption,
    ParticipationContact,
    Placement,
    Trajectory,
)


async def clients_by_key(
    session: AsyncSession, team_id: int, keys: Collection[str]
) -> dict[str, Client]:
    """The team's clients whose canonical reference key is one of ``keys`` (one query)."""
    if not keys:
        return {}
    rows = await session.scalars(
        select(Client).where(Client.team_id == team_id, Client.ref_key.in_(list(keys)))
    )
    return {c.ref_key: c for c in rows}


async def insert_clients(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert new clients in one statement; their ids by reference key."""
    if not rows:
        return {}
    result = await session.execute(insert(Client).returning(Client.id, Client.ref_key), rows)
    return {key: client_id for client_id, key in result.all()}


async def insert_events(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert history rows (``client_events``) in one statement."""
    if rows:
        await session.execute(insert(ClientEvent), list(rows))


async def count_events(session: AsyncSession, team_id: int) -> int:
    """How many history rows the team's clients have (the benchmark's idempotence check)."""
    return int(
        await session.scalar(
            select(func.count(ClientEvent.id))
            .join(Client, Client.id == ClientEvent.client_id)
            .where(Client.team_id == team_id)
        )
        or 0
    )


@dataclass(frozen=True)
class KnownFacts:
    """What a chunk's existing clients already have, so an import adds nothing twice."""

    exemptions: set[tuple[int, str, str, date]]
    contacts: set[tuple[int, date]]
    placements: set[tuple[int, date]]
    trajecten: set[tuple[int, str, date]]


async def known_facts(session: AsyncSession, client_ids: Collection[int]) -> KnownFacts:
    """Active ontheffingen, contacts, placements and trajecten of ``client_ids`` (4 queries)."""
    ids = list(client_ids)
    if not ids:
        return KnownFacts(set(), set(), set(), set())
    exemptions = await session.execute(
        select(Exemption.client_id, Exemption.scope, Exemption.reason, Exemption.start_date).where(
            Exemption.client_id.in_(ids), Exemption.status == ExemptionStatus.ACTIVE
        )
    )
    contacts = await session.execute(
        select(ParticipationContact.client_id, ParticipationContact.contact_date).where(
            ParticipationContact.client_id.in_(ids)
        )
    )
    placed = await session.execute(
        select(Placement.client_id, Placement.start_date).where(Placement.client_id.in_(ids))
    )
    trajecten = await session.execute(
        select(Trajectory.client_id, Trajectory.instrument, Trajectory.start).where(
            Trajectory.client_id.in_(ids)
        )
    )
    return KnownFacts(
        {(c, s, r, d) for c, s, r, d in exemptions.all()},
        {(c, d) for c, d in contacts.all()},
        {(c, d) for c, d in placed.all()},
        {(c, i, d) for c, i, d in trajecten.all()},
    )


async def insert_imported_contact(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    kind: str,
    contact_date: date,
    outcome: str,
    now: datetime,
) -> None:
    """A face-to-face contact the file reports (no staff member: nobody in the bot held it)."""
    session.add(
        ParticipationContact(
            team_id=team_id,
            client_id=client_id,
            kind=kind,
            contact_date=contact_date,
            outcome=outcome,
            note=None,
            staff_id=None,
            created_at=now,
        )
    )
