"""The client's route: use cases of the caseload (``/categorie``'s effects, the overview, the
search, the card's route sections, wishes and candidates), each orchestrated in one place.

A function that gets a ``session`` runs in the caller's one transaction (a form's update); one
that gets the :class:`~storage.db.Database` opens it. Nothing here talks to Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, local_today
from bot.core.paging import PAGE_SIZE, Page
from bot.core.roles import Role
from bot.core.vocabulary import AuditAction, AuditResult, DeadlineSource
from bot.profiles.model import Profile
from bot.route import rules, work
from bot.route.work import CategoryApplied
from storage import audit, clients, staff
from storage import route as route_store
from storage.clients import HistoryEntry
from storage.db import Database
from storage.route import Gap
from storage.staff import StaffMember

__all__ = ["Gap"]


async def loopbaanbegeleiders(session: AsyncSession, team_id: int) -> list[StaffMember]:
    """The team's loopbaanbegeleiders (to plan a conversation with a client)."""
    return await staff.team_members_with_role(session, team_id, Role.LOOPBAANBEGELEIDER)


@dataclass(frozen=True)
class CategoryChanged:
    """What ``/categorie`` did, and the work notices to send right after the commit."""

    applied: CategoryApplied
    notices: list[int] = field(default_factory=list)


async def change_category(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    category: str,
    subcategory: str | None,
    lb_staff_id: int | None,
    reason: str,
    clock: Clock,
    lb_working_days: int,
    profile: Profile,
) -> CategoryChanged:
    """``/categorie`` outside the weekdate: the same effects as the weekdate's decision
    (:func:`bot.route.work.apply_category`), and the people who got work are told at once."""
    client = await clients.get_client(session, client_id)
    if client is None or client.team_id != actor.team_id:
        raise LookupError("client is gone")
    now = clock.now()
    applied = await work.apply_category(
        session,
        client=client,
        category=category,
        subcategory=subcategory,
        lb_staff_id=lb_staff_id,
        actor_staff_id=actor.staff_id,
        reason=reason,
        today=local_today(clock),
        now=now,
        lb_working_days=lb_working_days,
        source_type=DeadlineSource.CLIENT,
        source_id=client.id,
        profile=profile,
    )
    source = work.category_source(client.id, now)
    await work.record_work(
        session, team_id=actor.team_id, source=source, work=applied.work, now=now
    )
    return CategoryChanged(applied, await work.release(session, source, now))


# --- /overzicht and /zoek ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """The teamleider's overview of the caseload (all counted in the database)."""

    categories: list[route_store.CategoryCount]
    owners: list[route_store.OwnerCount]
    gaps: dict[Gap, int]
    total: int


async def overview(db: Database, actor: StaffMember, clock: Clock) -> Overview:
    """``/overzicht``: the caseload per category, subcategory and owner, and the gaps."""
    today = local_today(clock)
    async with db.transaction() as session:
        categories = await route_store.category_counts(session, actor.team_id)
        owners = await route_store.owner_counts(session, actor.team_id)
        gaps = await route_store.gap_counts(
            session, actor.team_id, year_ago=rules.year_before(today), today=today
        )
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.OVERVIEW_VIEW,
            result=AuditResult.SHOWN,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
        )
    return Overview(categories, owners, gaps, sum(c.count for c in categories))


@dataclass(frozen=True)
class ClientList:
    """One page of a list of clients."""

    page: Page
    rows: list[route_store.ListedClient]


async def gap_list(
    db: Database, actor: StaffMember, clock: Clock, gap: Gap, offset: int
) -> ClientList:
    """One page of the clients in one of the overview's gaps."""
    today = local_today(clock)
    year_ago = rules.year_before(today)
    async with db.transaction() as session:
        total, rows = await route_store.gap_page(
            session,
            actor.team_id,
            gap,
            year_ago=year_ago,
            today=today,
            offset=offset,
            limit=PAGE_SIZE,
        )
        if rows == [] and total and offset:
            page = Page.at(offset, total)
            total, rows = await route_store.gap_page(
                session,
                actor.team_id,
                gap,
                year_ago=year_ago,
                today=today,
                offset=page.offset,
                limit=PAGE_SIZE,
            )
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.OVERVIEW_LIST,
            result=AuditResult.SHOWN if rows else AuditResult.NONE,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"gap:{gap.value}",
        )
    return ClientList(Page.at(offset, total), rows)


async def search(
    db: Database, actor: StaffMember, clock: Clock, key: str, offset: int
) -> ClientList:
    """``/zoek``: one page of the actor's team's references that contain ``key`` (a reference
    key, see :func:`bot.route.rules.search_key`). Like ``/client``: the own team only."""
    async with db.transaction() as session:
        total, rows = await route_store.search_page(
            session, actor.team_id, key, offset=offset, limit=PAGE_SIZE
        )
        if rows == [] and total and offset:
            page = Page.at(offset, total)
            total, rows = await route_store.search_page(
                session, actor.team_id, key, offset=page.offset, limit=PAGE_SIZE
            )
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.CLIENT_SEARCH,
            result=AuditResult.SHOWN if rows else AuditResult.NONE,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
        )
    return ClientList(Page.at(offset, total), rows)


# --- the client card's route sections -------------------------------------------------------

#: History lines per card page.
HISTORY_PAGE = 10


@dataclass(frozen=True)
class RouteCard:
    """The route sections of ``/client``: each a slot of its own (``route/card_*.j2``)."""

    since: dict[str, datetime]
    deadlines_total: int
    deadlines: list[route_store.CardDeadline]
    exemptions: list[route_store.CardExemption]
    last_face_to_face: date | None
    next_contact_due: date | None
    placements: list[route_store.CardPlacement]
    wishes: route_store.Wishes
    history_total: int


async def route_card(session: AsyncSession, client_id: int) -> RouteCard:
    """The route sections of a client's card (in the caller's transaction)."""
    total, open_deadlines = await route_store.open_deadlines_of(session, client_id)
    last, due = await route_store.face_to_face(session, client_id)
    history_total, _ = await route_store.history_page(session, client_id, offset=0, limit=0)
    return RouteCard(
        since=await route_store.since_of(session, client_id),
        deadlines_total=total,
        deadlines=open_deadlines,
        exemptions=await route_store.active_exemptions_of(session, client_id),
        last_face_to_face=last,
        next_contact_due=due,
        placements=await route_store.placements_of(session, client_id),
        wishes=await route_store.get_wishes(session, client_id),
        history_total=history_total,
    )


@dataclass(frozen=True)
class HistoryPage:
    """One page of a client's history."""

    ref: str
    client_id: int
    page: Page
    entries: list[HistoryEntry]


async def history(
    db: Database, actor: StaffMember, clock: Clock, client_id: int, offset: int
) -> HistoryPage | None:
    """A page of the history of a client of the actor's own team (``None`` otherwise); audited
    like the card."""
    async with db.transaction() as session:
        client = await clients.get_client(session, client_id)
        if client is None or client.team_id != actor.team_id:
            return None
        total, entries = await route_store.history_page(
            session, client_id, offset=offset, limit=HISTORY_PAGE
        )
        page = Page.at(offset, total, HISTORY_PAGE)
        if not entries and total:
            total, entries = await route_store.history_page(
                session, client_id, offset=page.offset, limit=HISTORY_PAGE
            )
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.CLIENT_VIEW,
            result=AuditResult.SHOWN,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"client:{client.id}",
            reference=client.ref,
        )
    return HistoryPage(client.ref, client.id, page, entries)


# --- wishes ----------------------------------------------------------------------------------


async def wishes_for(session: AsyncSession, client_id: int) -> route_store.Wishes:
    """The client's wishes for work (empty when none are known)."""
    return await route_store.get_wishes(session, client_id)


async def set_wishes(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    branches: list[str],
    hours_per_week: int | None,
    place_kinds: list[str],
    now: datetime,
) -> None:
    """Store a client's wishes (of the actor's team), audited without content."""
    client = await clients.get_client(session, client_id)
    if client is None or client.team_id != actor.team_id:
        raise LookupError("client is gone")
    wishes = route_store.Wishes(tuple(branches), hours_per_week, tuple(place_kinds))
    await route_store.set_wishes(session, client_id, wishes, now)
    await audit.record(
        session,
        at=now,
        action=AuditAction.CLIENT_WISHES,
        result=AuditResult.OK,
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"client:{client.id}",
        reference=client.ref,
    )


async def client_ref(db: Database, actor: StaffMember, client_id: int) -> str | None:
    """The reference of a client of the actor's own team (``None`` otherwise)."""
    async with db.transaction() as session:
        client = await clients.get_client(session, client_id)
    return client.ref if client is not None and client.team_id == actor.team_id else None


# --- candidates for a vacature --------------------------------------------------------------


@dataclass(frozen=True)
class Candidates:
    """The best candidates for one open vacature."""

    vacancy: route_store.OpenVacancy
    ranked: list[rules.Ranked]


async def candidates(
    db: Database,
    actor: StaffMember,
    clock: Clock,
    vacancy_id: int,
    matching: rules.Matching,
    limit: int = rules.MAX_CANDIDATES,
) -> Candidates | None:
    """The "Kandidaten" button of ``/vacatures``: the team's best clients for the open vacature
    ``vacancy_id`` (``None`` when it is not the actor's team's or no longer open). Only the
    categories that suit the place (``matching``: the team profile's meaning) are read."""
    async with db.transaction() as session:
        vacancy = await route_store.open_vacancy(session, actor.team_id, vacancy_id)
        if vacancy is None:
            return None
        fitting = sorted(matching.get(vacancy.opening.place_kind, frozenset()))
        pool = await route_store.applicants(session, actor.team_id, fitting)
        ranked = rules.rank_candidates(vacancy.opening, pool, matching, limit)
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.VACANCY_CANDIDATES,
            result=AuditResult.SHOWN if ranked else AuditResult.NONE,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"vacancy:{vacancy.id}",
        )
    return Candidates(vacancy, ranked)
