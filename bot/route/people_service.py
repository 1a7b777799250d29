"""The people side of the route, each use case orchestrated in one place: an overdracht, the work
of a colleague being deactivated, a doelgroep change, deleting one's own item, editing a vacature.

Functions taking a ``session`` run inside the caller's transaction (a form's update); the one
taking the :class:`~storage.db.Database` opens it. Someone who gets work hears it from the bot:
those messages come back in an :class:`~bot.core.ui.Outbox`, delivered after the commit.
Nothing here talks to Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access.rules import deactivation
from bot.core.render import render
from bot.core.ui import Outbox
from bot.core.vocabulary import (
    AuditAction,
    AuditResult,
    Deactivation,
    VacancyStatus,
)
from bot.deadlines.settings import DeadlinesConfig
from bot.route import people_rules as rules
from bot.route.people_rules import Candidate, DeleteRefusal, Refusal
from storage import audit, clients, route_people, staff, vacancies
from storage import caselog as items
from storage.caselog import ItemInfo
from storage.clients import ACTIVE_STATUSES, ClientInfo
from storage.db import Database
from storage.route_people import CarriedDeadline, Person, TagPeriod
from storage.staff import StaffMember
from storage.vacancies import VacancyInfo


def _candidate(p: Person) -> Candidate:
    return Candidate(p.staff_id, p.team_id, p.active, rules.roles_of(p.roles))


async def _record(
    session: AsyncSession,
    actor: StaffMember,
    action: AuditAction,
    *,
    now: datetime,
    obj: str | None,
    ref: str | None = None,
    result: AuditResult | Deactivation = AuditResult.OK,
) -> None:
    await audit.record(
        session,
        at=now,
        action=action,
        result=result,
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=obj,
        reference=ref,
    )


def _carried(deadlines: list[CarriedDeadline]) -> tuple[int, CarriedDeadline | None]:
    return len(deadlines), (deadlines[0] if deadlines else None)


# --- /overdracht ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverChoice:
    """What the overdracht form offers: the client, its owner, who may get it."""

    client: ClientInfo
    owner_name: str | None
    following: int
    candidates: list[tuple[int, str]]


async def handover_choice(
    session: AsyncSession, actor: StaffMember, client: ClientInfo, config: DeadlinesConfig
) -> HandoverChoice | Refusal:
    """The colleagues ``client`` may go to (active, own team, a role that may own it and the
    deadlines that follow it; not the actor, not the owner); or why there is no overdracht."""
    following = await route_people.deadlines_following(session, client.id, client.owner_staff_id)
    kinds = [config.rule(d.kind) for d in following]
    refusal = rules.handover_refusal(
        actor_id=actor.staff_id,
        actor_roles=actor.roles,
        client_team_id=client.team_id,
        client_status=client.status,
        owner_id=client.owner_staff_id,
        receiver=None,
        deadline_rules=kinds,
    )
    if refusal is not None:
        return refusal
    team = await route_people.people(session, client.team_id)
    candidates = [
        (p.staff_id, p.name)
        for p in team
        if rules.handover_refusal(
            actor_id=actor.staff_id,
            actor_roles=actor.roles,
            client_team_id=client.team_id,
            client_status=client.status,
            owner_id=client.owner_staff_id,
            receiver=_candidate(p),
            deadline_rules=kinds,
        )
        is None
    ]
    owner = (
        await route_people.person(session, client.owner_staff_id) if client.owner_staff_id else None
    )
    return HandoverChoice(client, owner.name if owner else None, len(following), candidates)


@dataclass(frozen=True)
class HandedOver:
    """An overdracht done: who got the client, and what they now carry of it."""

    ref: str
    receiver_name: str
    moved_deadlines: int
    outbox: Outbox = field(default_factory=Outbox)


async def hand_over_client(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    to_staff_id: int,
    reason: str,
    config: DeadlinesConfig,
    now: datetime,
) -> HandedOver | Refusal:
    """Give the client to ``to_staff_id``: everything re-checked in this transaction, the owner
    changed (history with the reason), the deadlines that follow moved, an audit line, and a
    private message for the receiver with the reference and what they now carry."""
    client = await clients.get_client(session, client_id)
    if client is None or client.team_id != actor.team_id:
        return Refusal.NOT_ALLOWED
    following = await route_people.deadlines_following(session, client.id, client.owner_staff_id)
    receiver = await route_people.person(session, to_staff_id)
    refusal = rules.handover_refusal(
        actor_id=actor.staff_id,
        actor_roles=actor.roles,
        client_team_id=client.team_id,
        client_status=client.status,
        owner_id=client.owner_staff_id,
        receiver=_candidate(receiver) if receiver else None,
        deadline_rules=[config.rule(d.kind) for d in following],
    )
    if refusal is not None or receiver is None:
        return refusal or Refusal.INACTIVE
    await clients.change_owner(
        session,
        client.id,
        owner_staff_id=receiver.staff_id,
        actor_staff_id=actor.staff_id,
        reason=reason,
        now=now,
    )
    moved = await route_people.move_deadlines(session, [d.id for d in following], receiver.staff_id)
    await _record(
        session, actor, AuditAction.CLIENT_HANDOVER, now=now,
        obj=f"staff:{receiver.staff_id}", ref=client.ref,
    )  # fmt: skip
    carried = [
        d for d in await route_people.open_deadlines_of(session, receiver.staff_id)
        if d.client_id == client.id
    ]  # fmt: skip
    count, nearest = _carried(carried)
    out = Outbox()
    out.text(
        receiver.telegram_user_id,
        render(
            "route/people_handover_notice",
            ref=client.ref,
            giver=actor.display_name,
            reason=reason,
            count=count,
            nearest=nearest,
        ),
    )
    return HandedOver(client.ref, receiver.name, moved, out)


# --- deactivating a colleague who still carries work ----------------------------------------


@dataclass(frozen=True)
class AskReceiver:
    """The colleague still carries work: who gets it (one colleague for all)?"""

    target: StaffMember
    clients: int
    deadlines: int
    candidates: list[tuple[int, str]]
    refusal: Refusal | None = None


@dataclass(frozen=True)
class Deactivated:
    """The deactivation's outcome, and (when work moved) who got it."""

    outcome: Deactivation
    target: StaffMember | None
    receiver_name: str | None = None
    clients: int = 0
    deadlines: int = 0
    outbox: Outbox = field(default_factory=Outbox)


async def deactivate_colleague(
    db: Database,
    actor: StaffMember,
    staff_id: int,
    *,
    receiver_id: int | None,
    config: DeadlinesConfig,
    now: datetime,
) -> Deactivated | AskReceiver:
    """Deactivate a colleague; one who still owns clients or open deadlines is deactivated only
    together with handing all of it to one colleague (``receiver_id``), in one transaction, so
    nothing is ever left on an inactive person. Without a receiver: who may get it."""
    async with db.transaction() as session:
        target = await staff.get_staff(session, staff_id)
        outcome = deactivation(actor, target)
        if outcome != Deactivation.DONE or target is None:
            await _record(
                session, actor, AuditAction.STAFF_DEACTIVATE, now=now,
                obj=f"staff:{staff_id}", result=outcome,
            )  # fmt: skip
            return Deactivated(outcome, target)
        owned = await route_people.owned_client_ids(session, staff_id)
        deadlines = await route_people.open_deadlines_of(session, staff_id)
        active_clients = await route_people.count_owned_clients(session, staff_id, ACTIVE_STATUSES)
        kinds = [config.rule(d.kind) for d in deadlines]
        receiver = await route_people.person(session, receiver_id) if receiver_id else None
        if owned or deadlines:
            refusal = (
                rules.work_receiver_refusal(
                    leaver_id=staff_id,
                    leaver_team_id=target.team_id,
                    receiver=_candidate(receiver) if receiver else None,
                    deadline_rules=kinds,
                )
                if receiver_id is not None
                else None
            )
            if receiver is None or refusal is not None:
                team = await route_people.people(session, target.team_id)
                candidates = [
                    (p.staff_id, p.name)
                    for p in team
                    if rules.work_receiver_refusal(
                        leaver_id=staff_id,
                        leaver_team_id=target.team_id,
                        receiver=_candidate(p),
                        deadline_rules=kinds,
                    )
                    is None
                ]
                return AskReceiver(target, active_clients, len(deadlines), candidates, refusal)
        out = Outbox()
        receiver_name = None
        if receiver is not None and (owned or deadlines):
            reason = render("route/people_reason_deactivated", name=target.display_name)
            for client_id in owned:
                await clients.change_owner(
                    session,
                    client_id,
                    owner_staff_id=receiver.staff_id,
                    actor_staff_id=actor.staff_id,
                    reason=reason,
                    now=now,
                )
            await route_people.move_deadlines(session, [d.id for d in deadlines], receiver.staff_id)
            await _record(
                session, actor, AuditAction.STAFF_WORK_HANDOVER, now=now,
                obj=f"staff:{staff_id}>staff:{receiver.staff_id}",
            )  # fmt: skip
            carried = await route_people.open_deadlines_of(session, receiver.staff_id)
            count, nearest = _carried(carried)
            out.text(
                receiver.telegram_user_id,
                render(
                    "route/people_work_notice",
                    leaver=target.display_name,
                    clients=active_clients,
                    moved=len(deadlines),
                    count=count,
                    nearest=nearest,
                ),
            )
            receiver_name = receiver.name
        await staff.deactivate(session, staff_id, now)
        await _record(
            session, actor, AuditAction.STAFF_DEACTIVATE, now=now,
            obj=f"staff:{staff_id}", result=Deactivation.DONE,
        )  # fmt: skip
    return Deactivated(
        Deactivation.DONE, target, receiver_name, active_clients, len(deadlines), out
    )


# --- /doelgroep ---------------------------------------------------------------------------------


async def tag_history(session: AsyncSession, client_id: int) -> list[TagPeriod]:
    """The client's tag periods, oldest first."""
    return await route_people.tag_periods(session, client_id)


@dataclass(frozen=True)
class TagsSaved:
    """A doelgroep change: what was added and removed, from which day."""

    ref: str
    on: date
    added: list[str]
    removed: list[str]


async def save_tags(
    session: AsyncSession,
    actor: StaffMember,
    *,
    client_id: int,
    tags: list[str],
    on: date,
    today: date,
    now: datetime,
) -> TagsSaved:
    """Set the client's doelgroepen from ``on``; the date is checked again against the periods
    as they are now (someone may have changed them since the form began). Raises
    :class:`~bot.core.answers.InputProblem` for a date that no longer fits."""
    client = await clients.get_client(session, client_id)
    if client is None or client.team_id != actor.team_id:
        raise LookupError(client_id)
    added, removed = rules.tag_changes(client.tags, tags)
    periods = await route_people.tag_periods(session, client_id)
    last = rules.last_change([(p.tag, p.set_on, p.removed_on) for p in periods], added + removed)
    rules.check_tag_date(on, today, client.entered_on, last)
    added, removed = await route_people.set_client_tags(session, client_id, tags, on=on, now=now)
    await _record(session, actor, AuditAction.CLIENT_TAGS, now=now, obj=f"client:{client_id}",
                  ref=client.ref)  # fmt: skip
    return TagsSaved(client.ref, on, added, removed)


async def tag_counts_on(session: AsyncSession, team_id: int, peildatum: date) -> dict[str, int]:
    """Clients per doelgroep tag on ``peildatum`` (the seam the figures read)."""
    return await route_people.tags_on(session, team_id, peildatum)


# --- /wijzig: deleting one's own item ------------------------------------------------------------


async def delete_own_item(
    session: AsyncSession, actor: StaffMember, item_id: int, *, since: datetime, now: datetime
) -> ItemInfo | DeleteRefusal:
    """Delete one's own item of the last days that no weekdate decided on yet (re-checked here);
    a deadline it created (a traject's end) is closed; an audit line."""
    item = await items.get_item(session, item_id)
    if item is None:
        return DeleteRefusal.GONE
    refusal = rules.delete_refusal(
        author_id=item.author_staff_id,
        actor_id=actor.staff_id,
        created_at=item.created_at,
        since=since,
        kind=item.kind,
        agenda_status=item.agenda_status,
    )
    if refusal is not None:
        return refusal
    await route_people.delete_item(
        session, item_id, now=now, note=render("route/people_deleted_note")
    )
    await _record(session, actor, AuditAction.ITEM_DELETE, now=now, obj=f"case_item:{item_id}",
                  ref=item.client_ref)  # fmt: skip
    return item


# --- vacatures -----------------------------------------------------------------------------------


async def vacancy_to_edit(
    session: AsyncSession, actor: StaffMember, vacancy_id: int
) -> VacancyInfo | None:
    """The actor's team's open vacature ``vacancy_id`` when the actor may edit it (its author
    or a teamleider/admin)."""
    vacancy = await vacancies.get_vacancy(session, vacancy_id)
    if (
        vacancy is None
        or vacancy.team_id != actor.team_id
        or vacancy.status != VacancyStatus.OPEN
        or not rules.may_edit_vacancy(actor.staff_id, actor.roles, vacancy.author_staff_id)
    ):
        return None
    return vacancy


async def edit_vacancy(
    session: AsyncSession,
    actor: StaffMember,
    vacancy_id: int,
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
) -> VacancyInfo | None:
    """Change a vacature (re-checked: still open, still the actor's to edit); an audit line."""
    if await vacancy_to_edit(session, actor, vacancy_id) is None:
        return None
    await route_people.update_vacancy(
        session,
        vacancy_id,
        employer=employer,
        function=function,
        branche=branche,
        hours_per_week=hours_per_week,
        place_kind=place_kind,
        ladder_step=ladder_step,
        closing_date=closing_date,
        source=source,
        contact_note=contact_note,
    )
    await _record(session, actor, AuditAction.VACANCY_EDIT, now=now, obj=f"vacancy:{vacancy_id}")
    return await vacancies.get_vacancy(session, vacancy_id)


def editable_vacancy_ids(actor: StaffMember, listed: list[VacancyInfo]) -> frozenset[int]:
    """Which of ``listed`` the actor may edit (their own; all for a teamleider/admin)."""
    return frozenset(
        v.id
        for v in listed
        if rules.may_edit_vacancy(actor.staff_id, actor.roles, v.author_staff_id)
    )
