"""Deadlines: the reminder engine's unit of work, and the query the weekdate agenda reads.

Other features create deadlines here (weekdate actiepunten, loopbaanbegeleider appointments,
trajecten); the reminder engine notifies them stage by stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    DeadlineKind,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
)
from bot.core.workdays import add_working_days
from bot.deadlines.rules import (
    QUALIFYING_CONTACTS,
    PostponeChoice,
    Postponed,
    PostponeRefused,
    add_months,
    internship_review_due,
    next_recurring_due,
    participation_contact_due,
    postpone,
    trajectory_end_due,
    wage_value_assessment_due,
    working_due,
)
from bot.deadlines.settings import DeadlinesConfig
from storage.models import (
    Client,
    Deadline,
    DeadlinePostponement,
    Exemption,
    ExemptionReview,
    ParticipationContact,
    Staff,
)
from storage.reminders import force_escalation, rowcount


@dataclass(frozen=True)
class AgendaDeadline:
    """An open deadline as the weekdate agenda shows it."""

    id: int
    kind: str
    title: str | None
    due_date: date
    client_ref: str | None
    owner_name: str | None
    overdue: bool


async def create_deadline(
    session: AsyncSession,
    *,
    team_id: int,
    kind: str,
    due_date: date,
    owner_staff_id: int | None,
    now: datetime,
    client_id: int | None = None,
    title: str | None = None,
    source_type: str | None = None,
    source_id: int | None = None,
) -> int:
    """Store an open deadline; returns its id."""
    deadline = Deadline(
        team_id=team_id,
        client_id=client_id,
        kind=kind,
        title=title,
        due_date=due_date,
        owner_staff_id=owner_staff_id,
        status="open",
        source_type=source_type,
        source_id=source_id,
        postponements=0,
        created_at=now,
    )
    session.add(deadline)
    await session.flush()
    return deadline.id


async def agenda_deadlines(
    session: AsyncSession, team_id: int, today: date, horizon_days: int = 14
) -> list[AgendaDeadline]:
    """The team's open deadlines that are overdue or due within ``horizon_days``; overdue first."""
    rows = await session.execute(
        select(Deadline, Client.ref, Staff.display_name)
        .outerjoin(Client, Client.id == Deadline.client_id)
        .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
        .where(
            Deadline.team_id == team_id,
            Deadline.status == "open",
            Deadline.due_date <= today + timedelta(days=horizon_days),
        )
        .order_by(Deadline.due_date, Deadline.id)
    )
    return [
        AgendaDeadline(
            id=d.id,
            kind=d.kind,
            title=d.title,
            due_date=d.due_date,
            client_ref=ref,
            owner_name=owner,
            overdue=d.due_date < today,
        )
        for d, ref, owner in rows
    ]


# --- the reminder engine's commands (issue 5) -------------------------------------------------


class DeadlineError(Exception):
    """A deadline action that cannot be done; ``code`` picks the Dutch message template."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class OpenDeadline:
    """An open deadline for ``/termijnen`` and the item card."""

    id: int
    team_id: int
    kind: str
    title: str | None
    due_date: date
    client_id: int | None
    client_ref: str | None
    owner_staff_id: int | None
    owner_name: str | None
    postponements: int
    status: str
    source_type: str | None
    source_id: int | None


def _open_deadline(d: Deadline, ref: str | None, owner: str | None) -> OpenDeadline:
    return OpenDeadline(
        id=d.id,
        team_id=d.team_id,
        kind=d.kind,
        title=d.title,
        due_date=d.due_date,
        client_id=d.client_id,
        client_ref=ref,
        owner_staff_id=d.owner_staff_id,
        owner_name=owner,
        postponements=d.postponements,
        status=d.status,
        source_type=d.source_type,
        source_id=d.source_id,
    )


async def get_deadline(session: AsyncSession, deadline_id: int) -> OpenDeadline | None:
    """One deadline (any status) with its client reference and owner name."""
    row = (
        await session.execute(
            select(Deadline, Client.ref, Staff.display_name)
            .outerjoin(Client, Client.id == Deadline.client_id)
            .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
            .where(Deadline.id == deadline_id)
        )
    ).first()
    if row is None:
        return None
    d, ref, owner = row
    return _open_deadline(d, ref, owner)


async def open_deadlines(
    session: AsyncSession, *, team_id: int, owner_staff_id: int | None = None
) -> list[OpenDeadline]:
    """Open deadlines of a team (or of one owner in it), by due date."""
    query = (
        select(Deadline, Client.ref, Staff.display_name)
        .outerjoin(Client, Client.id == Deadline.client_id)
        .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
        .where(Deadline.team_id == team_id, Deadline.status == "open")
        .order_by(Deadline.due_date, Deadline.id)
    )
    if owner_staff_id is not None:
        query = query.where(Deadline.owner_staff_id == owner_staff_id)
    return [_open_deadline(d, ref, owner) for d, ref, owner in await session.execute(query)]


async def _open_row(session: AsyncSession, deadline_id: int) -> Deadline:
    deadline = await session.get(Deadline, deadline_id, with_for_update=True)
    if deadline is None:
        raise DeadlineError("not_found")
    if deadline.status != "open":
        raise DeadlineError("already_resolved")
    return deadline


async def resolve_deadline(
    session: AsyncSession,
    deadline_id: int,
    *,
    status: str,
    now: datetime,
    note: str | None = None,
) -> OpenDeadline:
    """Close an open deadline as ``done`` or ``not_applicable`` (guarded: only once)."""
    if status not in ("done", "not_applicable"):
        raise ValueError(status)
    deadline = await _open_row(session, deadline_id)
    changed = await session.execute(
        update(Deadline)
        .where(Deadline.id == deadline_id, Deadline.status == "open")
        .values(status=status, resolved_at=now, resolution_note=note)
    )
    if rowcount(changed) != 1:
        raise DeadlineError("already_resolved")
    await session.refresh(deadline)
    result = await get_deadline(session, deadline_id)
    assert result is not None
    return result


async def postpone_deadline(
    session: AsyncSession,
    deadline_id: int,
    *,
    choice: PostponeChoice,
    reason: str,
    today: date,
    now: datetime,
    staff_id: int | None,
    max_postponements: int = 2,
) -> Postponed | PostponeRefused:
    """Uitstellen: a week or a month with a reason; the third time it escalates instead."""
    deadline = await _open_row(session, deadline_id)
    result = postpone(today, deadline.due_date, deadline.postponements, choice, max_postponements)
    if isinstance(result, PostponeRefused):
        await force_escalation(session, deadline_id, now=now)
        return result
    session.add(
        DeadlinePostponement(
            deadline_id=deadline_id,
            old_due=deadline.due_date,
            new_due=result.new_due,
            reason=reason,
            staff_id=staff_id,
            created_at=now,
        )
    )
    deadline.due_date = result.new_due
    deadline.postponements = result.round_
    await session.flush()
    return result


async def hand_over(
    session: AsyncSession, deadline_id: int, *, new_owner_staff_id: int
) -> OpenDeadline:
    """Overdragen: give an open deadline to an active colleague of the same team."""
    deadline = await _open_row(session, deadline_id)
    colleague = await session.get(Staff, new_owner_staff_id)
    if colleague is None or not colleague.active or colleague.team_id != deadline.team_id:
        raise DeadlineError("not_a_colleague")
    deadline.owner_staff_id = new_owner_staff_id
    await session.flush()
    result = await get_deadline(session, deadline_id)
    assert result is not None
    return result


@dataclass(frozen=True)
class Colleague:
    """An active team member one can hand a deadline to."""

    staff_id: int
    name: str


async def colleagues(session: AsyncSession, team_id: int, *, exclude: int) -> list[Colleague]:
    """Active colleagues in ``team_id`` other than ``exclude``, by name."""
    rows = await session.execute(
        select(Staff.id, Staff.display_name)
        .where(Staff.team_id == team_id, Staff.active.is_(True), Staff.id != exclude)
        .order_by(Staff.display_name)
    )
    return [Colleague(i, n) for i, n in rows]


# --- exemptions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExemptionSaved:
    """An exemption and its review deadline."""

    exemption_id: int
    deadline_id: int
    review_date: date


async def create_exemption(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    scope: ExemptionScope,
    reason: ExemptionReason,
    start: date,
    end: date | None,
    review_date: date,
    youngest_turns_five: date | None,
    owner_staff_id: int,
    now: datetime,
) -> ExemptionSaved:
    """Store an exemption and the deadline of its review."""
    exemption = Exemption(
        team_id=team_id,
        client_id=client_id,
        scope=scope.value,
        reason=reason.value,
        start_date=start,
        end_date=end,
        youngest_turns_five=youngest_turns_five,
        review_date=working_due(review_date),
        status="active",
        created_by_staff_id=owner_staff_id,
        created_at=now,
    )
    session.add(exemption)
    await session.flush()
    deadline_id = await create_deadline(
        session,
        team_id=team_id,
        kind=DeadlineKind.EXEMPTION_REVIEW.value,
        due_date=exemption.review_date,
        owner_staff_id=owner_staff_id,
        now=now,
        client_id=client_id,
        source_type="exemption",
        source_id=exemption.id,
    )
    return ExemptionSaved(exemption.id, deadline_id, exemption.review_date)


@dataclass(frozen=True)
class ReviewSaved:
    """The result of a review: the next deadline, or the follow-up task when it ended."""

    outcome: ExemptionOutcome
    next_deadline_id: int | None
    next_due: date | None


async def review_exemption(
    session: AsyncSession,
    deadline_id: int,
    *,
    outcome: ExemptionOutcome,
    reviewed_on: date,
    next_review: date | None,
    staff_id: int,
    now: datetime,
    followup_working_days: int = 10,
) -> ReviewSaved:
    """Gedaan on an exemption review: verlengd/gewijzigd set a new review, beeindigd a task."""
    deadline = await _open_row(session, deadline_id)
    if deadline.source_type != "exemption" or deadline.source_id is None:
        raise DeadlineError("not_an_exemption")
    exemption = await session.get_one(Exemption, deadline.source_id)
    await resolve_deadline(session, deadline_id, status="done", now=now, note=outcome.value)
    owner = deadline.owner_staff_id or staff_id
    if outcome is ExemptionOutcome.ENDED:
        exemption.status = "ended"
        exemption.ended_on = reviewed_on
        due = add_working_days(reviewed_on, followup_working_days)
        new_id = await create_deadline(
            session,
            team_id=deadline.team_id,
            kind=DeadlineKind.ACTION_ITEM.value,
            due_date=due,
            owner_staff_id=owner,
            now=now,
            client_id=deadline.client_id,
            title="Ontheffing beëindigd: afspraken arbeidsplicht maken",
            source_type="exemption",
            source_id=exemption.id,
        )
        next_due: date | None = due
    else:
        if next_review is None or next_review <= reviewed_on:
            raise DeadlineError("review_date_not_after")
        next_due = working_due(next_review)
        exemption.review_date = next_due
        new_id = await create_deadline(
            session,
            team_id=deadline.team_id,
            kind=DeadlineKind.EXEMPTION_REVIEW.value,
            due_date=next_due,
            owner_staff_id=owner,
            now=now,
            client_id=deadline.client_id,
            source_type="exemption",
            source_id=exemption.id,
        )
    session.add(
        ExemptionReview(
            exemption_id=exemption.id,
            reviewed_on=reviewed_on,
            outcome=outcome.value,
            next_review=next_due if outcome is not ExemptionOutcome.ENDED else None,
            staff_id=staff_id,
            created_at=now,
        )
    )
    await session.flush()
    return ReviewSaved(outcome, new_id, next_due)


# --- participation contacts -------------------------------------------------------------------


@dataclass(frozen=True)
class ContactSaved:
    """A saved contact; ``next_due`` is the open participation deadline after it."""

    contact_id: int
    resets_clock: bool
    next_due: date | None
    deadline_id: int | None


async def _participation_due(
    session: AsyncSession, client_id: int, config: DeadlinesConfig
) -> date | None:
    client = await session.get_one(Client, client_id)
    contacts = [
        (day, ContactKind(kind))
        for day, kind in await session.execute(
            select(ParticipationContact.contact_date, ParticipationContact.kind).where(
                ParticipationContact.client_id == client_id
            )
        )
    ]
    entered = client.entered_on or client.created_at.date()
    return participation_contact_due(
        entered,
        contacts,
        interval_months=config.participation_interval_months,
        first_within_months=config.participation_first_months,
    )


async def ensure_participation_deadline(
    session: AsyncSession,
    client_id: int,
    *,
    config: DeadlinesConfig,
    now: datetime,
) -> int | None:
    """Make sure a client in a participation category has exactly one open contact deadline.

    The case-log work calls this after a category change; a client outside the participation
    categories gets none (an open one is closed as not applicable). Returns the open id.
    """
    client = await session.get_one(Client, client_id)
    open_ids = list(
        (
            await session.scalars(
                select(Deadline.id).where(
                    Deadline.client_id == client_id,
                    Deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value,
                    Deadline.status == "open",
                )
            )
        ).all()
    )
    in_scope = (client.category or "") in config.participation_categories and client.status in (
        "aangemeld",
        "actief",
    )
    if not in_scope:
        for deadline_id in open_ids:
            await resolve_deadline(
                session, deadline_id, status="not_applicable", now=now, note="categorie"
            )
        return None
    due = await _participation_due(session, client_id, config)
    assert due is not None
    if open_ids:
        first = await session.get_one(Deadline, open_ids[0])
        if first.due_date != due and first.postponements == 0:
            first.due_date = due
        return first.id
    return await create_deadline(
        session,
        team_id=client.team_id,
        kind=DeadlineKind.PARTICIPATION_CONTACT.value,
        due_date=due,
        owner_staff_id=client.owner_staff_id,
        now=now,
        client_id=client_id,
        source_type="client",
        source_id=client_id,
    )


async def record_participation_contact(
    session: AsyncSession,
    *,
    client_id: int,
    kind: ContactKind,
    contact_date: date,
    outcome: ContactOutcome,
    note: str | None,
    staff_id: int,
    config: DeadlinesConfig,
    now: datetime,
) -> ContactSaved:
    """Store a contact; a face-to-face contact or huisbezoek closes the open deadline and sets
    the next one (a phone call leaves the clock as it was)."""
    client = await session.get_one(Client, client_id)
    contact = ParticipationContact(
        team_id=client.team_id,
        client_id=client_id,
        kind=kind.value,
        contact_date=contact_date,
        outcome=outcome.value,
        note=note,
        staff_id=staff_id,
        created_at=now,
    )
    session.add(contact)
    await session.flush()
    resets = kind in QUALIFYING_CONTACTS
    if resets:
        for open_id in (
            await session.scalars(
                select(Deadline.id).where(
                    Deadline.client_id == client_id,
                    Deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value,
                    Deadline.status == "open",
                )
            )
        ).all():
            await resolve_deadline(
                session, open_id, status="done", now=now, note=f"contact {contact.id}"
            )
    deadline_id = await ensure_participation_deadline(session, client_id, config=config, now=now)
    next_due: date | None = None
    if deadline_id is not None:
        next_due = (await session.get_one(Deadline, deadline_id)).due_date
    return ContactSaved(contact.id, resets, next_due, deadline_id)


# --- other features call these ----------------------------------------------------------------


async def deadline_for_trajectory(
    session: AsyncSession,
    *,
    team_id: int,
    case_item_id: int,
    client_id: int | None,
    start: date,
    end: date | None,
    owner_staff_id: int | None,
    now: datetime,
    title: str | None = None,
) -> int | None:
    """A traject with an end date gets its deadline (idempotent per case item).

    Called by the case-log work when a traject is logged or its end date changes; without an end
    date an open deadline of the traject is closed as not applicable. Returns the open id.
    """
    existing = (
        await session.scalars(
            select(Deadline).where(
                Deadline.source_type == "case_item",
                Deadline.source_id == case_item_id,
                Deadline.kind == DeadlineKind.TRAJECTORY_END.value,
                Deadline.status == "open",
            )
        )
    ).first()
    if end is None:
        if existing is not None:
            await resolve_deadline(
                session, existing.id, status="not_applicable", now=now, note="geen einddatum"
            )
        return None
    due = trajectory_end_due(start, end)
    if existing is not None:
        if existing.due_date != due:
            existing.due_date = due
            existing.postponements = 0
            await session.flush()
        return existing.id
    return await create_deadline(
        session,
        team_id=team_id,
        kind=DeadlineKind.TRAJECTORY_END.value,
        due_date=due,
        owner_staff_id=owner_staff_id,
        now=now,
        client_id=client_id,
        title=title,
        source_type="case_item",
        source_id=case_item_id,
    )


@dataclass(frozen=True)
class ImportRow:
    """One row of the CSV import of existing deadlines (parsed by the figures work)."""

    line: int
    kind: str
    due_date: date
    client_ref: str | None
    owner_telegram_id: int | None = None
    owner_name: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import did: created ids, duplicate lines skipped, refused lines (line, code)."""

    created: list[int]
    duplicates: list[int]
    errors: list[tuple[int, str]]


async def import_deadlines(
    session: AsyncSession,
    rows: Iterable[ImportRow],
    *,
    team_id: int,
    now: datetime,
) -> ImportResult:
    """Create open deadlines from imported rows; an identical open one is not created twice.

    Error codes per line: ``unknown_kind``, ``unknown_client``, ``unknown_owner``. Owners are
    found by Telegram id or display name within the team; without an owner the client's owner.
    Due dates on a weekend or holiday move to the previous working day.
    """
    created: list[int] = []
    duplicates: list[int] = []
    errors: list[tuple[int, str]] = []
    staff = (
        await session.execute(
            select(Staff.id, Staff.telegram_user_id, Staff.display_name).where(
                Staff.team_id == team_id, Staff.active.is_(True)
            )
        )
    ).all()
    by_tg = {tg: sid for sid, tg, _ in staff}
    by_name = {name.casefold(): sid for sid, _, name in staff}
    for row in rows:
        try:
            kind = DeadlineKind(row.kind)
        except ValueError:
            errors.append((row.line, "unknown_kind"))
            continue
        client: Client | None = None
        if row.client_ref:
            client = (
                await session.scalars(
                    select(Client).where(Client.team_id == team_id, Client.ref == row.client_ref)
                )
            ).first()
            if client is None:
                errors.append((row.line, "unknown_client"))
                continue
        owner: int | None
        if row.owner_telegram_id is not None:
            owner = by_tg.get(row.owner_telegram_id)
        elif row.owner_name:
            owner = by_name.get(row.owner_name.casefold())
        else:
            owner = client.owner_staff_id if client else None
        if (row.owner_telegram_id is not None or row.owner_name) and owner is None:
            errors.append((row.line, "unknown_owner"))
            continue
        due = working_due(row.due_date)
        client_match = Deadline.client_id == client.id if client else Deadline.client_id.is_(None)
        duplicate = (
            await session.scalars(
                select(Deadline.id).where(
                    Deadline.team_id == team_id,
                    Deadline.kind == kind.value,
                    Deadline.status == "open",
                    Deadline.due_date == due,
                    client_match,
                )
            )
        ).first()
        if duplicate is not None:
            duplicates.append(row.line)
            continue
        created.append(
            await create_deadline(
                session,
                team_id=team_id,
                kind=kind.value,
                due_date=due,
                owner_staff_id=owner,
                now=now,
                client_id=client.id if client else None,
                title=row.title,
                source_type="import",
            )
        )
    return ImportResult(created, duplicates, errors)


@dataclass(frozen=True)
class Completed:
    """Gedaan on a deadline: the next one it created, if any."""

    next_deadline_id: int | None
    next_due: date | None


async def complete_deadline(
    session: AsyncSession,
    deadline_id: int,
    *,
    done_on: date,
    now: datetime,
    config: DeadlinesConfig,
    interval_months: int | None = None,
    extend: bool = False,
) -> Completed:
    """Gedaan: close the deadline and compute the next due date where the kind recurs.

    Loonwaardemeting: ``interval_months`` (12, 24 or 36). Taal-/werkstage: ``extend`` starts the
    next period, refused (``max_reached``) past the maximum. Exemption reviews of a recorded
    exemption and participation contacts have their own functions (``review_exemption``,
    ``record_participation_contact``); this one closes any deadline.
    """
    deadline = await _open_row(session, deadline_id)
    kind = config.rule(deadline.kind)
    next_due: date | None = None
    if kind.kind in (DeadlineKind.LANGUAGE_INTERNSHIP, DeadlineKind.WORK_INTERNSHIP):
        if extend:
            earlier = (
                await session.scalars(
                    select(Deadline.due_date)
                    .where(
                        Deadline.kind == deadline.kind,
                        Deadline.client_id == deadline.client_id,
                        Deadline.source_type == deadline.source_type,
                        Deadline.source_id == deadline.source_id,
                        Deadline.status == "done",
                    )
                    .order_by(Deadline.due_date)
                )
            ).all()
            first_due = earlier[0] if earlier else deadline.due_date
            step = kind.interval_months or 3
            start = add_months(first_due, -step)
            next_due = internship_review_due(start, step, kind.max_months or step, len(earlier) + 2)
            if next_due is None:
                raise DeadlineError("max_reached")
    elif kind.kind is DeadlineKind.WAGE_VALUE_ASSESSMENT:
        years = (interval_months or 12) // 12
        next_due = wage_value_assessment_due(done_on, years)
    elif kind.kind is not DeadlineKind.PARTICIPATION_CONTACT:
        # An exemption review without an exemption row (imported) recurs by the catalogue.
        next_due = next_recurring_due(done_on, kind, interval_months)
    await resolve_deadline(session, deadline_id, status="done", now=now)
    if next_due is None:
        return Completed(None, None)
    new_id = await create_deadline(
        session,
        team_id=deadline.team_id,
        kind=deadline.kind,
        due_date=next_due,
        owner_staff_id=deadline.owner_staff_id,
        now=now,
        client_id=deadline.client_id,
        title=deadline.title,
        source_type=deadline.source_type,
        source_id=deadline.source_id,
    )
    return Completed(new_id, next_due)


async def reconcile_participation(
    session: AsyncSession, *, config: DeadlinesConfig, now: datetime
) -> tuple[int, int]:
    """Every active client in a participation category has one open contact deadline, and no
    other client has one. Returns (created, closed).

    The sweep runs this, so the rule holds whichever feature changed a category (intake,
    weekdate decision, /categorie) and without each of them having to remember it.
    """
    categories = sorted(config.participation_categories)
    active = ("aangemeld", "actief")
    open_contact = (
        select(Deadline.id)
        .where(
            Deadline.client_id == Client.id,
            Deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value,
            Deadline.status == "open",
        )
        .exists()
    )
    missing = (
        await session.scalars(
            select(Client.id).where(
                Client.category.in_(categories), Client.status.in_(active), ~open_contact
            )
        )
    ).all()
    for client_id in missing:
        await ensure_participation_deadline(session, client_id, config=config, now=now)
    stray = (
        await session.scalars(
            select(Deadline.id)
            .join(Client, Client.id == Deadline.client_id)
            .where(
                Deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value,
                Deadline.status == "open",
                (Client.category.is_(None))
                | Client.category.not_in(categories)
                | Client.status.not_in(active),
            )
        )
    ).all()
    for deadline_id in stray:
        await resolve_deadline(
            session, deadline_id, status="not_applicable", now=now, note="categorie"
        )
    return len(missing), len(stray)
