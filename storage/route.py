"""The caseload in figures and lists: the teamleider's overview, the reference search, client
wishes and the pool of candidates for a vacature (SQL only).

Every count is one ``GROUP BY`` or ``COUNT`` in the database and every list one page
(``LIMIT``/``OFFSET``), so a team of 10,000 clients costs what a team of 40 does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Row, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import (
    ContactKind,
    DeadlineKind,
    DeadlineStatus,
    ExemptionStatus,
    HistoryField,
    VacancyStatus,
)
from bot.route.rules import Applicant, Opening
from storage.clients import ACTIVE_STATUSES, HistoryEntry
from storage.models import (
    Client,
    ClientEvent,
    ClientWishes,
    Deadline,
    Exemption,
    ParticipationContact,
    Placement,
    Staff,
    Vacancy,
)


class Gap(StrEnum):
    """A registration gap the overview counts and lists (seed 000 line 107, 001:L712)."""

    NO_CATEGORY = "nocat"
    NO_FACE_TO_FACE = "nof2f"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class CategoryCount:
    category: str | None
    subcategory: str | None
    count: int


@dataclass(frozen=True)
class OwnerCount:
    owner: str | None
    count: int


@dataclass(frozen=True)
class ListedClient:
    """One client in a list: reference, where it is, and who owns it."""

    ref: str
    status: str
    category: str | None
    subcategory: str | None
    owner: str | None


def _caseload(team_id: int) -> ColumnElement[bool]:
    return and_(Client.team_id == team_id, Client.status.in_(ACTIVE_STATUSES))


def _gap_where(gap: Gap, *, year_ago: date, today: date) -> ColumnElement[bool]:
    if gap == Gap.NO_CATEGORY:
        return or_(Client.category.is_(None), Client.subcategory.is_(None))
    if gap == Gap.NO_FACE_TO_FACE:
        recent = exists().where(
            ParticipationContact.client_id == Client.id,
            ParticipationContact.kind == ContactKind.FACE_TO_FACE,
            ParticipationContact.contact_date > year_ago,
        )
        # A client in its first year is not behind yet: its year is not over.
        in_first_year = and_(Client.entered_on.is_not(None), Client.entered_on > year_ago)
        return and_(~recent, ~in_first_year)
    overdue = exists().where(
        Deadline.client_id == Client.id,
        Deadline.status == DeadlineStatus.OPEN,
        Deadline.due_date < today,
    )
    return overdue


async def category_counts(session: AsyncSession, team_id: int) -> list[CategoryCount]:
    """The caseload per category and subcategory."""
    rows = await session.execute(
        select(Client.category, Client.subcategory, func.count())
        .where(_caseload(team_id))
        .group_by(Client.category, Client.subcategory)
        .order_by(Client.category, Client.subcategory)
    )
    return [CategoryCount(c, s, int(n)) for c, s, n in rows]


async def owner_counts(session: AsyncSession, team_id: int) -> list[OwnerCount]:
    """The caseload per owner (``None``: nobody)."""
    rows = await session.execute(
        select(Staff.display_name, func.count(Client.id))
        .select_from(Client)
        .outerjoin(Staff, Staff.id == Client.owner_staff_id)
        .where(_caseload(team_id))
        .group_by(Client.owner_staff_id, Staff.display_name)
        .order_by(func.count(Client.id).desc(), Staff.display_name)
    )
    return [OwnerCount(name, int(n)) for name, n in rows]


async def gap_counts(
    session: AsyncSession, team_id: int, *, year_ago: date, today: date
) -> dict[Gap, int]:
    """How many clients of the caseload each gap holds (one query)."""
    columns = [
        func.coalesce(
            func.sum(case((_gap_where(gap, year_ago=year_ago, today=today), 1), else_=0)), 0
        )
        for gap in Gap
    ]
    row = (await session.execute(select(*columns).where(_caseload(team_id)))).one()
    return {gap: int(value) for gap, value in zip(Gap, row, strict=True)}


def _listed(rows: Sequence[Row[Client, str]]) -> list[ListedClient]:
    return [ListedClient(c.ref, c.status, c.category, c.subcategory, name) for c, name in rows]


async def gap_page(
    session: AsyncSession,
    team_id: int,
    gap: Gap,
    *,
    year_ago: date,
    today: date,
    offset: int,
    limit: int,
) -> tuple[int, list[ListedClient]]:
    """One page of the clients in ``gap`` (oldest entry first) and how many there are."""
    where = and_(_caseload(team_id), _gap_where(gap, year_ago=year_ago, today=today))
    total = await session.scalar(select(func.count()).select_from(Client).where(where)) or 0
    rows = await session.execute(
        select(Client, Staff.display_name)
        .outerjoin(Staff, Staff.id == Client.owner_staff_id)
        .where(where)
        .order_by(Client.entered_on, Client.ref)
        .offset(offset)
        .limit(limit)
    )
    return int(total), _listed(rows.all())


async def search_page(
    session: AsyncSession, team_id: int, key: str, *, offset: int, limit: int
) -> tuple[int, list[ListedClient]]:
    """One page of the team's clients whose reference key contains ``key``."""
    pattern = "%" + key.replace("\\", "").replace("%", "").replace("_", "") + "%"
    where = and_(Client.team_id == team_id, Client.ref_key.like(pattern))
    total = await session.scalar(select(func.count()).select_from(Client).where(where)) or 0
    rows = await session.execute(
        select(Client, Staff.display_name)
        .outerjoin(Staff, Staff.id == Client.owner_staff_id)
        .where(where)
        .order_by(Client.ref_key)
        .offset(offset)
        .limit(limit)
    )
    return int(total), _listed(rows.all())


# --- client wishes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Wishes:
    """A client's wishes for work (empty: none known)."""

    branches: tuple[str, ...] = ()
    hours_per_week: int | None = None
    place_kinds: tuple[str, ...] = ()


async def get_wishes(session: AsyncSession, client_id: int) -> Wishes:
    """The client's wishes (empty when none were set)."""
    row = await session.get(ClientWishes, client_id)
    if row is None:
        return Wishes()
    return Wishes(tuple(row.branches), row.hours_per_week, tuple(row.place_kinds))


async def set_wishes(session: AsyncSession, client_id: int, wishes: Wishes, now: datetime) -> None:
    """Store the client's wishes (replacing what was there)."""
    row = await session.get(ClientWishes, client_id)
    if row is None:
        row = ClientWishes(client_id=client_id, updated_at=now)
        session.add(row)
    row.branches = list(wishes.branches)
    row.hours_per_week = wishes.hours_per_week
    row.place_kinds = list(wishes.place_kinds)
    row.updated_at = now
    await session.flush()


async def wishes_of(session: AsyncSession, client_ids: Sequence[int]) -> dict[int, Wishes]:
    """The wishes of ``client_ids`` that have any."""
    if not client_ids:
        return {}
    rows = await session.scalars(
        select(ClientWishes).where(ClientWishes.client_id.in_(list(client_ids)))
    )
    return {
        r.client_id: Wishes(tuple(r.branches), r.hours_per_week, tuple(r.place_kinds)) for r in rows
    }


# --- the client card's route sections -------------------------------------------------------


@dataclass(frozen=True)
class CardDeadline:
    kind: str
    title: str | None
    due_date: date
    owner: str | None


@dataclass(frozen=True)
class CardExemption:
    scope: str
    reason: str
    start_date: date
    review_date: date
    end_date: date | None


@dataclass(frozen=True)
class CardPlacement:
    """One row of the placements table, with its vacature when it came from one."""

    employer: str | None
    function: str | None
    place_kind: str | None
    kind: str | None
    hours_per_week: int | None
    start: date
    with_lks: bool


async def since_of(session: AsyncSession, client_id: int) -> dict[str, datetime]:
    """When the client's status, category and subcategory last changed (history fields)."""
    rows = await session.execute(
        select(ClientEvent.field, func.max(ClientEvent.at))
        .where(ClientEvent.client_id == client_id)
        .group_by(ClientEvent.field)
    )
    return {str(f): at for f, at in rows if at is not None}


async def open_deadlines_of(
    session: AsyncSession, client_id: int, limit: int = 10
) -> tuple[int, list[CardDeadline]]:
    """The client's open deadlines, soonest first (at most ``limit``), and how many there are."""
    where = and_(Deadline.client_id == client_id, Deadline.status == DeadlineStatus.OPEN)
    total = await session.scalar(select(func.count()).select_from(Deadline).where(where)) or 0
    rows = await session.execute(
        select(Deadline.kind, Deadline.title, Deadline.due_date, Staff.display_name)
        .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
        .where(where)
        .order_by(Deadline.due_date, Deadline.id)
        .limit(limit)
    )
    return int(total), [CardDeadline(k, t, d, o) for k, t, d, o in rows]


async def active_exemptions_of(session: AsyncSession, client_id: int) -> list[CardExemption]:
    """The client's active ontheffingen with their next review."""
    rows = await session.scalars(
        select(Exemption)
        .where(Exemption.client_id == client_id, Exemption.status == ExemptionStatus.ACTIVE)
        .order_by(Exemption.review_date)
    )
    return [CardExemption(e.scope, e.reason, e.start_date, e.review_date, e.end_date) for e in rows]


async def face_to_face(session: AsyncSession, client_id: int) -> tuple[date | None, date | None]:
    """The client's last face-to-face contact, and when the next participation contact is due
    (its open deadline), each ``None`` when there is none."""
    last = await session.scalar(
        select(func.max(ParticipationContact.contact_date)).where(
            ParticipationContact.client_id == client_id,
            ParticipationContact.kind == ContactKind.FACE_TO_FACE,
        )
    )
    due = await session.scalar(
        select(func.min(Deadline.due_date)).where(
            Deadline.client_id == client_id,
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.kind == DeadlineKind.PARTICIPATION_CONTACT,
        )
    )
    return last, due


async def placements_of(session: AsyncSession, client_id: int) -> list[CardPlacement]:
    """The client's placements (the placements table: vervuld with the client, or uitstroom to
    werk), newest start first, each with its vacature if any."""
    rows = await session.execute(
        select(Placement, Vacancy.employer, Vacancy.function, Vacancy.place_kind)
        .outerjoin(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Placement.client_id == client_id)
        .order_by(Placement.start_date.desc(), Placement.id.desc())
        .limit(10)
    )
    return [
        CardPlacement(
            employer, function, place_kind, p.kind, p.hours_per_week, p.start_date, p.with_lks
        )
        for p, employer, function, place_kind in rows
    ]


async def history_page(
    session: AsyncSession, client_id: int, *, offset: int, limit: int
) -> tuple[int, list[HistoryEntry]]:
    """One page of the client's history, newest first (owner ids shown as names), and its
    length."""
    where = ClientEvent.client_id == client_id
    total = await session.scalar(select(func.count()).select_from(ClientEvent).where(where)) or 0
    rows = (
        await session.execute(
            select(ClientEvent, Staff.display_name)
            .outerjoin(Staff, Staff.id == ClientEvent.actor_staff_id)
            .where(where)
            .order_by(ClientEvent.at.desc(), ClientEvent.id.desc())
            .offset(offset)
            .limit(limit)
        )
    ).all()
    owner_ids = {
        int(v)
        for event, _ in rows
        if event.field == HistoryField.OWNER
        for v in (event.old_value, event.new_value)
        if v and v.isdigit()
    }
    names: dict[int, str] = {}
    if owner_ids:
        names = {
            s.id: s.display_name
            for s in await session.scalars(select(Staff).where(Staff.id.in_(owner_ids)))
        }
    entries: list[HistoryEntry] = []
    for event, actor_name in rows:
        old, new = event.old_value, event.new_value
        if event.field == HistoryField.OWNER:
            old = names.get(int(old), old) if old and old.isdigit() else old
            new = names.get(int(new), new) if new and new.isdigit() else new
        entries.append(HistoryEntry(event.at, event.field, old, new, event.reason, actor_name))
    return int(total), entries


# --- candidates for a vacature --------------------------------------------------------------


@dataclass(frozen=True)
class OpenVacancy:
    """What matching needs of one open vacature."""

    id: int
    employer: str
    function: str
    opening: Opening


async def open_vacancy(session: AsyncSession, team_id: int, vacancy_id: int) -> OpenVacancy | None:
    """The team's vacature ``vacancy_id`` while it is open."""
    row = await session.get(Vacancy, vacancy_id)
    if row is None or row.team_id != team_id or row.status != VacancyStatus.OPEN:
        return None
    return OpenVacancy(
        row.id,
        row.employer,
        row.function,
        Opening(row.place_kind, row.branche, row.hours_per_week),
    )


async def applicants(
    session: AsyncSession, team_id: int, categories: Sequence[str]
) -> list[Applicant]:
    """The team's active clients in ``categories``, each with its wishes (one query)."""
    if not categories:
        return []
    rows = await session.execute(
        select(
            Client.id,
            Client.ref,
            Client.category,
            Client.entered_on,
            ClientWishes.branches,
            ClientWishes.hours_per_week,
            ClientWishes.place_kinds,
        )
        .outerjoin(ClientWishes, ClientWishes.client_id == Client.id)
        .where(_caseload(team_id), Client.category.in_(list(categories)))
    )
    return [
        Applicant(
            cid,
            ref,
            category,
            entered,
            branches=frozenset(branches or ()),
            hours_per_week=hours,
            place_kinds=frozenset(places or ()),
        )
        for cid, ref, category, entered, branches, hours, places in rows
    ]
