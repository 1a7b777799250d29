"""The weekdate's storage: what the agenda is compiled from, meetings, decisions, overrides.

Reads case items, vacatures, clients and their history; termijnen come through
``storage.deadlines.agenda_deadlines``. Functions take an ``AsyncSession`` and return plain data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import (
    AgendaStatus,
    ClientStatus,
    DeadlineKind,
    HistoryField,
    HolidayQuestion,
    MeetingStatus,
    OverrideAction,
    VacancyStatus,
)
from bot.weekdate.rules.agenda import (
    HORIZON_DAYS,
    AgendaInput,
    CandidateIn,
    CaseItemIn,
    DeadlineIn,
    TransitionIn,
    VacancyIn,
)
from bot.weekdate.rules.schedule import Override
from storage.deadlines import agenda_deadlines
from storage.models import (
    AgendaDelivery,
    CaseItem,
    Client,
    ClientEvent,
    ClientWishes,
    Staff,
    Vacancy,
    WeekdateDecision,
    WeekdateMeeting,
    WeekdateOverride,
)

#: Deadline kinds shown under "Open actiepunten" rather than "Termijnen".
ACTION_KINDS = frozenset({DeadlineKind.ACTION_ITEM})
#: How far back the first agenda looks for doorstroom when there is no earlier weekdate.
FIRST_AGENDA_LOOKBACK = timedelta(days=7)
#: The override row of a holiday question that was asked and not yet answered.
ASKED = HolidayQuestion.ASKED


# --- overrides -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overrides:
    """The team's decided overrides, and every regular date already asked or decided."""

    decided: dict[date, Override]
    known: frozenset[date]


def _parse_hhmm(text: str | None) -> time | None:
    if not text:
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


async def load_overrides(session: AsyncSession, team_id: int) -> Overrides:
    """Moved, skipped and kept occurrences of the team."""
    rows = await session.scalars(
        select(WeekdateOverride).where(WeekdateOverride.team_id == team_id)
    )
    decided: dict[date, Override] = {}
    known: set[date] = set()
    for row in rows:
        known.add(row.regular_date)
        if row.action != ASKED:
            decided[row.regular_date] = Override(
                row.action, row.new_date, _parse_hhmm(row.new_time)
            )
    return Overrides(decided, frozenset(known))


async def mark_holiday_asked(
    session: AsyncSession, team_id: int, regular_date: date, now: datetime
) -> bool:
    """Record that the holiday question for ``regular_date`` is being asked; ``False`` when it
    was asked or decided before (so it is asked once)."""
    existing = await session.scalar(
        select(WeekdateOverride.id).where(
            WeekdateOverride.team_id == team_id, WeekdateOverride.regular_date == regular_date
        )
    )
    if existing is not None:
        return False
    session.add(
        WeekdateOverride(team_id=team_id, regular_date=regular_date, action=ASKED, asked_at=now)
    )
    await session.flush()
    return True


async def set_override(
    session: AsyncSession,
    *,
    team_id: int,
    regular_date: date,
    action: OverrideAction,
    new_date: date | None,
    new_time: time | None,
    staff_id: int,
    now: datetime,
) -> None:
    """Move, skip or keep one occurrence (replacing an earlier decision or question)."""
    Override(action, new_date, new_time)  # validates
    row = await session.scalar(
        select(WeekdateOverride).where(
            WeekdateOverride.team_id == team_id, WeekdateOverride.regular_date == regular_date
        )
    )
    if row is None:
        row = WeekdateOverride(team_id=team_id, regular_date=regular_date, action=action)
        session.add(row)
    row.action = action
    row.new_date = new_date
    row.new_time = new_time.strftime("%H:%M") if new_time else None
    row.decided_at = now
    row.decided_by_staff_id = staff_id
    await session.flush()


# --- agenda input ----------------------------------------------------------------------------


def _iso(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


async def agenda_input(
    session: AsyncSession,
    *,
    team_id: int,
    team_name: str,
    meeting_date: date,
    duration_minutes: int,
    today: date,
    changes_since: datetime,
    holiday: str | None = None,
    matching: Mapping[str, frozenset[str]] | None = None,
    vacancy_team_ids: Sequence[int] = (),
) -> AgendaInput:
    """Everything the team's next agenda is compiled from.

    ``matching`` (place kind -> suited categories, from the team's profile) decides which
    clients are candidates; ``vacancy_team_ids`` are the teams whose vacatures this team sees
    (a shared list, 004:L203); candidates always come from this team's own clients only."""
    matching = matching or {}
    candidate_categories = sorted({code for codes in matching.values() for code in codes})
    staff_rows = await session.execute(
        select(Staff.id, Staff.display_name).where(Staff.team_id == team_id)
    )
    staff_names: dict[int, str] = {sid: name for sid, name in staff_rows}
    case_rows = await session.execute(
        select(CaseItem, Client.ref, Client.tags)
        .outerjoin(Client, Client.id == CaseItem.client_id)
        .where(
            CaseItem.team_id == team_id,
            CaseItem.agenda_status.in_((AgendaStatus.PENDING, AgendaStatus.CARRIED)),
        )
        .order_by(CaseItem.created_at, CaseItem.id)
    )
    case_items: list[CaseItemIn] = []
    for item, ref, tags in case_rows:
        data = item.data or {}
        case_items.append(
            CaseItemIn(
                id=item.id,
                kind=item.kind,
                client_ref=ref,
                author=staff_names.get(item.author_staff_id, "?"),
                created_on=item.created_at.date(),
                agenda_status=item.agenda_status,
                text=item.text,
                proposed_category=_opt_str(data.get("proposed_category")),
                tags=tuple(data.get("tags") or tags or ()),
                instrument=_opt_str(data.get("instrument")),
                start=_iso(data.get("start")),
                end=_iso(data.get("end")),
                client_id=item.client_id,
            )
        )
    vacancy_rows = await session.scalars(
        select(Vacancy)
        .where(
            Vacancy.team_id.in_(vacancy_team_ids or (team_id,)),
            Vacancy.status == VacancyStatus.OPEN,
        )
        .order_by(Vacancy.id)
    )
    vacancies = [
        VacancyIn(
            id=v.id,
            employer=v.employer,
            function=v.function,
            place_kind=v.place_kind,
            created_on=v.created_at.date(),
            branche=v.branche,
            hours_per_week=v.hours_per_week,
            closing_date=v.closing_date,
            seen_before=v.agenda_status != AgendaStatus.PENDING,
        )
        for v in vacancy_rows
    ]
    candidates: list[CandidateIn] = []
    if vacancies and candidate_categories:
        client_rows = await session.execute(
            select(
                Client.id,
                Client.ref,
                Client.category,
                Client.status,
                Client.entered_on,
                ClientWishes.branches,
                ClientWishes.hours_per_week,
                ClientWishes.place_kinds,
            )
            .outerjoin(ClientWishes, ClientWishes.client_id == Client.id)
            .where(
                Client.team_id == team_id,
                Client.status.in_((ClientStatus.ACTIVE, ClientStatus.REGISTERED)),
                Client.category.in_(candidate_categories),
            )
        )
        # Matching uses the client's wishes (branches, hours, kinds of place) where known.
        candidates = [
            CandidateIn(
                cid,
                ref,
                category,
                status,
                branches=frozenset(branches or ()),
                max_hours=hours,
                entered_on=entered,
                place_kinds=frozenset(places or ()),
            )
            for cid, ref, category, status, entered, branches, hours, places in client_rows
        ]
    event_rows = await session.execute(
        select(ClientEvent, Client.ref)
        .join(Client, Client.id == ClientEvent.client_id)
        .where(
            Client.team_id == team_id,
            ClientEvent.at >= changes_since,
            ClientEvent.field.in_(("category", "status")),
        )
        .order_by(ClientEvent.at, ClientEvent.id)
    )
    transitions = [
        TransitionIn(ref, e.field, e.old_value, e.new_value, e.at.date(), e.reason)
        for e, ref in event_rows
        # A first classification is no doorstroom; a move between categories or an exit is.
        if (e.field == HistoryField.CATEGORY and e.old_value is not None)
        or e.new_value in (ClientStatus.EXITED, ClientStatus.PLACED)
    ]
    # Only the window the agenda shows: termijnen up to its horizon, open actiepunten all.
    horizon = meeting_date + timedelta(days=HORIZON_DAYS)
    open_deadlines = await agenda_deadlines(
        session,
        team_id,
        today,
        horizon_days=max((horizon - today).days, 0),
        any_date_kinds=ACTION_KINDS,
    )
    deadlines: list[DeadlineIn] = []
    actions: list[DeadlineIn] = []
    for d in open_deadlines:
        row = DeadlineIn(
            d.id,
            d.kind,
            d.due_date,
            d.owner_name,
            d.client_ref,
            d.title,
            exemption_start=d.exemption_start,
            extensions=d.extensions,
        )
        (actions if d.kind in ACTION_KINDS else deadlines).append(row)
    return AgendaInput(
        team_name=team_name,
        meeting_date=meeting_date,
        duration_minutes=duration_minutes,
        case_items=case_items,
        vacancies=vacancies,
        candidates=candidates,
        transitions=transitions,
        deadlines=deadlines,
        action_items=actions,
        holiday=holiday,
        matching=matching,
    )


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInfo:
    """A weekdate meeting as plain data."""

    id: int
    team_id: int
    regular_date: date
    held_on: date
    status: str
    agenda_sent_at: datetime | None
    agenda_private: str | None
    agenda_group: str | None
    chair_staff_id: int | None
    walk: tuple[dict[str, Any], ...]
    cursor: int
    attendee_staff_ids: tuple[int, ...]
    minutes: str | None
    ended_at: datetime | None


def _meeting(row: WeekdateMeeting) -> MeetingInfo:
    return MeetingInfo(
        id=row.id,
        team_id=row.team_id,
        regular_date=row.regular_date,
        held_on=row.held_on,
        status=row.status,
        agenda_sent_at=row.agenda_sent_at,
        agenda_private=row.agenda_private,
        agenda_group=row.agenda_group,
        chair_staff_id=row.chair_staff_id,
        walk=tuple(row.walk or ()),
        cursor=row.cursor,
        attendee_staff_ids=tuple(int(x) for x in row.attendee_staff_ids or ()),
        minutes=row.minutes,
        ended_at=row.ended_at,
    )


async def ensure_meeting(
    session: AsyncSession, team_id: int, regular_date: date, held_on: date, now: datetime
) -> MeetingInfo:
    """The meeting row of one occurrence, created when missing."""
    row = await session.scalar(
        select(WeekdateMeeting).where(
            WeekdateMeeting.team_id == team_id, WeekdateMeeting.regular_date == regular_date
        )
    )
    if row is None:
        row = WeekdateMeeting(
            team_id=team_id,
            regular_date=regular_date,
            held_on=held_on,
            status=MeetingStatus.PLANNED,
            walk=[],
            cursor=0,
            attendee_staff_ids=[],
            created_at=now,
        )
        session.add(row)
        await session.flush()
    elif row.held_on != held_on and row.status == MeetingStatus.PLANNED:
        row.held_on = held_on
    return _meeting(row)


async def get_meeting(session: AsyncSession, meeting_id: int) -> MeetingInfo | None:
    """A meeting by id."""
    row = await session.get(WeekdateMeeting, meeting_id)
    return _meeting(row) if row else None


async def claim_agenda(session: AsyncSession, meeting_id: int, now: datetime) -> bool:
    """Compare-and-set ``agenda_sent_at``: ``True`` for exactly one caller per meeting."""
    result = await session.execute(
        update(WeekdateMeeting)
        .where(WeekdateMeeting.id == meeting_id, WeekdateMeeting.agenda_sent_at.is_(None))
        .values(agenda_sent_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def store_agenda(
    session: AsyncSession, meeting_id: int, private_text: str, group_text: str
) -> None:
    """Keep the agenda as sent, for ``/agenda vorige`` and the archive."""
    await session.execute(
        update(WeekdateMeeting)
        .where(WeekdateMeeting.id == meeting_id)
        .values(agenda_private=private_text, agenda_group=group_text)
    )


async def last_sent_meeting(session: AsyncSession, team_id: int) -> MeetingInfo | None:
    """The most recent meeting whose agenda went out."""
    row = await session.scalar(
        select(WeekdateMeeting)
        .where(WeekdateMeeting.team_id == team_id, WeekdateMeeting.agenda_sent_at.is_not(None))
        .order_by(WeekdateMeeting.agenda_sent_at.desc(), WeekdateMeeting.id.desc())
        .limit(1)
    )
    return _meeting(row) if row else None


async def previous_meeting_time(
    session: AsyncSession, team_id: int, before: date
) -> datetime | None:
    """When the last meeting before ``before`` ended (or its agenda went out)."""
    row = await session.scalar(
        select(WeekdateMeeting)
        .where(
            WeekdateMeeting.team_id == team_id,
            WeekdateMeeting.regular_date < before,
            WeekdateMeeting.agenda_sent_at.is_not(None),
        )
        .order_by(WeekdateMeeting.regular_date.desc())
        .limit(1)
    )
    if row is None:
        return None
    return row.ended_at or row.agenda_sent_at


async def active_meeting(session: AsyncSession, team_id: int) -> MeetingInfo | None:
    """The team's meeting in progress, if any."""
    row = await session.scalar(
        select(WeekdateMeeting)
        .where(
            WeekdateMeeting.team_id == team_id, WeekdateMeeting.status == MeetingStatus.IN_PROGRESS
        )
        .order_by(WeekdateMeeting.id.desc())
        .limit(1)
    )
    return _meeting(row) if row else None


async def start_meeting(
    session: AsyncSession,
    meeting_id: int,
    *,
    chair_staff_id: int,
    walk: Sequence[dict[str, Any]],
    now: datetime,
) -> MeetingInfo:
    """Put the meeting in progress with the items to walk."""
    row = await session.get_one(WeekdateMeeting, meeting_id)
    row.status = MeetingStatus.IN_PROGRESS
    row.chair_staff_id = chair_staff_id
    row.started_at = now
    row.walk = list(walk)
    row.cursor = 0
    row.attendee_staff_ids = [chair_staff_id]
    await session.flush()
    return _meeting(row)


async def take_chair(
    session: AsyncSession, meeting_id: int, *, from_staff_id: int | None, to_staff_id: int
) -> bool:
    """Compare-and-set the chair of a meeting in progress: ``True`` when ``from_staff_id`` still
    chaired it (so of two take-overs at once only one wins); the new chair attends."""
    result = await session.execute(
        update(WeekdateMeeting)
        .where(
            WeekdateMeeting.id == meeting_id,
            WeekdateMeeting.status == MeetingStatus.IN_PROGRESS,
            WeekdateMeeting.chair_staff_id.is_(None)
            if from_staff_id is None
            else WeekdateMeeting.chair_staff_id == from_staff_id,
        )
        .values(chair_staff_id=to_staff_id)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    await add_attendee(session, meeting_id, to_staff_id)
    return True


async def set_cursor(session: AsyncSession, meeting_id: int, cursor: int) -> None:
    """Move the walk to item ``cursor``."""
    await session.execute(
        update(WeekdateMeeting).where(WeekdateMeeting.id == meeting_id).values(cursor=cursor)
    )


async def add_attendee(session: AsyncSession, meeting_id: int, staff_id: int) -> bool:
    """Record that ``staff_id`` attends; ``False`` when already recorded or not in progress."""
    row = await session.get(WeekdateMeeting, meeting_id)
    if row is None or row.status != MeetingStatus.IN_PROGRESS:
        return False
    present = [int(x) for x in row.attendee_staff_ids or ()]
    if staff_id in present:
        return False
    row.attendee_staff_ids = [*present, staff_id]
    return True


async def close_meeting(
    session: AsyncSession, meeting_id: int, minutes: str, now: datetime
) -> None:
    """Archive the minutes and close the meeting."""
    row = await session.get_one(WeekdateMeeting, meeting_id)
    row.status = MeetingStatus.CLOSED
    row.ended_at = now
    row.minutes = minutes


async def latest_minutes(session: AsyncSession, team_id: int) -> MeetingInfo | None:
    """The most recently closed meeting with minutes."""
    row = await session.scalar(
        select(WeekdateMeeting)
        .where(WeekdateMeeting.team_id == team_id, WeekdateMeeting.minutes.is_not(None))
        .order_by(WeekdateMeeting.ended_at.desc(), WeekdateMeeting.id.desc())
        .limit(1)
    )
    return _meeting(row) if row else None


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInfo:
    """A decision as plain data."""

    item_key: str
    kind: str
    client_ref: str | None
    outcome: str
    summary: str
    deadline_id: int | None


async def record_decision(
    session: AsyncSession,
    *,
    meeting_id: int,
    item_key: str,
    kind: str,
    client_ref: str | None,
    outcome: str,
    summary: str,
    staff_id: int,
    now: datetime,
    deadline_id: int | None = None,
) -> bool:
    """Store the decision on one item; ``False`` when that item was already decided."""
    existing = await session.scalar(
        select(WeekdateDecision.id).where(
            WeekdateDecision.meeting_id == meeting_id, WeekdateDecision.item_key == item_key
        )
    )
    if existing is not None:
        return False
    session.add(
        WeekdateDecision(
            meeting_id=meeting_id,
            item_key=item_key,
            kind=kind,
            client_ref=client_ref,
            outcome=outcome,
            summary=summary[:300],
            deadline_id=deadline_id,
            decided_by_staff_id=staff_id,
            decided_at=now,
        )
    )
    await session.flush()
    return True


async def list_decisions(session: AsyncSession, meeting_id: int) -> list[DecisionInfo]:
    """A meeting's decisions in the order they were taken."""
    rows = await session.scalars(
        select(WeekdateDecision)
        .where(WeekdateDecision.meeting_id == meeting_id)
        .order_by(WeekdateDecision.id)
    )
    return [
        DecisionInfo(r.item_key, r.kind, r.client_ref, r.outcome, r.summary, r.deadline_id)
        for r in rows
    ]


async def set_case_item_status(session: AsyncSession, item_id: int, status: AgendaStatus) -> None:
    """The agenda status of a case item after the meeting (discussed or carried)."""
    await session.execute(
        update(CaseItem).where(CaseItem.id == item_id).values(agenda_status=status)
    )


async def mark_vacancy_discussed(session: AsyncSession, vacancy_id: int) -> None:
    """A vacature was on a weekdate: later agendas show it only when it closes soon."""
    await session.execute(
        update(Vacancy).where(Vacancy.id == vacancy_id).values(agenda_status=AgendaStatus.DISCUSSED)
    )


# --- agenda delivery per recipient -------------------------------------------------------------

#: Delivery codes stored in ``agenda_deliveries.status`` (``DeliveryStatus`` values).
_SENDING, _RETRY = "sending", "retry"
_PROBLEMS = ("failed", "unknown")


async def open_agenda_delivery(
    session: AsyncSession, meeting_id: int, chat_id: int, staff_id: int | None, now: datetime
) -> int:
    """A ``sending`` row for one recipient of a meeting's agenda (claimed with the agenda)."""
    row = AgendaDelivery(
        meeting_id=meeting_id,
        chat_id=chat_id,
        staff_id=staff_id,
        status=_SENDING,
        attempts=1,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


async def record_agenda_delivery(
    session: AsyncSession, delivery_id: int, status: str, now: datetime
) -> None:
    """How sending the agenda to one recipient went."""
    await session.execute(
        update(AgendaDelivery)
        .where(AgendaDelivery.id == delivery_id)
        .values(status=status, updated_at=now)
    )


@dataclass(frozen=True)
class AgendaResend:
    """An agenda to send again (Telegram asked to wait): whom, and the text as first sent."""

    delivery_id: int
    chat_id: int
    text: str


async def claim_agenda_retries(
    session: AsyncSession, team_id: int, now: datetime
) -> list[AgendaResend]:
    """Claim (compare-and-set ``retry`` → ``sending``) the team's agendas to send again."""
    rows = (
        await session.execute(
            select(AgendaDelivery, WeekdateMeeting)
            .join(WeekdateMeeting, WeekdateMeeting.id == AgendaDelivery.meeting_id)
            .where(WeekdateMeeting.team_id == team_id, AgendaDelivery.status == _RETRY)
            .order_by(AgendaDelivery.id)
        )
    ).all()
    claimed: list[AgendaResend] = []
    for delivery, meeting in rows:
        result = await session.execute(
            update(AgendaDelivery)
            .where(AgendaDelivery.id == delivery.id, AgendaDelivery.status == _RETRY)
            .values(status=_SENDING, attempts=AgendaDelivery.attempts + 1, updated_at=now)
        )
        text = meeting.agenda_private if delivery.staff_id is not None else meeting.agenda_group
        if getattr(result, "rowcount", 0) == 1 and text:
            claimed.append(AgendaResend(delivery.id, delivery.chat_id, text))
    return claimed


@dataclass(frozen=True)
class AgendaProblem:
    """An agenda that did not (or maybe did not) arrive, not yet reported."""

    delivery_id: int
    team_id: int
    held_on: date
    status: str
    #: The teamleider it was for, and their name (``None``: the team group).
    staff_id: int | None
    staff_name: str | None


async def unreported_agenda_problems(session: AsyncSession) -> list[AgendaProblem]:
    """Failed and unknown agenda deliveries nobody has been told about yet."""
    rows = await session.execute(
        select(AgendaDelivery, WeekdateMeeting.team_id, WeekdateMeeting.held_on, Staff.display_name)
        .join(WeekdateMeeting, WeekdateMeeting.id == AgendaDelivery.meeting_id)
        .outerjoin(Staff, Staff.id == AgendaDelivery.staff_id)
        .where(AgendaDelivery.status.in_(_PROBLEMS), AgendaDelivery.reported_at.is_(None))
        .order_by(AgendaDelivery.id)
    )
    return [
        AgendaProblem(d.id, team_id, held_on, d.status, d.staff_id, name)
        for d, team_id, held_on, name in rows
    ]


async def mark_agenda_reported(
    session: AsyncSession, delivery_ids: Sequence[int], now: datetime
) -> None:
    """Someone was told about these failed deliveries."""
    if delivery_ids:
        await session.execute(
            update(AgendaDelivery)
            .where(AgendaDelivery.id.in_(list(delivery_ids)))
            .values(reported_at=now)
        )


async def agenda_deliveries(session: AsyncSession, meeting_id: int) -> dict[int, str]:
    """Status per chat of a meeting's agenda."""
    rows = await session.execute(
        select(AgendaDelivery.chat_id, AgendaDelivery.status).where(
            AgendaDelivery.meeting_id == meeting_id
        )
    )
    return {int(chat): str(status) for chat, status in rows}
