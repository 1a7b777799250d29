"""Deadlines: SQL for the reminder engine's unit of work, and the query the weekdate agenda reads.

Queries and commands only: which due date a deadline gets, and what to create, close or
reschedule, is decided in :mod:`bot.deadlines.service` (with the pure :mod:`bot.deadlines.rules`).
Other features store a deadline whose date they decided with :func:`create_deadline`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.roles import Role
from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    DeadlineKind,
    DeadlineSource,
    DeadlineStatus,
    ExemptionBasis,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
    ExemptionStatus,
    HistoryField,
)
from storage import clients
from storage.models import (
    Client,
    ClientEvent,
    Deadline,
    DeadlinePostponement,
    Exemption,
    ExemptionReview,
    ParticipationContact,
    Staff,
)
from storage.reminders import rowcount
from storage.route_people import sync_tag_periods


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
    #: For an ontheffing's review: its start and how often it was extended (for "langlopend").
    exemption_start: date | None = None
    extensions: int = 0


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
        status=DeadlineStatus.OPEN.value,
        source_type=source_type,
        source_id=source_id,
        postponements=0,
        created_at=now,
    )
    session.add(deadline)
    await session.flush()
    return deadline.id


async def agenda_deadlines(
    session: AsyncSession,
    team_id: int,
    today: date,
    horizon_days: int = 14,
    *,
    any_date_kinds: Collection[str] = (),
) -> list[AgendaDeadline]:
    """The team's open deadlines that are overdue or due within ``horizon_days`` (those of
    ``any_date_kinds`` whatever their date); overdue first."""
    in_window = Deadline.due_date <= today + timedelta(days=horizon_days)
    if any_date_kinds:
        in_window = or_(in_window, Deadline.kind.in_(sorted(any_date_kinds)))
    rows = await session.execute(
        select(Deadline, Client.ref, Staff.display_name)
        .outerjoin(Client, Client.id == Deadline.client_id)
        .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
        .where(
            Deadline.team_id == team_id,
            Deadline.status == DeadlineStatus.OPEN,
            in_window,
        )
        .order_by(Deadline.due_date, Deadline.id)
    )
    found = list(rows)
    exemption_ids = {
        d.source_id
        for d, _ref, _owner in found
        if d.source_type == DeadlineSource.EXEMPTION and d.source_id is not None
    }
    facts = await exemption_facts(session, exemption_ids)
    return [
        AgendaDeadline(
            id=d.id,
            kind=d.kind,
            title=d.title,
            due_date=d.due_date,
            client_ref=ref,
            owner_name=owner,
            overdue=d.due_date < today,
            exemption_start=facts[d.source_id][0]
            if d.kind == DeadlineKind.EXEMPTION_REVIEW and d.source_id in facts
            else None,
            extensions=facts[d.source_id][1]
            if d.kind == DeadlineKind.EXEMPTION_REVIEW and d.source_id in facts
            else 0,
        )
        for d, ref, owner in found
    ]


async def exemption_facts(
    session: AsyncSession, exemption_ids: Iterable[int]
) -> dict[int, tuple[date, int]]:
    """(start date, number of "verlengd" reviews) of each given exemption."""
    ids = sorted(set(exemption_ids))
    if not ids:
        return {}
    extended = (
        select(ExemptionReview.exemption_id, func.count().label("n"))
        .where(
            ExemptionReview.exemption_id.in_(ids),
            ExemptionReview.outcome == ExemptionOutcome.EXTENDED.value,
        )
        .group_by(ExemptionReview.exemption_id)
        .subquery()
    )
    rows = await session.execute(
        select(Exemption.id, Exemption.start_date, extended.c.n)
        .outerjoin(extended, extended.c.exemption_id == Exemption.id)
        .where(Exemption.id.in_(ids))
    )
    return {i: (start, int(n or 0)) for i, start, n in rows}


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


def _open_where(team_id: int, owner_staff_id: int | None) -> list[Any]:
    where: list[Any] = [Deadline.team_id == team_id, Deadline.status == DeadlineStatus.OPEN]
    if owner_staff_id is not None:
        where.append(Deadline.owner_staff_id == owner_staff_id)
    return where


async def open_deadlines(
    session: AsyncSession,
    *,
    team_id: int,
    owner_staff_id: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[OpenDeadline]:
    """Open deadlines of a team (or of one owner in it), by due date (so overdue first);
    ``offset``/``limit``: one page of them."""
    query = (
        select(Deadline, Client.ref, Staff.display_name)
        .outerjoin(Client, Client.id == Deadline.client_id)
        .outerjoin(Staff, Staff.id == Deadline.owner_staff_id)
        .where(*_open_where(team_id, owner_staff_id))
        .order_by(Deadline.due_date, Deadline.id)
        .offset(offset)
        .limit(limit)
    )
    return [_open_deadline(d, ref, owner) for d, ref, owner in await session.execute(query)]


async def count_open_deadlines(
    session: AsyncSession, *, team_id: int, owner_staff_id: int | None = None
) -> int:
    """How many deadlines :func:`open_deadlines` would list in all."""
    total = await session.scalar(
        select(func.count()).select_from(Deadline).where(*_open_where(team_id, owner_staff_id))
    )
    return int(total or 0)


async def _open_row(session: AsyncSession, deadline_id: int) -> Deadline:
    deadline = await session.get(Deadline, deadline_id, with_for_update=True)
    if deadline is None:
        raise DeadlineError("not_found")
    if deadline.status != DeadlineStatus.OPEN:
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
    if status not in (DeadlineStatus.DONE, DeadlineStatus.NOT_APPLICABLE):
        raise ValueError(status)
    deadline = await _open_row(session, deadline_id)
    changed = await session.execute(
        update(Deadline)
        .where(Deadline.id == deadline_id, Deadline.status == DeadlineStatus.OPEN)
        .values(status=status, resolved_at=now, resolution_note=note)
    )
    if rowcount(changed) != 1:
        raise DeadlineError("already_resolved")
    await session.refresh(deadline)
    result = await get_deadline(session, deadline_id)
    assert result is not None
    return result


async def lock_open(session: AsyncSession, deadline_id: int) -> OpenDeadline:
    """Lock an open deadline for this transaction (``DeadlineError`` when gone or resolved)."""
    deadline = await _open_row(session, deadline_id)
    client_ref = (
        await session.scalar(select(Client.ref).where(Client.id == deadline.client_id))
        if deadline.client_id is not None
        else None
    )
    owner = (
        await session.scalar(select(Staff.display_name).where(Staff.id == deadline.owner_staff_id))
        if deadline.owner_staff_id is not None
        else None
    )
    return _open_deadline(deadline, client_ref, owner)


async def move_due_date(
    session: AsyncSession,
    deadline_id: int,
    *,
    new_due: date,
    postponements: int,
    reason: str | None = None,
    staff_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Set a deadline's due date and postponement round; with a ``reason`` it is recorded as a
    postponement (old and new date, who, when)."""
    deadline = await session.get_one(Deadline, deadline_id)
    if reason is not None:
        assert now is not None
        session.add(
            DeadlinePostponement(
                deadline_id=deadline_id,
                old_due=deadline.due_date,
                new_due=new_due,
                reason=reason,
                staff_id=staff_id,
                created_at=now,
            )
        )
    deadline.due_date = new_due
    deadline.postponements = postponements
    await session.flush()


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
    roles: frozenset[Role] = frozenset()


async def colleagues(session: AsyncSession, team_id: int, *, exclude: int) -> list[Colleague]:
    """Active colleagues in ``team_id`` other than ``exclude``, by name, with their roles."""
    rows = await session.scalars(
        select(Staff)
        .where(Staff.team_id == team_id, Staff.active.is_(True), Staff.id != exclude)
        .order_by(Staff.display_name, Staff.id)
    )
    return [Colleague(s.id, s.display_name, frozenset(Role(r.role) for r in s.roles)) for s in rows]


# --- exemptions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The college's decision a record rests on: date, grondslag, optional note and zaaknummer."""

    decision_date: date
    basis: ExemptionBasis
    basis_note: str | None = None
    case_number: str | None = None

    def columns(self) -> dict[str, object]:
        """The decision's columns (the same on exemptions and exemption reviews)."""
        return {
            "decision_date": self.decision_date,
            "basis": self.basis.value,
            "basis_note": self.basis_note,
            "case_number": self.case_number,
        }


@dataclass(frozen=True)
class ExemptionRow:
    """An exemption as the rules need it."""

    id: int
    team_id: int
    client_id: int
    reason: ExemptionReason
    scope: ExemptionScope
    status: ExemptionStatus
    start: date
    end: date | None
    created_by_staff_id: int | None


def _exemption_row(e: Exemption) -> ExemptionRow:
    return ExemptionRow(
        e.id,
        e.team_id,
        e.client_id,
        ExemptionReason(e.reason),
        ExemptionScope(e.scope),
        ExemptionStatus(e.status),
        e.start_date,
        e.end_date,
        e.created_by_staff_id,
    )


async def get_exemption(session: AsyncSession, exemption_id: int) -> ExemptionRow | None:
    """One exemption."""
    found = await session.get(Exemption, exemption_id)
    return None if found is None else _exemption_row(found)


async def exemptions_of(session: AsyncSession, client_id: int) -> list[ExemptionRow]:
    """Every exemption of a client, oldest first."""
    rows = await session.scalars(
        select(Exemption).where(Exemption.client_id == client_id).order_by(Exemption.id)
    )
    return [_exemption_row(e) for e in rows]


async def active_exemptions_due_to_end(
    session: AsyncSession, reason: ExemptionReason, today: date
) -> list[ExemptionRow]:
    """Active exemptions of ``reason`` whose end date has come."""
    rows = await session.scalars(
        select(Exemption).where(
            Exemption.status == ExemptionStatus.ACTIVE.value,
            Exemption.reason == reason.value,
            Exemption.end_date.is_not(None),
            Exemption.end_date <= today,
        )
    )
    return [_exemption_row(e) for e in rows]


async def active_exemptions_of_clients_in(
    session: AsyncSession, statuses: Iterable[str]
) -> list[ExemptionRow]:
    """Active exemptions whose client has a status in ``statuses`` (e.g. left)."""
    rows = await session.scalars(
        select(Exemption)
        .join(Client, Client.id == Exemption.client_id)
        .where(
            Exemption.status == ExemptionStatus.ACTIVE.value,
            Client.status.in_(list(statuses)),
        )
    )
    return [_exemption_row(e) for e in rows]


async def clients_with_active_scope(
    session: AsyncSession, scope: ExemptionScope, today: date
) -> set[int]:
    """Clients with an active exemption of ``scope`` that has started by ``today``."""
    rows = await session.scalars(
        select(Exemption.client_id).where(
            Exemption.status == ExemptionStatus.ACTIVE.value,
            Exemption.scope == scope.value,
            Exemption.start_date <= today,
        )
    )
    return set(rows)


async def open_ids_from_source(
    session: AsyncSession, source_type: str, source_id: int
) -> list[int]:
    """Ids of the open deadlines made for one source row."""
    return list(
        (
            await session.scalars(
                select(Deadline.id).where(
                    Deadline.source_type == source_type,
                    Deadline.source_id == source_id,
                    Deadline.status == DeadlineStatus.OPEN,
                )
            )
        ).all()
    )


async def record_client_event(
    session: AsyncSession,
    client_id: int,
    *,
    field: HistoryField,
    old: str | None,
    new: str | None,
    reason: str | None,
    now: datetime,
) -> None:
    """A row in the client's history (here: an ontheffing that ended by itself)."""
    session.add(
        ClientEvent(
            client_id=client_id,
            at=now,
            actor_staff_id=None,
            field=field.value,
            old_value=old,
            new_value=new,
            reason=reason,
        )
    )
    await session.flush()


async def add_client_tag(session: AsyncSession, client_id: int, tag: str, *, now: datetime) -> None:
    """Add a tag to a client (confirmed in a form, e.g. alleenstaande ouder)."""
    client = await session.get_one(Client, client_id)
    if tag not in (client.tags or []):
        client.tags = [*(client.tags or []), tag]
        client.updated_at = now
        await session.flush()
        await sync_tag_periods(session, client_id, client.tags, on=now.date())


async def category_changes(
    session: AsyncSession, client_id: int
) -> list[tuple[datetime, str | None, str | None]]:
    """The client's category changes: (when, old, new), oldest first."""
    rows = await session.execute(
        select(ClientEvent.at, ClientEvent.old_value, ClientEvent.new_value)
        .where(ClientEvent.client_id == client_id, ClientEvent.field == HistoryField.CATEGORY)
        .order_by(ClientEvent.at, ClientEvent.id)
    )
    return [(at, old, new) for at, old, new in rows]


async def tagged_clients_without(
    session: AsyncSession, tag: str, kind: DeadlineKind, statuses: Iterable[str]
) -> list[ClientFacts]:
    """Clients with a status in ``statuses``, tagged ``tag``, who never had a deadline of
    ``kind`` (tags are a JSON list: the SQL narrows on its text, the exact match is made here,
    so the sweep does not load every client each minute)."""
    ever = select(Deadline.id).where(Deadline.client_id == Client.id, Deadline.kind == kind.value)
    quoted = json.dumps(tag).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = await session.scalars(
        select(Client).where(
            Client.status.in_(list(statuses)),
            cast(Client.tags, String).like(f"%{quoted}%", escape="\\"),
            ~ever.exists(),
        )
    )
    return [_facts(c) for c in rows if tag in (c.tags or [])]


async def insert_exemption(
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
    staff_id: int,
    now: datetime,
    decision: Decision | None = None,
    request_date: date | None = None,
    months_used_before: int | None = None,
) -> int:
    """Store an active exemption (with the decision it records); returns its id."""
    exemption = Exemption(
        team_id=team_id,
        client_id=client_id,
        scope=scope.value,
        reason=reason.value,
        start_date=start,
        end_date=end,
        youngest_turns_five=youngest_turns_five,
        review_date=review_date,
        status=ExemptionStatus.ACTIVE.value,
        created_by_staff_id=staff_id,
        created_at=now,
        request_date=request_date,
        months_used_before=months_used_before,
        **(decision.columns() if decision else {}),
    )
    session.add(exemption)
    await session.flush()
    return exemption.id


async def end_exemption(session: AsyncSession, exemption_id: int, *, on: date) -> None:
    """Mark an exemption ended."""
    exemption = await session.get_one(Exemption, exemption_id)
    exemption.status = ExemptionStatus.ENDED.value
    exemption.ended_on = on
    await session.flush()


async def set_review_date(session: AsyncSession, exemption_id: int, review_date: date) -> None:
    """Set an exemption's next review date."""
    exemption = await session.get_one(Exemption, exemption_id)
    exemption.review_date = review_date
    await session.flush()


async def add_exemption_review(
    session: AsyncSession,
    *,
    exemption_id: int,
    reviewed_on: date,
    outcome: ExemptionOutcome,
    next_review: date | None,
    staff_id: int,
    now: datetime,
    decision: Decision | None = None,
) -> None:
    """Store the record of one review (with the decision behind an end or a change)."""
    session.add(
        ExemptionReview(
            exemption_id=exemption_id,
            reviewed_on=reviewed_on,
            outcome=outcome.value,
            next_review=next_review,
            staff_id=staff_id,
            created_at=now,
            **(decision.columns() if decision else {}),
        )
    )
    await session.flush()


# --- participation contacts -------------------------------------------------------------------


@dataclass(frozen=True)
class ClientFacts:
    """What the participation rule needs of a client."""

    id: int
    team_id: int
    category: str | None
    status: str
    owner_staff_id: int | None
    entered_on: date
    tags: tuple[str, ...] = ()


async def client_facts(session: AsyncSession, client_id: int) -> ClientFacts:
    """The client's team, category, status, owner and the day they entered."""
    return _facts(await session.get_one(Client, client_id))


def _facts(client: Client) -> ClientFacts:
    entered = client.entered_on or client.created_at.date()
    return ClientFacts(
        client.id,
        client.team_id,
        client.category,
        client.status,
        client.owner_staff_id,
        entered,
        tuple(client.tags or ()),
    )


async def contact_history(session: AsyncSession, client_id: int) -> list[tuple[date, ContactKind]]:
    """Every participation contact of a client: (date, kind)."""
    return [
        (day, ContactKind(kind))
        for day, kind in await session.execute(
            select(ParticipationContact.contact_date, ParticipationContact.kind).where(
                ParticipationContact.client_id == client_id
            )
        )
    ]


async def open_ids_of_kind(session: AsyncSession, client_id: int, kind: DeadlineKind) -> list[int]:
    """Ids of the client's open deadlines of ``kind``."""
    return list(
        (
            await session.scalars(
                select(Deadline.id).where(
                    Deadline.client_id == client_id,
                    Deadline.kind == kind.value,
                    Deadline.status == DeadlineStatus.OPEN,
                )
            )
        ).all()
    )


#: Ids per ``IN (…)`` list: well under SQLite's bound-parameter limit.
CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


async def open_ids_of_kind_among(
    session: AsyncSession, client_ids: Collection[int], kind: DeadlineKind
) -> list[int]:
    """Ids of the open deadlines of ``kind`` of any of ``client_ids`` (one statement per 500)."""
    found: list[int] = []
    for chunk in _chunks(list(client_ids)):
        found.extend(
            await session.scalars(
                select(Deadline.id).where(
                    Deadline.client_id.in_(chunk),
                    Deadline.kind == kind.value,
                    Deadline.status == DeadlineStatus.OPEN,
                )
            )
        )
    return found


async def close_deadlines(
    session: AsyncSession, deadline_ids: Collection[int], *, status: str, now: datetime, note: str
) -> int:
    """Close the still-open ones among ``deadline_ids`` in bulk (one UPDATE per 500); how many."""
    if status not in (DeadlineStatus.DONE, DeadlineStatus.NOT_APPLICABLE):
        raise ValueError(status)
    closed = 0
    for chunk in _chunks(list(deadline_ids)):
        changed = await session.execute(
            update(Deadline)
            .where(Deadline.id.in_(chunk), Deadline.status == DeadlineStatus.OPEN)
            .values(status=status, resolved_at=now, resolution_note=note)
            .execution_options(synchronize_session=False)
        )
        closed += rowcount(changed)
    return closed


async def insert_contact(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    kind: ContactKind,
    contact_date: date,
    outcome: ContactOutcome,
    note: str | None,
    staff_id: int,
    now: datetime,
) -> int:
    """Store a participation contact; returns its id."""
    contact = ParticipationContact(
        team_id=team_id,
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
    return contact.id


@dataclass(frozen=True)
class ContactRow:
    """A stored participation contact, with what a follow-up on it needs."""

    id: int
    team_id: int
    client_id: int
    client_ref: str
    outcome: str
    owner_staff_id: int | None


async def get_contact(session: AsyncSession, contact_id: int) -> ContactRow | None:
    """Participation contact ``contact_id`` with its client's reference and owner."""
    row = (
        await session.execute(
            select(ParticipationContact, Client.ref, Client.owner_staff_id)
            .join(Client, Client.id == ParticipationContact.client_id)
            .where(ParticipationContact.id == contact_id)
        )
    ).first()
    if row is None:
        return None
    contact, ref, owner = row
    return ContactRow(contact.id, contact.team_id, contact.client_id, ref, contact.outcome, owner)


async def has_deadline_from(
    session: AsyncSession, *, source_type: str, source_id: int, kind: DeadlineKind
) -> bool:
    """Whether a deadline of ``kind`` was ever made for this source row (any status)."""
    found = await session.scalar(
        select(Deadline.id)
        .where(
            Deadline.source_type == source_type,
            Deadline.source_id == source_id,
            Deadline.kind == kind.value,
        )
        .limit(1)
    )
    return found is not None


async def clients_without_open(
    session: AsyncSession, kind: DeadlineKind, *, categories: list[str], statuses: list[str]
) -> list[int]:
    """Clients in ``categories`` with a status in ``statuses`` and no open deadline of ``kind``."""
    open_one = (
        select(Deadline.id)
        .where(
            Deadline.client_id == Client.id,
            Deadline.kind == kind.value,
            Deadline.status == DeadlineStatus.OPEN,
        )
        .exists()
    )
    return list(
        (
            await session.scalars(
                select(Client.id).where(
                    Client.category.in_(categories), Client.status.in_(statuses), ~open_one
                )
            )
        ).all()
    )


async def open_outside(
    session: AsyncSession, kind: DeadlineKind, *, categories: list[str], statuses: list[str]
) -> list[int]:
    """Open deadlines of ``kind`` whose client is outside ``categories`` or ``statuses``."""
    return list(
        (
            await session.scalars(
                select(Deadline.id)
                .join(Client, Client.id == Deadline.client_id)
                .where(
                    Deadline.kind == kind.value,
                    Deadline.status == DeadlineStatus.OPEN,
                    (Client.category.is_(None))
                    | Client.category.not_in(categories)
                    | Client.status.not_in(statuses),
                )
            )
        ).all()
    )


# --- sources, import and recurrence -------------------------------------------------------


async def open_from_source(
    session: AsyncSession, *, source_type: str, source_id: int, kind: DeadlineKind
) -> OpenDeadline | None:
    """The open deadline of ``kind`` made for one source row (a case item), if any."""
    found = (
        await session.scalars(
            select(Deadline.id).where(
                Deadline.source_type == source_type,
                Deadline.source_id == source_id,
                Deadline.kind == kind.value,
                Deadline.status == DeadlineStatus.OPEN,
            )
        )
    ).first()
    return None if found is None else await get_deadline(session, found)


@dataclass(frozen=True)
class TeamMember:
    """An active staff member as the import matches owners."""

    staff_id: int
    telegram_user_id: int
    name: str


async def active_members(session: AsyncSession, team_id: int) -> list[TeamMember]:
    """The team's active staff."""
    rows = await session.execute(
        select(Staff.id, Staff.telegram_user_id, Staff.display_name).where(
            Staff.team_id == team_id, Staff.active.is_(True)
        )
    )
    return [TeamMember(i, tg, name) for i, tg, name in rows]


async def clients_by_refs(
    session: AsyncSession, team_id: int, refs: Iterable[str]
) -> dict[str, tuple[int, int | None]]:
    """(client id, owner staff id) of the team's clients, by reference as given (see
    :func:`storage.clients.find_clients`)."""
    found = await clients.find_clients(session, team_id, refs)
    return {ref: (c.id, c.owner_staff_id) for ref, c in found.items()}


async def open_keys(
    session: AsyncSession, team_id: int, kinds: Iterable[str], dues: Iterable[date]
) -> set[tuple[str, date, int | None]]:
    """(kind, due date, client id) of the team's open deadlines of ``kinds`` due on one of
    ``dues`` (one query): what an import must not create twice."""
    rows = await session.execute(
        select(Deadline.kind, Deadline.due_date, Deadline.client_id).where(
            Deadline.team_id == team_id,
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.kind.in_(sorted(set(kinds))),
            Deadline.due_date.in_(sorted(set(dues))),
        )
    )
    return {(kind, due, client_id) for kind, due, client_id in rows}


async def insert_open_deadlines(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> dict[tuple[str, date, int | None], int]:
    """Insert open deadlines in one statement; their ids by (kind, due date, client id), which
    the caller keeps unique (ids in parameter order would cost one statement per row on
    SQLite)."""
    if not rows:
        return {}
    result = await session.execute(
        insert(Deadline).returning(
            Deadline.id, Deadline.kind, Deadline.due_date, Deadline.client_id
        ),
        rows,
    )
    return {(kind, due, client_id): i for i, kind, due, client_id in result.all()}


async def done_due_dates(session: AsyncSession, deadline: OpenDeadline) -> list[date]:
    """Due dates of the earlier, done deadlines of the same kind, client and source."""
    return list(
        (
            await session.scalars(
                select(Deadline.due_date)
                .where(
                    Deadline.kind == deadline.kind,
                    Deadline.client_id == deadline.client_id,
                    Deadline.source_type == deadline.source_type,
                    Deadline.source_id == deadline.source_id,
                    Deadline.status == DeadlineStatus.DONE,
                )
                .order_by(Deadline.due_date)
            )
        ).all()
    )
