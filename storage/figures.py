"""Read-only queries that build the figures' rows (:mod:`bot.figures.rules.rows`) from the
tables of today.

SQL only: which rows, not what they mean. Columns are selected as tuples (no ORM objects: a
team of 10,000 clients with five years of history is a few hundred thousand rows), and each
query reads only up to the period's end, contacts only from a year before the first month shown.

The route's events each have one loader: :func:`exit_rows` (exits with the uitstroom reason on
the status event), :func:`placement_rows` (``placements``), :func:`tag_period_rows`
(``client_tag_periods``) and :func:`traject_outcome_rows` (``trajectories`` and the number of
extensions, counted by the database).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import LEFT_STATUSES, CaseItemKind, HistoryField, TrajectoryStatus
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
    ClientTagPeriod,
    Deadline,
    Exemption,
    ParticipationContact,
    Placement,
    Staff,
    StaffRole,
    Trajectory,
    TrajectoryExtension,
    Vacancy,
)

ENTITLED = "ja"


#: Any column query, and any row of one.
AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]


async def _read(session: AsyncSession, query: AnySelect) -> Sequence[AnyRow]:
    """The rows of a column query, executed as Core on the session's connection: the ORM's
    result machinery costs more than the query for a few hundred thousand plain rows."""
    connection = await session.connection()
    return (await connection.execute(query)).all()


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
    rows = await _read(session, query)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


#: One client row: id, ref, entitlement, benefit start, entered on, created at, category,
#: subcategory, owner.
ClientTuple = tuple[
    int, str, str | None, date | None, date | None, datetime, str | None, str | None, int | None
]


async def client_rows(session: AsyncSession, team_id: int) -> list[ClientTuple]:
    """The team's clients, read once for the episodes, the categories and the owners."""
    rows = await _read(
        session,
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
        ).where(Client.team_id == team_id),
    )
    return [tuple(r) for r in rows]


async def episode_rows(
    session: AsyncSession,
    team_id: int,
    end: date,
    zone: tzinfo,
    clients_read: list[ClientTuple] | None = None,
    exits_read: list[ExitTuple] | None = None,
) -> list[ClientEpisode]:
    """One episode per intake (new or herinstroom) up to ``end``, each with the exit (a status
    event to a left status) that closed it and that exit's reason. A client without an intake
    item (loaded another way) has one episode from ``entered_on``."""
    if clients_read is None:
        clients_read = await client_rows(session, team_id)
    clients = {r[0]: r for r in clients_read}
    intakes: dict[int, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    # The four answers are taken out of the JSON by the database: decoding 10,000 documents in
    # Python costs more than the rest of the query.
    for client_id, created_at, first, entitled, back, tags in await _read(
        session,
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
        .order_by(CaseItem.client_id, CaseItem.created_at),
    ):
        if client_id is not None:
            data = {
                "first_conversation": first,
                "entitlement": entitled,
                "herinstroom": back,
                "tags": json.loads(tags) if tags and tags != "[]" else [],
            }
            intakes[client_id].append((created_at, data))
    if exits_read is None:
        exits_read = await exit_rows(session, team_id, end, zone)
    exits: dict[int, list[tuple[datetime, str | None]]] = defaultdict(list)
    for client_id, at, reason in exits_read:
        exits[client_id].append((at, reason))
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
            exit_at, exit_reason = next(
                ((x, r) for x, r in client_exits if x >= at and (upto is None or x < upto)),
                (None, None),
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
                    exit_reason=exit_reason,
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
    later = await _read(
        session,
        select(ClientEvent.client_id, ClientEvent.field, ClientEvent.old_value)
        .join(Client, Client.id == ClientEvent.client_id)
        .where(
            Client.team_id == team_id,
            ClientEvent.field.in_((HistoryField.CATEGORY, HistoryField.SUBCATEGORY)),
            ClientEvent.at >= _until(end, zone),
        )
        .order_by(ClientEvent.client_id, ClientEvent.at.desc(), ClientEvent.id.desc()),
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
    for sid, name, role in await _read(
        session,
        select(Staff.id, Staff.display_name, StaffRole.role)
        .outerjoin(StaffRole, StaffRole.staff_id == Staff.id)
        .where(Staff.team_id == team_id),
    ):
        names[sid] = name
        if role:
            roles[sid].add(role)
    staff = [StaffRow(sid, name, frozenset(roles[sid])) for sid, name in names.items()]
    return changes, current, staff


async def exemption_rows(session: AsyncSession, team_id: int, end: date) -> list[ExemptionRow]:
    """The team's ontheffingen that started on or before ``end``."""
    rows = await _read(
        session,
        select(
            Exemption.client_id,
            Exemption.scope,
            Exemption.reason,
            Exemption.start_date,
            Exemption.end_date,
            Exemption.ended_on,
        ).where(Exemption.team_id == team_id, Exemption.start_date <= end),
    )
    return [ExemptionRow(*r) for r in rows]


async def contact_rows(
    session: AsyncSession, team_id: int, start: date, end: date
) -> list[ContactRow]:
    """Participation contacts in [start, end]."""
    rows = await _read(
        session,
        select(
            ParticipationContact.client_id,
            ParticipationContact.kind,
            ParticipationContact.contact_date,
            ParticipationContact.outcome,
        ).where(
            ParticipationContact.team_id == team_id,
            ParticipationContact.contact_date.between(start, end),
        ),
    )
    return [ContactRow(*r) for r in rows]


async def deadline_rows(
    session: AsyncSession, team_id: int, start: date, end: date, zone: tzinfo
) -> list[DeadlineRow]:
    """Deadlines due in [start, end] (``due_date`` is the date after postponements)."""
    rows = await _read(
        session,
        select(
            Deadline.client_id,
            Deadline.kind,
            Deadline.due_date,
            Deadline.status,
            Deadline.resolved_at,
            Deadline.postponements,
        ).where(Deadline.team_id == team_id, Deadline.due_date.between(start, end)),
    )
    return [
        DeadlineRow(cid, kind, due, status, _day(resolved, zone), postponed or 0)
        for cid, kind, due, status, resolved, postponed in rows
    ]


async def vacancy_rows(
    session: AsyncSession, team_id: int, end: date, zone: tzinfo
) -> list[VacancyRow]:
    """Vacatures opened on or before ``end``."""
    rows = await _read(
        session,
        select(
            Vacancy.id,
            Vacancy.created_at,
            Vacancy.status,
            Vacancy.closed_at,
            Vacancy.place_kind,
            Vacancy.filled_client_id,
        ).where(Vacancy.team_id == team_id, Vacancy.created_at < _until(end, zone)),
    )
    result = []
    for vid, created, status, closed, kind, filled in rows:
        opened = _day(created, zone)
        assert opened is not None
        result.append(VacancyRow(vid, opened, status, _day(closed, zone), kind, filled))
    return result


async def traject_rows(
    session: AsyncSession,
    team_id: int,
    end: date,
    zone: tzinfo,
    outcomes: dict[int, Outcome] | None = None,
) -> list[TrajectRow]:
    """Trajecten (case items of kind trajectory) that started on or before ``end``, with the
    outcome of :func:`traject_outcome_rows` where one was recorded (a closed traject ends on the
    day it was closed)."""
    outcomes = outcomes or {}
    rows = await _read(
        session,
        select(CaseItem.id, CaseItem.client_id, CaseItem.created_at, CaseItem.data).where(
            CaseItem.team_id == team_id,
            CaseItem.kind == CaseItemKind.TRAJECTORY,
            CaseItem.created_at < _until(end + timedelta(days=366), zone),
        ),
    )
    result = []
    for item_id, cid, created, data in rows:
        data = data or {}
        start = _iso(data.get("start")) or _day(created, zone)
        if cid is None or start is None or start > end:
            continue
        outcome, closed_on, extended = outcomes.get(item_id, (None, None, 0))
        result.append(
            TrajectRow(
                cid,
                str(data.get("instrument") or "-"),
                start,
                closed_on or _iso(data.get("end")),
                outcome,
                extended,
            )
        )
    return result


# --- the route's events: exits with their reason, placements, tag periods, traject outcomes ------


#: One exit: client id, when it was recorded, and the reason the uitstroom flow gave (the status
#: event's ``reason``; ``None`` for an exit recorded without one).
ExitTuple = tuple[int, datetime, str | None]


async def exit_rows(
    session: AsyncSession, team_id: int, end: date, zone: tzinfo
) -> list[ExitTuple]:
    """Every exit up to ``end``: a status event to a left status, with its reason (one query;
    :func:`episode_rows` closes the episodes with them, :func:`exit_reason_rows` keys them)."""
    rows = await _read(
        session,
        select(ClientEvent.client_id, ClientEvent.at, ClientEvent.reason)
        .join(Client, Client.id == ClientEvent.client_id)
        .where(
            Client.team_id == team_id,
            ClientEvent.field == HistoryField.STATUS,
            ClientEvent.new_value.in_(sorted(LEFT_STATUSES)),
            ClientEvent.at < _until(end, zone),
        )
        .order_by(ClientEvent.client_id, ClientEvent.at, ClientEvent.id),
    )
    return [(r[0], r[1], r[2]) for r in rows]


def exit_reason_rows(exits: list[ExitTuple], zone: tzinfo) -> dict[tuple[int, date], str]:
    """Exit reason per exit: ``{(client_id, exit day): reason}`` (the uitstroom flow stores the
    reason code on the status event; exits without one are left out)."""
    result: dict[tuple[int, date], str] = {}
    for client_id, at, reason in exits:
        day = _day(at, zone)
        if reason and day is not None:
            result[(client_id, day)] = reason
    return result


async def placement_rows(session: AsyncSession, team_id: int, end: date) -> list[PlacementRow]:
    """Placements started on or before ``end`` (``placements``). A placement made when a
    vacature was filled has no kind until the uitstroom gives one: the vacature's kind of place
    stands in (``-`` when neither is known)."""
    rows = await _read(
        session,
        select(
            Placement.client_id,
            func.coalesce(Placement.kind, Vacancy.place_kind),
            Placement.start_date,
            Placement.hours_per_week,
            Placement.with_lks,
        )
        .outerjoin(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Placement.team_id == team_id, Placement.start_date <= end),
    )
    return [
        PlacementRow(cid, kind or "-", start, hours, bool(lks))
        for cid, kind, start, hours, lks in rows
    ]


async def tag_period_rows(
    session: AsyncSession, team_id: int, start: date, end: date
) -> list[TagPeriod]:
    """Doelgroep tag periods that overlap [start, end] (``client_tag_periods``): set on or before
    ``end`` and not removed before ``start``."""
    rows = await _read(
        session,
        select(
            ClientTagPeriod.client_id,
            ClientTagPeriod.tag,
            ClientTagPeriod.set_on,
            ClientTagPeriod.removed_on,
        )
        .join(Client, Client.id == ClientTagPeriod.client_id)
        .where(
            Client.team_id == team_id,
            ClientTagPeriod.set_on <= end,
            or_(ClientTagPeriod.removed_on.is_(None), ClientTagPeriod.removed_on > start),
        ),
    )
    return [TagPeriod(cid, tag, set_on, removed) for cid, tag, set_on, removed in rows]


#: A traject's outcome: status (``afgerond``/``gestopt``; ``None`` while it runs), the day it
#: was closed, and how many extensions it used.
Outcome = tuple[str | None, date | None, int]


async def traject_outcome_rows(session: AsyncSession, team_id: int) -> dict[int, Outcome]:
    """Traject outcome per traject case item (``trajectories`` with its extensions counted by
    the database). Trajecten logged before the table existed have no row, so no outcome."""
    extensions = (
        select(TrajectoryExtension.trajectory_id, func.count().label("n"))
        .group_by(TrajectoryExtension.trajectory_id)
        .subquery()
    )
    rows = await _read(
        session,
        select(
            Trajectory.case_item_id,
            Trajectory.status,
            Trajectory.closed_on,
            func.coalesce(extensions.c.n, 0),
        )
        .outerjoin(extensions, extensions.c.trajectory_id == Trajectory.id)
        .where(Trajectory.team_id == team_id),
    )
    closed = (TrajectoryStatus.COMPLETED, TrajectoryStatus.STOPPED)
    return {
        item: (status if status in closed else None, closed_on, int(n or 0))
        for item, status, closed_on, n in rows
    }


async def caseload(
    session: AsyncSession, team_id: int, *, start: date, end: date, zone: tzinfo
) -> Caseload:
    """Everything the figures of [start, end] need (``start``: the first month a chart shows)."""
    read = await client_rows(session, team_id)
    exits = await exit_rows(session, team_id, end, zone)
    episodes = await episode_rows(session, team_id, end, zone, read, exits)
    changes, current = await category_rows(session, team_id, end, zone, read)
    owners, current_owner, staff = await owner_rows(session, team_id, end, zone, read)
    # Contact coverage looks back twelve months from the first month end shown.
    contacts = await contact_rows(session, team_id, start - timedelta(days=400), end)
    outcomes = await traject_outcome_rows(session, team_id)
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
        trajects=await traject_rows(session, team_id, end, zone, outcomes),
        exit_reasons=True,
        tag_periods=await tag_period_rows(session, team_id, start, end),
        placements=await placement_rows(session, team_id, end),
        traject_outcomes=True,
    )
