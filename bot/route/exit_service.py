"""Uitstroom and placements: the use cases, each orchestrated in one place.

Every function runs inside the caller's one transaction (the form's update). Nothing here talks
to Telegram; what others must hear goes into an :class:`~bot.core.ui.Outbox`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Outbox
from bot.core.vocabulary import (
    AgendaStatus,
    AuditAction,
    AuditResult,
    CaseItemKind,
    DeadlineKind,
    DeadlineSource,
    DeadlineStatus,
    VacancyStatus,
)
from bot.deadlines.service import client_left
from bot.route import exit_rules as rules
from storage import audit, clients, deadlines, placements, staff, vacancies
from storage import caselog as items
from storage.clients import ClientInfo
from storage.db import Database
from storage.placements import PlacementInfo
from storage.staff import StaffMember
from storage.vacancies import VacancyInfo

__all__ = ["ClientInfo", "ExitSaved", "PlacementInfo", "VacancyInfo"]


async def client_in_caseload(
    session: AsyncSession, actor: StaffMember, ref: str
) -> ClientInfo | None:
    """The actor's team's client ``ref`` (any status), or ``None``."""
    return await clients.get_client_by_ref(session, actor.team_id, ref)


async def client_placements(session: AsyncSession, client_id: int) -> list[PlacementInfo]:
    """The client's placements, newest first: the seam the client card's "plaatsingen" section
    (and the figures' placement rows) read."""
    return await placements.placements_of(session, client_id)


async def filled_vacancy(
    session: AsyncSession, actor: StaffMember, vacancy_id: int
) -> tuple[VacancyInfo, ClientInfo] | None:
    """A vacature of the actor's team vervuld with a client, and that client."""
    vacancy = await vacancies.get_vacancy(session, vacancy_id)
    if (
        vacancy is None
        or vacancy.team_id != actor.team_id
        or vacancy.status != VacancyStatus.FILLED
        or vacancy.filled_client_ref is None
    ):
        return None
    client = await clients.get_client_by_ref(session, actor.team_id, vacancy.filled_client_ref)
    return (vacancy, client) if client is not None else None


async def record_vacancy_placement(
    session: AsyncSession,
    actor: StaffMember,
    *,
    vacancy: VacancyInfo,
    client_id: int,
    start: date,
    now: datetime,
) -> PlacementInfo:
    """A vacature vervuld with a client is a placement (its kind follows with the uitstroom)."""
    return await placements.record_placement(
        session,
        team_id=actor.team_id,
        client_id=client_id,
        vacancy_id=vacancy.id,
        kind=None,
        hours_per_week=vacancy.hours_per_week,
        start_date=start,
        with_lks=False,
        author_staff_id=actor.staff_id,
        now=now,
    )


@dataclass(frozen=True)
class ExitSaved:
    """What an uitstroom did."""

    client: ClientInfo
    closed_deadlines: int
    ended_exemptions: int
    placement: PlacementInfo | None = None
    assessment_due: date | None = None
    assessor_name: str | None = None
    #: Messages for others (the LB who owes the loonwaardemeting), sent after the commit.
    outbox: Outbox = field(default_factory=Outbox)


async def _assessor(session: AsyncSession, actor: StaffMember, client: ClientInfo) -> StaffMember:
    """Who does the loonwaardemeting: the LB who guides the client (its owner, or the LB the
    weekdate asked to plan the first conversation), else the actor when an LB, else the team's
    first LB; a team without an LB: its teamleider (who may own any kind), else the actor."""
    candidates = [client.owner_staff_id]
    candidates.append(
        await placements.last_owner_of_kind(session, client.id, DeadlineKind.LB_APPOINTMENT)
    )
    for staff_id in candidates:
        member = await staff.get_staff(session, staff_id) if staff_id else None
        if member is not None and member.active and member.has(Role.LOOPBAANBEGELEIDER):
            return member
    if actor.has(Role.LOOPBAANBEGELEIDER):
        return actor
    team_lbs = await staff.team_members_with_role(session, actor.team_id, Role.LOOPBAANBEGELEIDER)
    if team_lbs:
        return team_lbs[0]
    leaders = await staff.team_members_with_role(session, actor.team_id, Role.TEAMLEIDER)
    return leaders[0] if leaders else actor


async def save_exit(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    reason: str,
    on: date,
    work_kind: str | None,
    hours: int | None,
    note: str | None,
    vacancy_id: int | None,
    now: datetime,
) -> ExitSaved | None:
    """The client left on ``on`` for ``reason``. ``None`` when it is no longer in the caseload
    (left in the meantime: a double tap, a colleague was quicker)."""
    client = await clients.get_client(session, client_id)
    if client is None or client.team_id != actor.team_id or not rules.may_place(client.status):
        return None
    status = rules.status_after_exit(reason, work_kind)
    updated = await clients.change_status(
        session,
        client.id,
        status=status,
        exit_reason=reason,
        actor_staff_id=actor.staff_id,
        reason=None,
        now=now,
    )
    closed = 0
    for open_deadline in await placements.open_deadlines_of_client(session, client.id):
        if rules.closes_on_exit(open_deadline.kind, open_deadline.source_type):
            await deadlines.resolve_deadline(
                session,
                open_deadline.id,
                status=DeadlineStatus.NOT_APPLICABLE,
                now=now,
                note=rules.EXIT_NOTE,
            )
            closed += 1
    ended = await client_left(session, client.id, on=on, now=now)
    if note is not None:
        # The note stays with the client's record; the exit itself reaches the agenda through
        # the history (``Doorstroom en uitstroom``), so the note is not a second agenda item.
        await items.add_item(
            session,
            team_id=actor.team_id,
            client_id=client.id,
            author_staff_id=actor.staff_id,
            kind=CaseItemKind.NOTE,
            text=note,
            data={"exit": reason, "on": on.isoformat()},
            now=now,
            agenda_status=AgendaStatus.INFO,
        )
    await audit.record(
        session,
        at=now,
        action=AuditAction.CLIENT_EXIT,
        result=AuditResult.OK,
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"client:{client.id}",
        reference=client.ref,
    )
    if not rules.is_work(reason):
        return ExitSaved(updated, closed, ended)
    lks = rules.with_lks(reason, work_kind)
    placement = await placements.record_placement(
        session,
        team_id=actor.team_id,
        client_id=client.id,
        vacancy_id=vacancy_id,
        kind=work_kind,
        hours_per_week=hours,
        start_date=on,
        with_lks=lks,
        author_staff_id=actor.staff_id,
        now=now,
    )
    if not lks:
        return ExitSaved(updated, closed, ended, placement)
    assessor = await _assessor(session, actor, client)
    due = rules.first_assessment_due(on)
    await deadlines.create_deadline(
        session,
        team_id=actor.team_id,
        kind=DeadlineKind.WAGE_VALUE_ASSESSMENT.value,
        due_date=due,
        owner_staff_id=assessor.staff_id,
        now=now,
        client_id=client.id,
        source_type=DeadlineSource.PLACEMENT,
        source_id=placement.id,
    )
    outbox = Outbox()
    if assessor.staff_id != actor.staff_id:
        # Someone who got work from the bot hears it from the bot, at once and in private.
        outbox.text(
            assessor.telegram_user_id,
            render("route/exit_assessor", ref=client.ref, due=due, by=actor.display_name),
        )
    return ExitSaved(updated, closed, ended, placement, due, assessor.display_name, outbox)


async def exit_task(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    ref: str,
    today: date,
    meeting_id: int,
    now: datetime,
) -> tuple[int, int | None, date]:
    """The weekdate decided a succes is an uitstroom: the client's owner gets an actiepunt to
    record it with ``/uitstroom`` (which then closes the actiepunt with the rest). Returns the
    deadline id, its owner and its due date."""
    client = await clients.get_client(session, client_id)
    owner = client.owner_staff_id if client is not None else None
    due = rules.exit_task_due(today)
    deadline_id = await deadlines.create_deadline(
        session,
        team_id=team_id,
        kind=DeadlineKind.ACTION_ITEM.value,
        due_date=due,
        owner_staff_id=owner,
        now=now,
        client_id=client_id,
        title=rules.EXIT_TASK_TITLE.format(ref=ref)[:200],
        source_type=DeadlineSource.WEEKDATE_MEETING,
        source_id=meeting_id,
    )
    return deadline_id, owner, due


async def placed_client_ref(db: Database, actor: StaffMember, vacancy_id: int) -> str | None:
    """The reference of the client a vacature of the actor's team was vervuld with, if any."""
    async with db.transaction() as session:
        found = await filled_vacancy(session, actor, vacancy_id)
    return found[1].ref if found is not None else None
