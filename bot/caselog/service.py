"""The case log's use cases, each orchestrated in one place.

The forms validate and ask, then call one function here to save; the handlers parse, call one
function here and render what it returns; the job calls one function here. A function that gets a
``session`` runs inside the caller's one transaction (a form's update); one that gets the
:class:`~storage.db.Database` opens the transaction itself. Nothing here talks to Telegram.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.caselog import rules
from bot.caselog.references import ReferenceRule, candidate_keys, find_reference
from bot.core.clock import Clock, local_today
from bot.core.paging import Page
from bot.core.vocabulary import AuditAction, AuditResult, CaseItemKind, VacancyStatus
from bot.deadlines.service import (
    has_medical_full_exemption,
)
from bot.deadlines.settings import DeadlinesConfig
from bot.route import exit_service  # a vacature vervuld with a client is a placement
from bot.route.people_service import editable_vacancy_ids
from bot.route.service import RouteCard, route_card
from bot.route.traject_rules import TrajectSettings
from bot.route.traject_service import (
    TrajectView,
    start_trajectory,
    status_holder_check_after_intake,
    traject_views,
)
from storage import audit, clients, staff, teams, vacancies
from storage import caselog as items
from storage.caselog import ItemInfo
from storage.clients import ClientInfo, IntakeSaved, OwnedClient
from storage.db import Database
from storage.staff import StaffMember
from storage.vacancies import VacancyInfo

__all__ = [
    "ClientCard",
    "ClientInfo",
    "IntakeSaved",
    "ItemInfo",
    "OwnedClient",
    "VacancyInfo",
]


# --- looking clients up -----------------------------------------------------------------------


async def client_by_ref(session: AsyncSession, team_id: int, ref: str) -> ClientInfo | None:
    """The team's client with the (normalised) reference ``ref``."""
    return await clients.get_client_by_ref(session, team_id, ref)


def is_active(client: ClientInfo) -> bool:
    """Whether the team is working with ``client`` (a new aanmelding for it is refused)."""
    return client.status in clients.ACTIVE_STATUSES


async def recognise_reference(
    db: Database, actor: StaffMember, rule: ReferenceRule, text: str
) -> str | None:
    """The reference of one of the team's clients named in a chat-style message, if any."""
    async with db.transaction() as session:
        return await reference_in(session, actor, rule, text)


async def reference_in(
    session: AsyncSession, actor: StaffMember, rule: ReferenceRule, text: str
) -> str | None:
    """:func:`recognise_reference` inside the caller's transaction."""
    keys = candidate_keys(text, rule)
    known = await clients.refs_with_keys(session, actor.team_id, keys)
    return find_reference(text, rule, known)


# --- saving what the forms collected -----------------------------------------------------------


async def save_intake(
    session: AsyncSession,
    actor: StaffMember,
    *,
    ref: str,
    first_conversation: date,
    entitlement: str,
    benefit_start: date | None,
    tags: list[str],
    proposed_category: str | None,
    note: str | None,
    now: datetime,
    deadlines: DeadlinesConfig,
    today: date,
) -> IntakeSaved | None:
    """An aanmelding (a new client or a herinstroom); ``None`` when the reference turned active
    in the meantime. A client tagged statushouder gets the statushouder check (is the category
    still right?) at once (001:L156; ``deadlines``: the team's settings), not only at the next
    morning's sweep."""
    try:
        saved = await clients.register_intake(
            session,
            team_id=actor.team_id,
            ref=ref,
            author_staff_id=actor.staff_id,
            first_conversation=first_conversation,
            entitlement=entitlement,
            benefit_start=benefit_start,
            tags=tags,
            proposed_category=proposed_category,
            note=note,
            now=now,
        )
    except clients.ClientAlreadyActive:
        return None
    await status_holder_check_after_intake(
        session, client_id=saved.client.id, config=deadlines, today=today, now=now
    )
    return saved


async def save_vacancy(
    session: AsyncSession,
    actor: StaffMember,
    *,
    employer: str,
    function: str,
    branche: str | None,
    hours_per_week: int,
    place_kind: str,
    ladder_step: int,
    closing_date: date | None,
    source: str | None,
    contact_note: str | None,
    now: datetime,
) -> VacancyInfo:
    """A new open vacature for the next weekdate."""
    return await vacancies.add_vacancy(
        session,
        team_id=actor.team_id,
        author_staff_id=actor.staff_id,
        employer=employer,
        function=function,
        branche=branche,
        hours_per_week=hours_per_week,
        place_kind=place_kind,
        ladder_step=ladder_step,
        closing_date=closing_date,
        source=source,
        contact_note=contact_note,
        now=now,
    )


async def trajectory_needs_health_check(
    session: AsyncSession, client_id: int, instrument: str, today: date
) -> bool:
    """Whether a new traject with ``instrument`` must be confirmed first: it is aimed at work and
    the client has a medical, full ontheffing (issue 11 item 7; 003:L363-L365)."""
    return rules.aimed_at_work(instrument) and await has_medical_full_exemption(
        session, client_id, today
    )


async def save_trajectory(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    instrument: str,
    instrument_label: str,
    start: date,
    end: date | None,
    text: str | None,
    now: datetime,
    settings: TrajectSettings,
) -> ItemInfo:
    """A traject; one with an end date gets its deadline, owned by the client's owner, and one
    whose instrument has a maximum a deadline when that is reached (``settings``: the team's
    instrument rules)."""
    saved = await items.add_item(
        session,
        team_id=actor.team_id,
        client_id=client_id,
        author_staff_id=actor.staff_id,
        kind=CaseItemKind.TRAJECTORY,
        text=text,
        data={
            "instrument": instrument,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
        },
        now=now,
    )
    client = await clients.get_client(session, client_id)
    await start_trajectory(
        session,
        team_id=actor.team_id,
        client_id=client_id,
        case_item_id=saved.id,
        instrument=instrument,
        instrument_label=instrument_label,
        start=start,
        end=end,
        owner_staff_id=(client.owner_staff_id if client else None) or actor.staff_id,
        settings=settings,
        now=now,
    )
    return saved


async def add_update(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    kind: CaseItemKind,
    text: str | None,
    now: datetime,
) -> ItemInfo:
    """A succes, knelpunt or notitie about a client, for the next weekdate."""
    return await items.add_item(
        session,
        team_id=actor.team_id,
        client_id=client_id,
        author_staff_id=actor.staff_id,
        kind=kind,
        text=text,
        now=now,
    )


async def change_category(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    category: str,
    subcategory: str | None,
    reason: str,
    now: datetime,
) -> ClientInfo:
    """A category change outside the weekdate, with its reason in the history."""
    return await clients.change_category(
        session,
        client_id,
        category=category,
        subcategory=subcategory,
        actor_staff_id=actor.staff_id,
        reason=reason,
        now=now,
    )


# --- /wijzig ------------------------------------------------------------------------------------


def edit_since(now: datetime, edit_days: int) -> datetime:
    """The oldest moment an item may be from to be changed with /wijzig."""
    return now - timedelta(days=edit_days)


async def own_recent_items(
    session: AsyncSession, actor: StaffMember, since: datetime
) -> list[ItemInfo]:
    """The actor's own items created since ``since``, newest first."""
    return await items.own_recent_items(session, actor.staff_id, since)


async def get_item(session: AsyncSession, item_id: int) -> ItemInfo | None:
    """One case item by id."""
    return await items.get_item(session, item_id)


async def edit_item_text(
    session: AsyncSession, actor: StaffMember, item_id: int, *, since: datetime, text: str | None
) -> ItemInfo | None:
    """Replace the text of one's own recent item; ``None`` when that is not (any longer) allowed."""
    return await items.set_item_text(
        session, item_id, author_staff_id=actor.staff_id, since=since, text=text
    )


# --- vacatures ----------------------------------------------------------------------------------


async def vacancy_team_ids(
    session: AsyncSession, actor: StaffMember, shared: Sequence[str] = ()
) -> tuple[int, ...]:
    """The teams whose vacatures the actor sees: their own, and the teams of ``shared``
    (``TeamSettings.vacancy_teams``: one list for the municipalities of 004, 004:L203)."""
    ids = [actor.team_id]
    for name in shared:
        found = await teams.get_team_by_name(session, name)
        if found is not None and found.id not in ids:
            ids.append(found.id)
    return tuple(ids)


async def open_vacancy(
    session: AsyncSession, actor: StaffMember, vacancy_id: int, shared: Sequence[str] = ()
) -> VacancyInfo | None:
    """The vacature ``vacancy_id`` of the actor's team (or a team sharing the list) if it is
    still open. Only the vacature is shared: the client placed is the actor's own."""
    vacancy = await vacancies.get_vacancy(session, vacancy_id)
    allowed = await vacancy_team_ids(session, actor, shared)
    if vacancy is None or vacancy.team_id not in allowed or vacancy.status != VacancyStatus.OPEN:
        return None
    return vacancy


async def fill_vacancy(
    session: AsyncSession,
    actor: StaffMember,
    vacancy_id: int,
    *,
    client_id: int | None,
    now: datetime,
    today: date,
    shared: Sequence[str] = (),
) -> VacancyInfo | None:
    """Mark a vacature vervuld; with a placed client, log a succes (an exit candidate) and the
    placement (starting ``today``), both in the actor's own team. ``None`` when it is no longer
    open."""
    filled = await vacancies.mark_filled(
        session,
        vacancy_id,
        team_id=await vacancy_team_ids(session, actor, shared),
        client_id=client_id,
        now=now,
    )
    if filled is None:
        return None
    if client_id is not None:
        await items.add_item(
            session,
            team_id=actor.team_id,
            client_id=client_id,
            author_staff_id=actor.staff_id,
            kind=CaseItemKind.SUCCESS,
            text=rules.placed_note(filled.function, filled.employer),
            data={"vacancy_id": filled.id, "exit_candidate": True},
            now=now,
        )
        await exit_service.record_vacancy_placement(
            session, actor, vacancy=filled, client_id=client_id, start=today, now=now
        )
    return filled


#: Vacatures per page of ``/vacatures`` (each takes a few lines, and a button).
VACANCY_PAGE_SIZE = 10


@dataclass(frozen=True)
class VacancyPage:
    """One page of ``/vacatures``."""

    vacancies: list[VacancyInfo]
    page: Page
    #: The ones the reader may edit (their own; every one for a teamleider or admin).
    editable: frozenset[int] = frozenset()


async def list_open_vacancies(
    db: Database, actor: StaffMember, clock: Clock, offset: int = 0, shared: Sequence[str] = ()
) -> VacancyPage:
    """``/vacatures``: one page of the team's open vacatures (with ``shared``: those of the teams
    sharing the list too), soonest closing first (only that page is read, plus a count)."""
    today = local_today(clock)
    async with db.transaction() as session:
        team_ids = await vacancy_team_ids(session, actor, shared)
        total = await vacancies.count_open_vacancies(session, team_ids, today)
        page = Page.at(offset, total, VACANCY_PAGE_SIZE)
        rows = await vacancies.open_vacancies(
            session, team_ids, today, offset=page.offset, limit=page.size
        )
    return VacancyPage(rows, page, editable_vacancy_ids(actor, rows))


async def expire_vacancies(db: Database, clock: Clock) -> int:
    """Mark every open vacature whose closing date has passed vervallen; how many there were."""
    async with db.transaction() as session:
        return await vacancies.expire_vacancies(session, local_today(clock), clock.now())


# --- /client and /mijn --------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientCard:
    """Everything ``/client`` shows, as stored codes."""

    client: ClientInfo
    owner_name: str | None
    recent: list[ItemInfo]
    #: Every traject with its status and extensions (the trajectories table), newest first.
    trajectories: list[TrajectView]
    history: list[clients.HistoryEntry]
    #: The route sections (deadlines, ontheffingen, contacts, placements, wishes, ...).
    route: RouteCard | None = None


async def client_card(
    db: Database,
    actor: StaffMember,
    ref: str,
    clock: Clock,
    *,
    instruments: Iterable[tuple[str, str]],
    trajecten: TrajectSettings,
) -> ClientCard | None:
    """The card of ``ref`` in the actor's own team (``None`` if unknown); always audit-logged.
    ``instruments``: (code, label) of the team's instruments; ``trajecten``: their rules."""
    async with db.transaction() as session:
        return await view_client(
            session, actor, ref, now=clock.now(), instruments=instruments, trajecten=trajecten
        )


async def view_client(
    session: AsyncSession,
    actor: StaffMember,
    ref: str,
    *,
    now: datetime,
    instruments: Iterable[tuple[str, str]],
    trajecten: TrajectSettings,
) -> ClientCard | None:
    """:func:`client_card` inside the caller's transaction."""
    client = await clients.get_client_by_ref(session, actor.team_id, ref)
    await audit.record(
        session,
        at=now,
        action=AuditAction.CLIENT_VIEW,
        result=AuditResult.SHOWN if client else AuditResult.UNKNOWN,
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"client:{client.id}" if client else None,
        # Only a stored reference: what was typed for an unknown one stays out of the log.
        reference=client.ref if client else None,
    )
    if client is None:
        return None
    owner_name = (
        await staff.display_name(session, client.owner_staff_id) if client.owner_staff_id else None
    )
    return ClientCard(
        client=client,
        owner_name=owner_name,
        recent=await items.items_for_client(session, client.id, limit=5),
        trajectories=await traject_views(
            session, client.id, labels=instruments, settings=trajecten
        ),
        history=await clients.history(session, client.id, limit=10),
        route=await route_card(session, client.id),
    )


#: Clients per page of ``/mijn`` (one line each; a caseload of 500 would be eight messages).
MY_CLIENTS_PAGE_SIZE = 25


@dataclass(frozen=True)
class MyClientsPage:
    """One page of ``/mijn``."""

    clients: list[OwnedClient]
    page: Page


async def my_clients(
    db: Database, actor: StaffMember, clock: Clock, offset: int = 0
) -> MyClientsPage:
    """``/mijn``: one page of the clients the actor owns with what is still open about them
    (only that page is read, plus a count)."""
    async with db.transaction() as session:
        total = await clients.count_clients_of(session, actor.staff_id)
        page = Page.at(offset, total, MY_CLIENTS_PAGE_SIZE)
        owned = await clients.clients_of(
            session, actor.staff_id, local_today(clock), offset=page.offset, limit=page.size
        )
    return MyClientsPage(owned, page)
