"""Read-only queries that build the figures' rows (:mod:`bot.figures.rules.rows`) from the
tables of today.

SQL only: which rows, not what they mean. Columns are selected as tuples (no ORM objects: a
team of 10,000 clients with five years of history is a few hundred thousand rows), and each
query reads only up to the period's end, contacts only from a year before the first month shown.

Row kinds whose tables other work adds have ONE loader each that returns ``None`` today, so the
figures that need them say "niet te berekenen": :func:`exit_reason_rows` (uitstroom reasons),
:func:`placement_rows` (``placements``), :func:`tag_period_rows` (``client_tag_periods``) and
:func:`traject_outcome_rows` (traject outcomes). Filling one of them is the whole seam.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import LEFT_STATUSES, CaseItemKind, HistoryField
from bot.figures.rules.rows import (
    Caseload,
    CategoryChange,
    ClientEpisode,
    ContactRow,
    DeadlineRow,
    ExemptionRow,
    OwnerChange,
    PlacementRow,
    StaffRow,
    TagPeriod,
    TrajectRow,
    VacancyRow,
)
from storage.models import (
    CaseItem,
    Client,
    ClientEvent,
    Deadline,
    Exemption,
    ParticipationContact,
    Staff,
    StaffRole,
    Vacancy,
)

ENTITLED = "ja"


def _day(moment: datetime | None, zone: tzinfo) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _iso(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _until(end: date, zone: tzinfo) -> datetime:
    """The first moment after the local day ``end`` (an exclusive bound on stored UTC times)."""
    return datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


async def _events(
    session: AsyncSession,
    team_id: int,
    fields: tuple[str, ...],
    end: date,
    zone: tzinfo,
    new_in: frozenset[str] | None = None,
) -> list[tuple[int, datetime, str, str | None, str | None]]:
    query = (
        select(
            ClientEvent.client_id,
            ClientEvent.at,
            ClientEvent.field,
            ClientEvent.old_value,
            ClientEvent.new_value,
        )
        .join(Client, Client.id == ClientEvent.client_id)
        .where(
            Client.team_id == team_id,
            ClientEvent.field.in_(fields),
            ClientEvent.at < _until(end, zone),
        )
        .order_by(ClientEvent.client_id, ClientEvent.at, ClientEvent.id)
    )
    if new_in is not None:
        query = query.where(ClientEvent.new_value.in_(sorted(new_in)))
    rows = await session.execute(query)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


#: One client row: id, ref, entitlement, benefit start, entered on, created at, category,
#: subcategory, owner.
ClientTuple = tuple[
    int, str, str | None, date | None, date | None, datetime, str | None, str | None, int | None
]


async def client_rows(session: AsyncSession, team_id: int) -> list[ClientTuple]:
    """The team's clients, read once for the episodes, the categories and the owners."""
    rows = await session.execute(
        select(
            Client.id,
            Client.ref,
            Client.entitlement,
            Client.benefit_start,
            Client.entered_on,
            Client.created_at,
            Client.category,
            Client.subcategory,
            Client.owner_staff_id,
        ).where(Client.team_id == team_id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def episode_rows(
    session: AsyncSession,
    team_id: int,
    end: date,
    zone: tzinfo,
    clients_read: list[ClientTuple] | None = None,
) -> list[ClientEpisode]:
    """One episode per intake (new or herinstroom) up to ``end``, each with the exit (a status
    event to a left status) that closed it. A client without an intake item (loaded another
    way) has one episode from ``entered_on``."""
    if clients_read is None:
        clients_read = await client_rows(session, team_id)
    clients = {r[0]: r for r in clients_read}
    intakes: dict[int, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    # The four answers are taken out of the JSON by the database: decoding 10,000 documents in
    # Python costs more than the rest of the query.
    for client_id, created_at, first, entitled, back, tags in await session.execute(
        select(
            CaseItem.client_id,
            CaseItem.created_at,
            CaseItem.data["first_conversation"].as_string(),
            CaseItem.data["entitlement"].as_string(),
            CaseItem.data["herinstroom"].as_boolean(),
            CaseItem.data["tags"].as_string(),
        )
        .where(
            CaseItem.team_id == team_id,
            CaseItem.kind == CaseItemKind.INTAKE,
            CaseItem.created_at < _until(end, zone),
        )
        .order_by(CaseItem.client_id, CaseItem.created_at)
    ):
        if client_id is not None:
            data = {
                "first_conversation": first,
                "entitlement": entitled,
                "herinstroom": back,
                "tags": json.loads(tags) if tags and tags != "[]" else [],
            }
            intakes[client_id].append((created_at, data))
    exits: dict[int, list[datetime]] = defaultdict(list)
    for client_id, at, _, _, _ in await _events(
        session, team_id, (HistoryField.STATUS,), end, zone, new_in=LEFT_STATUSES
    ):
        exits[client_id].append(at)
    episodes: list[ClientEpisode] = []
    for client_id, row in clients.items():
        _, ref, entitlement, benefit_start, entered_on, created_at = row[:6]
        spells = intakes.get(client_id)
        if not spells:
            first = entered_on or _day(created_at, zone)
            if first is None or first > end:
                continue
            spells = [(created_at, {"first_conversation": first.isoformat()})]
        client_exits = exits.get(client_id, [])
        for index, (at, data) in enumerate(spells):
            last = index == len(spells) - 1
            upto = None if last else spells[index + 1][0]
            exit_at = next(
                (x for x in client_exits if x >= at and (upto is None or x < upto)), None
            )
            first_conversation = _iso(data.get("first_conversation")) or _day(at, zone)
            assert first_conversation is not None
            ent = data.get("entitlement") or entitlement
            # Only the latest spell's benefit start is stored (the client row).
            start = benefit_start if last else None
            instroom = start if ent == ENTITLED and start is not None else first_conversation
            episodes.append(
                ClientEpisode(
                    client_id=client_id,
                    ref=ref,
                    instroom=instroom,
                    first_conversation=first_conversation,
                    entitlement=ent,
                    benefit_start=start,
                    herinstroom=bool(data.get("herinstroom")) or index > 0,
                    exit_on=_day(exit_at, zone),
                    intake_tags=frozenset(data.get("tags") or ()),
                )
            )
    return episodes


async def category_rows(
    session: AsyncSession,
    team_id: int,
    end: date,
    zone: tzinfo,
    clients_read: list[ClientTuple] | None = None,
) -> tuple[list[CategoryChange], dict[int, tuple[str | None, str | None]]]:
    """The category and subcategory events up to ``end``, and every client's current values."""
    changes = [
        CategoryChange(cid, _day(at, zone) or end, fld, old, new)
        for cid, at, fld, old, new in await _events(
            session, team_id, (HistoryField.CATEGORY, HistoryField.SUBCATEGORY), end, zone
        )
    ]
    # The current values are the end of the history; events after ``end`` are cut off, so the
    # state at ``end`` is the last event's ``new`` (or the current value without any later one).
    later = await session.execute(
        select(ClientEvent.client_id, ClientEvent.field, ClientEvent.old_value)
        .join(Client, Client.id == ClientEvent.client_id)
        .where(
            Client.team_id == team_id,
            ClientEvent.field.in_((HistoryField.CATEGORY, HistoryField.SUBCATEGORY)),
            ClientEvent.at >= _until(end, zone),
        )
        .order_by(ClientEvent.client_id, ClientEvent.at.desc(), ClientEvent.id.desc())
    )
    if clients_read is None:
        clients_read = await client_rows(session, team_id)
    current: dict[int, tuple[str | None, str | None]] = {r[0]: (r[6], r[7]) for r in clients_read}
    # Walking later events newest first, each ``old`` undoes one change: what is left is the
    # value on ``end``.
    for cid, fld, old in later:
        cat, sub = current.get(cid, (None, None))
        current[cid] = (old, sub) if fld == HistoryField.CATEGORY else (cat, old)
    return changes, current


async def owner_rows(
    session: AsyncSession,
    team_id: int,
    end: date,
    zone: tzinfo,
    clients_read: list[ClientTuple] | None = None,
) -> tuple[list[OwnerChange], dict[int, int | None], list[StaffRow]]:
    """Owner events up to ``end``, current owners, and the team's colleagues."""

    def staff_id(text: str | None) -> int | None:
        return int(text) if text and text.isdigit() else None

    changes = [
        OwnerChange(cid, _day(at, zone) or end, staff_id(old), staff_id(new))
        for cid, at, _, old, new in await _events(
            session, team_id, (HistoryField.OWNER,), end, zone
        )
    ]
    if clients_read is None:
        clients_read = await client_rows(session, team_id)
    current = {r[0]: r[8] for r in clients_read}
    roles: dict[int, set[str]] = defaultdict(set)
    names: dict[int, str] = {}
    for sid, name, role in await session.execute(
        select(Staff.id, Staff.display_name, StaffRole.role)
        .outerjoin(StaffRole, StaffRole.staff_id == Staff.id)
        .where(Staff.team_id == team_id)
    ):
        names[sid] = name
        if role:
            roles[sid].add(role)
    staff = [StaffRow(sid, name, frozenset(roles[sid])) for sid, name in names.items()]
    return changes, current, staff


async def exemption_rows(session: AsyncSession, team_id: int, end: date) -> list[ExemptionRow]:
    """The team's ontheffingen that started on or before ``end``."""
    rows = await session.execute(
        select(
            Exemption.client_id,
            Exemption.scope,
            Exemption.reason,
            Exemption.start_date,
            Exemption.end_date,
            Exemption.ended_on,
        ).where(Exemption.team_id == team_id, Exemption.start_date <= end)
    )
    return [ExemptionRow(*r) for r in rows]


async def contact_rows(
    session: AsyncSession, team_id: int, start: date, end: date
) -> list[ContactRow]:
    """Participation contacts in [start, end]."""
    rows = await session.execute(
        select(
            ParticipationContact.client_id,
            ParticipationContact.kind,
            ParticipationContact.contact_date,
            ParticipationContact.outcome,
        ).where(
            ParticipationContact.team_id == team_id,
            ParticipationContact.contact_date.between(start, end),
        )
    )
    return [ContactRow(*r) for r in rows]


async def deadline_rows(
    session: AsyncSession, team_id: int, start: date, end: date, zone: tzinfo
) -> list[DeadlineRow]:
    """Deadlines due in [start, end] (``due_date`` is the date after postponements)."""
    rows = await session.execute(
        select(
            Deadline.client_id,
            Deadline.kind,
            Deadline.due_date,
            Deadline.status,
            Deadline.resolved_at,
            Deadline.postponements,
        ).where(Deadline.team_id == team_id, Deadline.due_date.between(start, end))
    )
    return [
        DeadlineRow(cid, kind, due, status, _day(resolved, zone), postponed or 0)
        for cid, kind, due, status, resolved, postponed in rows
    ]


async def vacancy_rows(
    session: AsyncSession, team_id: int, end: date, zone: tzinfo
) -> list[VacancyRow]:
    """Vacatures opened on or before ``end``."""
    rows = await session.execute(
        select(
            Vacancy.id,
            Vacancy.created_at,
            Vacancy.status,
            Vacancy.closed_at,
            Vacancy.place_kind,
            Vacancy.filled_client_id,
        ).where(Vacancy.team_id == team_id, Vacancy.created_at < _until(end, zone))
    )
    result = []
    for vid, created, status, closed, kind, filled in rows:
        opened = _day(created, zone)
        assert opened is not None
        result.append(VacancyRow(vid, opened, status, _day(closed, zone), kind, filled))
    return result


async def traject_rows(
    session: AsyncSession, team_id: int, end: date, zone: tzinfo
) -> list[TrajectRow]:
    """Trajecten (case items of kind trajectory) that started on or before ``end``."""
    rows = await session.execute(
        select(CaseItem.client_id, CaseItem.created_at, CaseItem.data).where(
            CaseItem.team_id == team_id,
            CaseItem.kind == CaseItemKind.TRAJECTORY,
            CaseItem.created_at < _until(end + timedelta(days=366), zone),
        )
    )
    result = []
    for cid, created, data in rows:
        data = data or {}
        start = _iso(data.get("start")) or _day(created, zone)
        if cid is None or start is None or start > end:
            continue
        result.append(
            TrajectRow(cid, str(data.get("instrument") or "-"), start, _iso(data.get("end")))
        )
    return result


# --- seams: row kinds whose tables are being added --------------------------------------------


async def exit_reason_rows(
    session: AsyncSession, team_id: int
) -> dict[tuple[int, date], str] | None:
    """Exit reason per exit: ``{(client_id, exit day): reason}``, from the uitstroom flow.

    ``None`` today: ``clients.exit_reason`` has no flow that fills it yet. The uitstroom slice
    returns the reasons of its exit rows here (one query), keyed as :func:`episode_rows` needs.
    """
    return None


async def placement_rows(
    session: AsyncSession, team_id: int, end: date
) -> list[PlacementRow] | None:
    """Placements started on or before ``end`` (table ``placements``; ``None`` until it exists)."""
    return None


async def tag_period_rows(session: AsyncSession, team_id: int, end: date) -> list[TagPeriod] | None:
    """Doelgroep tag periods (table ``client_tag_periods``; ``None`` until it exists: tags are
    overwritten today, so a count at a peildatum would be wrong)."""
    return None


async def traject_outcome_rows(session: AsyncSession, team_id: int) -> dict[int, str] | None:
    """Traject outcome per traject case item (``None`` until the traject slice stores them)."""
    return None


async def caseload(
    session: AsyncSession, team_id: int, *, start: date, end: date, zone: tzinfo
) -> Caseload:
    """Everything the figures of [start, end] need (``start``: the first month a chart shows)."""
    read = await client_rows(session, team_id)
    episodes = await episode_rows(session, team_id, end, zone, read)
    reasons = await exit_reason_rows(session, team_id)
    if reasons is not None:
        episodes = [
            e if e.exit_on is None else _with_reason(e, reasons.get((e.client_id, e.exit_on)))
            for e in episodes
        ]
    changes, current = await category_rows(session, team_id, end, zone, read)
    owners, current_owner, staff = await owner_rows(session, team_id, end, zone, read)
    # Contact coverage looks back twelve months from the first month end shown.
    contacts = await contact_rows(session, team_id, start - timedelta(days=400), end)
    return Caseload(
        episodes=episodes,
        categories=changes,
        current=current,
        owners=owners,
        current_owner=current_owner,
        staff=staff,
        exemptions=await exemption_rows(session, team_id, end),
        contacts=contacts,
        deadlines=await deadline_rows(session, team_id, start, end, zone),
        vacancies=await vacancy_rows(session, team_id, end, zone),
        trajects=await traject_rows(session, team_id, end, zone),
        exit_reasons=reasons is not None,
        tag_periods=await tag_period_rows(session, team_id, end),
        placements=await placement_rows(session, team_id, end),
        traject_outcomes=(await traject_outcome_rows(session, team_id)) is not None,
    )


def _with_reason(episode: ClientEpisode, reason: str | None) -> ClientEpisode:
    return replace(episode, exit_reason=reason)
