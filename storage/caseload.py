"""The caseload import's reads and writes, in batches (SQL only).

Every read takes a chunk of references or client ids and answers in one query, so an import of
10,000 rows costs a few queries per chunk instead of several per row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import (
    ContactKind,
    DeadlineKind,
    DeadlineStatus,
    ExemptionScope,
    ExemptionStatus,
    HistoryField,
)
from storage.models import (
    Base,
    Client,
    ClientEvent,
    Deadline,
    Exemption,
    ParticipationContact,
    Placement,
    Trajectory,
)


def _table(model: type[Base]) -> Table:
    """The model's table: a Core insert of plain rows skips the ORM's bulk bookkeeping, which
    costs more than the database itself at 10,000 rows."""
    return cast(Table, model.__table__)


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
        await session.execute(insert(_table(ClientEvent)), list(rows))


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


async def insert_contacts(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert participation contacts in one statement."""
    if rows:
        await session.execute(insert(_table(ParticipationContact)), list(rows))


async def insert_exemptions(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> dict[int, int]:
    """Insert exemptions, at most one per client, in one statement; their ids by client id.

    Keyed by client rather than by parameter order: an ordered RETURNING makes SQLAlchemy send
    one statement per row on SQLite (no sentinel column), which is what this batching avoids.
    """
    if not rows:
        return {}
    result = await session.execute(
        insert(Exemption).returning(Exemption.id, Exemption.client_id), list(rows)
    )
    return {client_id: exemption_id for exemption_id, client_id in result.all()}


async def insert_deadlines(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert open deadlines in one statement (``Deadline`` columns per row)."""
    if rows:
        await session.execute(insert(_table(Deadline)), list(rows))


@dataclass(frozen=True)
class OpenDeadlineDue:
    """An open deadline's id, due date and postponement round."""

    id: int
    due_date: date
    postponements: int


@dataclass(frozen=True)
class ParticipationFacts:
    """What the participation rule reads, for a chunk of clients (by client id)."""

    category_changes: dict[int, list[tuple[datetime, str | None, str | None]]]
    contacts: dict[int, list[tuple[date, ContactKind]]]
    full_exemption: set[int]
    open_deadlines: dict[int, list[OpenDeadlineDue]]


async def participation_facts(
    session: AsyncSession, client_ids: Collection[int], today: date
) -> ParticipationFacts:
    """Category history, contacts, active full ontheffingen started by ``today`` and open
    participation-contact deadlines of ``client_ids`` (4 queries, whatever their number)."""
    ids = list(client_ids)
    changes: dict[int, list[tuple[datetime, str | None, str | None]]] = {}
    contacts: dict[int, list[tuple[date, ContactKind]]] = {}
    open_deadlines: dict[int, list[OpenDeadlineDue]] = {}
    if not ids:
        return ParticipationFacts(changes, contacts, set(), open_deadlines)
    for client_id, at, old, new in await session.execute(
        select(ClientEvent.client_id, ClientEvent.at, ClientEvent.old_value, ClientEvent.new_value)
        .where(ClientEvent.client_id.in_(ids), ClientEvent.field == HistoryField.CATEGORY)
        .order_by(ClientEvent.at, ClientEvent.id)
    ):
        changes.setdefault(client_id, []).append((at, old, new))
    for client_id, day, kind in await session.execute(
        select(
            ParticipationContact.client_id,
            ParticipationContact.contact_date,
            ParticipationContact.kind,
        ).where(ParticipationContact.client_id.in_(ids))
    ):
        contacts.setdefault(client_id, []).append((day, ContactKind(kind)))
    full = set(
        await session.scalars(
            select(Exemption.client_id).where(
                Exemption.client_id.in_(ids),
                Exemption.status == ExemptionStatus.ACTIVE.value,
                Exemption.scope == ExemptionScope.FULL.value,
                Exemption.start_date <= today,
            )
        )
    )
    for deadline_client, deadline_id, due, postponements in await session.execute(
        select(Deadline.client_id, Deadline.id, Deadline.due_date, Deadline.postponements)
        .where(
            Deadline.client_id.in_(ids),
            Deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value,
            Deadline.status == DeadlineStatus.OPEN,
        )
        .order_by(Deadline.id)
    ):
        assert deadline_client is not None  # filtered on client_id above
        open_deadlines.setdefault(deadline_client, []).append(
            OpenDeadlineDue(deadline_id, due, postponements)
        )
    return ParticipationFacts(changes, contacts, full, open_deadlines)


async def clients_ever_had(
    session: AsyncSession, client_ids: Collection[int], kind: DeadlineKind
) -> set[int]:
    """Which of ``client_ids`` ever had a deadline of ``kind`` (any status; one query)."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(
        await session.scalars(
            select(Deadline.client_id)
            .where(Deadline.client_id.in_(ids), Deadline.kind == kind.value)
            .distinct()
        )
    )


async def set_due_dates(session: AsyncSession, moves: Sequence[tuple[int, date]]) -> None:
    """Set the due date of deadlines (id, new due) in one executemany statement; the
    postponement round goes back to 0, as the rule's date is no postponement."""
    if moves:
        await session.execute(
            update(Deadline),
            [{"id": i, "due_date": due, "postponements": 0} for i, due in moves],
        )


async def close_not_applicable(
    session: AsyncSession, ids: Collection[int], *, now: datetime, note: str
) -> None:
    """Close open deadlines as not applicable, with ``note`` (one statement)."""
    if ids:
        await session.execute(
            update(Deadline)
            .where(Deadline.id.in_(list(ids)), Deadline.status == DeadlineStatus.OPEN)
            .values(
                status=DeadlineStatus.NOT_APPLICABLE.value, resolved_at=now, resolution_note=note
            )
        )
