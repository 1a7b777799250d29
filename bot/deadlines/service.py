"""Deadlines: the one place their use cases are decided and orchestrated.

Which due date a deadline gets, and what is created, closed or rescheduled when something
happens (an exemption, a review, a contact, a traject, Gedaan, Uitstellen, an import), is decided
here with the pure :mod:`bot.deadlines.rules`; :mod:`storage.deadlines` only reads and writes.
The reminder sweep lives next door, in :mod:`bot.deadlines.sweep`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import AMSTERDAM
from bot.core.paging import Page
from bot.core.roles import Role
from bot.core.vocabulary import (
    LEFT_STATUSES,
    CaseItemKind,
    ClientStatus,
    ContactKind,
    ContactOutcome,
    DeadlineKind,
    DeadlineSource,
    DeadlineStatus,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
    ExemptionStatus,
    HistoryField,
)
from bot.core.workdays import add_working_days
from bot.deadlines.rules import (
    DEADLINE_ROLES,
    DEFAULT_CATALOGUE,
    DIAGNOSIS_PLAN_WORKING_DAYS,
    QUALIFYING_CONTACTS,
    REFERRAL_WORKING_DAYS,
    SINGLE_PARENT_TAG,
    STATUS_HOLDER_TAG,
    Candidate,
    ContactFollowUp,
    DigestItem,
    DutyOwner,
    PostponeChoice,
    Postponed,
    PostponeRefused,
    RuleError,
    add_months,
    art9a_end,
    art9a_followup_due,
    art9a_plan_due,
    choose_owner,
    contact_follow_up,
    internship_review_due,
    may_own,
    medical_full_exemption_active,
    next_recurring_due,
    participation_applies,
    participation_due,
    postpone,
    review_outcomes,
    status_holder_check_due,
    trajectory_end_due,
    wage_value_assessment_due,
    working_due,
)
from bot.deadlines.settings import DeadlinesConfig
from storage import caselog as case_store
from storage import deadlines as store
from storage import reminders
from storage import staff as staff_store
from storage.db import Database
from storage.deadlines import (
    ClientFacts,
    DeadlineError,
    Decision,
    OpenDeadline,
    create_deadline,
    get_deadline,
    resolve_deadline,
)
from storage.staff import StaffMember

log = logging.getLogger(__name__)

#: Clients in these statuses are in scope for the participation contact.
_ACTIVE = (ClientStatus.REGISTERED, ClientStatus.ACTIVE)

__all__ = [
    "Completed",
    "ContactSaved",
    "DeadlineError",
    "Decision",
    "ExemptionSaved",
    "ImportResult",
    "ImportRow",
    "OpenDeadline",
    "ReviewSaved",
    "create_deadline",
    "get_deadline",
    "resolve_deadline",
]


# --- who may act, reading -------------------------------------------------------------------


def may_record(actor: StaffMember) -> bool:
    """Whether ``actor`` records ontheffingen, contacts and handles deadlines."""
    return actor.has(*DEADLINE_ROLES)


def may_act(actor: StaffMember, deadline: OpenDeadline) -> bool:
    """Re-authorisation of every tap: same team, and the owner or a teamleider/admin."""
    if deadline.team_id != actor.team_id:
        return False
    if actor.has(Role.TEAMLEIDER, Role.ADMIN):
        return True
    return deadline.owner_staff_id in (None, actor.staff_id)


async def load_for(
    session: AsyncSession, actor: StaffMember, deadline_id: int
) -> OpenDeadline | str:
    """The open deadline ``deadline_id`` if ``actor`` may act on it, else a message key."""
    deadline = await store.get_deadline(session, deadline_id)
    if deadline is None or deadline.status != DeadlineStatus.OPEN:
        return "gone"
    if not may_act(actor, deadline):
        return "not_yours"
    return deadline


def _refusal(actor: StaffMember, deadline: OpenDeadline | None) -> str | None:
    """Why ``actor`` may not act on ``deadline`` (a message key), or ``None`` when they may."""
    if deadline is None or deadline.status != DeadlineStatus.OPEN:
        return "gone"
    if not may_record(actor) or not may_act(actor, deadline):
        return "not_yours"
    return None


async def tapped(db: Database, actor: StaffMember, deadline_id: int) -> OpenDeadline | str:
    """A tap on a deadline button: the deadline if ``actor`` may still act on it, else the key
    of the message that says why not (``gone``, ``not_yours``)."""
    async with db.transaction() as session:
        deadline = await store.get_deadline(session, deadline_id)
    refusal = _refusal(actor, deadline)
    if refusal is not None or deadline is None:
        return refusal or "gone"
    return deadline


def _item(d: OpenDeadline) -> DigestItem:
    return DigestItem(
        deadline_id=d.id,
        kind=d.kind,
        due=d.due_date,
        client_ref=d.client_ref,
        title=d.title,
        owner_name=d.owner_name,
    )


#: Termijnen per page of ``/termijnen``.
TERMIJNEN_PAGE_SIZE = 20


@dataclass(frozen=True)
class OpenItems:
    """One page of ``/termijnen``."""

    items: list[DigestItem]
    page: Page


async def open_items(db: Database, actor: StaffMember, offset: int = 0) -> OpenItems:
    """``/termijnen``: one page of the actor's open deadlines (a teamleider's: the team's),
    overdue first; only that page is read, plus a count."""
    owner = None if actor.has(Role.TEAMLEIDER) else actor.staff_id
    async with db.transaction() as session:
        total = await store.count_open_deadlines(
            session, team_id=actor.team_id, owner_staff_id=owner
        )
        page = Page.at(offset, total, TERMIJNEN_PAGE_SIZE)
        rows = await store.open_deadlines(
            session,
            team_id=actor.team_id,
            owner_staff_id=owner,
            offset=page.offset,
            limit=page.size,
        )
    return OpenItems([_item(d) for d in rows], page)


async def colleagues_for(
    db: Database, deadline: OpenDeadline, config: DeadlinesConfig
) -> list[tuple[int, str]]:
    """(staff id, name) of the active colleagues a deadline can be handed to: only those whose
    roles may own its kind (:func:`~bot.deadlines.rules.may_own`)."""
    rule = config.rule(deadline.kind)
    async with db.transaction() as session:
        people = await store.colleagues(
            session, deadline.team_id, exclude=deadline.owner_staff_id or 0
        )
    return [(p.staff_id, p.name) for p in people if may_own(rule, p.roles)]


@dataclass(frozen=True)
class HandedOver:
    """Overdragen done: the deadline as it is now and who has it."""

    deadline: OpenDeadline
    receiver_name: str
    receiver_telegram_id: int


async def hand_over(
    db: Database,
    actor: StaffMember,
    deadline_id: int,
    *,
    to_staff_id: int,
    config: DeadlinesConfig,
) -> HandedOver | str:
    """Overdragen: give an open deadline to an active colleague whose roles may own its kind,
    all re-checked in the same transaction; else the key of the message that says why not
    (``gone``, ``not_yours``, ``no_colleagues``, ``cannot_own``)."""
    try:
        async with db.transaction() as session:
            deadline = await store.get_deadline(session, deadline_id)
            refusal = _refusal(actor, deadline)
            if refusal is not None or deadline is None:
                return refusal or "gone"
            candidate = await staff_store.get_staff(session, to_staff_id)
            if candidate is not None and not may_own(config.rule(deadline.kind), candidate.roles):
                return "cannot_own"
            moved = await store.hand_over(session, deadline_id, new_owner_staff_id=to_staff_id)
            receiver = await staff_store.get_staff(session, to_staff_id)
    except store.DeadlineError as exc:
        return "no_colleagues" if exc.code == "not_a_colleague" else "gone"
    assert receiver is not None
    return HandedOver(moved, receiver.display_name, receiver.telegram_user_id)


# --- Gedaan, Uitstellen, Niet van toepassing, Overdragen ---------------------------------------


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
    deadline = await store.lock_open(session, deadline_id)
    result = postpone(today, deadline.due_date, deadline.postponements, choice, max_postponements)
    if isinstance(result, PostponeRefused):
        await reminders.force_escalation(session, deadline_id, now=now)
        return result
    await store.move_due_date(
        session,
        deadline_id,
        new_due=result.new_due,
        postponements=result.round_,
        reason=reason,
        staff_id=staff_id,
        now=now,
    )
    return result


async def not_applicable(
    session: AsyncSession, deadline_id: int, *, now: datetime, note: str
) -> OpenDeadline:
    """Niet van toepassing: close the deadline with a reason."""
    return await store.resolve_deadline(
        session, deadline_id, status=DeadlineStatus.NOT_APPLICABLE, now=now, note=note
    )


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
    deadline = await store.lock_open(session, deadline_id)
    kind = config.rule(deadline.kind)
    next_due: date | None = None
    if kind.kind in (DeadlineKind.LANGUAGE_INTERNSHIP, DeadlineKind.WORK_INTERNSHIP):
        if extend:
            earlier = await store.done_due_dates(session, deadline)
            first_due = earlier[0] if earlier else deadline.due_date
            step = kind.interval_months or 3
            start = add_months(first_due, -step)
            next_due = internship_review_due(start, step, kind.max_months or step, len(earlier) + 2)
            if next_due is None:
                raise DeadlineError("max_reached")
    elif kind.kind is DeadlineKind.WAGE_VALUE_ASSESSMENT:
        # Per case when Gedaan says so (001:L112: 1 to 3 years), otherwise the team's rhythm.
        years = interval_months // 12 if interval_months else config.wage_value_assessment_years
        next_due = wage_value_assessment_due(done_on, years)
    elif kind.kind is not DeadlineKind.PARTICIPATION_CONTACT:
        # An exemption review without an exemption row (imported) recurs by the catalogue.
        next_due = next_recurring_due(done_on, kind, interval_months)
    await store.resolve_deadline(session, deadline_id, status=DeadlineStatus.DONE, now=now)
    if next_due is None:
        return Completed(None, None)
    new_id = await store.create_deadline(
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
    decision: Decision | None = None,
    config: DeadlinesConfig | None = None,
) -> ExemptionSaved:
    """Record an exemption decision and the deadline of its review (on a working day); where the
    team asks for it, also its yearly contact (003:L367). An art. 9a ontheffing is recorded with
    :func:`create_art9a` instead."""
    if reason is ExemptionReason.CHILD_UNDER_5:
        raise DeadlineError("art9a_own_form")
    review = working_due(review_date)
    exemption_id = await store.insert_exemption(
        session,
        team_id=team_id,
        client_id=client_id,
        scope=scope,
        reason=reason,
        start=start,
        end=end,
        review_date=review,
        youngest_turns_five=youngest_turns_five,
        staff_id=owner_staff_id,
        now=now,
        decision=decision,
    )
    deadline_id = await store.create_deadline(
        session,
        team_id=team_id,
        kind=DeadlineKind.EXEMPTION_REVIEW.value,
        due_date=review,
        owner_staff_id=owner_staff_id,
        now=now,
        client_id=client_id,
        source_type=DeadlineSource.EXEMPTION,
        source_id=exemption_id,
    )
    if config is not None and config.exemption_yearly_contact:
        await _yearly_contact(
            session, team_id, client_id, exemption_id, start, owner_staff_id, now, config
        )
    return ExemptionSaved(exemption_id, deadline_id, review)


async def _yearly_contact(
    session: AsyncSession,
    team_id: int,
    client_id: int,
    exemption_id: int,
    start: date,
    owner_staff_id: int,
    now: datetime,
    config: DeadlinesConfig,
) -> int:
    """The first yearly contact of an ontheffing, a year after its start (003:L367), for the
    profile's owner of that contact (the consulent werk in Midden-Drenthe, 003:L367): the one
    who recorded the ontheffing or the client's owner when they hold that role."""
    rule = DEFAULT_CATALOGUE[DeadlineKind.EXEMPTION_CONTACT]
    due = next_recurring_due(start, rule)
    assert due is not None
    client = await store.client_facts(session, client_id)
    owner = await duty_owner(
        session,
        team_id,
        "exemption_contact",
        [owner_staff_id, client.owner_staff_id],
        config,
    )
    return await store.create_deadline(
        session,
        team_id=team_id,
        kind=DeadlineKind.EXEMPTION_CONTACT.value,
        due_date=due,
        owner_staff_id=owner,
        now=now,
        client_id=client_id,
        source_type=DeadlineSource.EXEMPTION,
        source_id=exemption_id,
    )


async def exemption_reason(session: AsyncSession, deadline: OpenDeadline) -> ExemptionReason:
    """The reason of the ontheffing behind a review deadline (``overig`` when it has none)."""
    if deadline.source_type == DeadlineSource.EXEMPTION and deadline.source_id is not None:
        found = await store.get_exemption(session, deadline.source_id)
        if found is not None:
            return found.reason
    return ExemptionReason.OTHER


async def exemption_end(session: AsyncSession, deadline: OpenDeadline) -> date | None:
    """The end of the ontheffing behind a review deadline (``None`` when open-ended): the next
    review's default never falls after it."""
    if deadline.source_type == DeadlineSource.EXEMPTION and deadline.source_id is not None:
        found = await store.get_exemption(session, deadline.source_id)
        if found is not None:
            return found.end
    return None


async def art9a_refusal(session: AsyncSession, client_id: int) -> date | None:
    """The start of an earlier art. 9a ontheffing of the client (granted once), else ``None``."""
    for earlier in await store.exemptions_of(session, client_id):
        if earlier.reason is ExemptionReason.CHILD_UNDER_5:
            return earlier.start
    return None


async def is_single_parent(session: AsyncSession, client_id: int) -> bool:
    """Whether the client is tagged alleenstaande ouder (art. 9a is only for them)."""
    return SINGLE_PARENT_TAG in (await store.client_facts(session, client_id)).tags


@dataclass(frozen=True)
class Art9aSaved:
    """A recorded art. 9a ontheffing: its legal end and the deadlines that come with it."""

    exemption_id: int
    end: date
    followup_due: date
    plan_due: date
    contact_due: date | None


async def create_art9a(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    request_date: date,
    youngest_born: date,
    months_used_before: int,
    decision: Decision,
    owner_staff_id: int,
    config: DeadlinesConfig,
    now: datetime,
    confirm_single_parent: bool = False,
) -> Art9aSaved:
    """Record an art. 9a ontheffing (art. 9a Participatiewet; 003:L339, L363).

    Only for a client tagged alleenstaande ouder (``confirm_single_parent`` sets the tag), once
    per client; the scope is the arbeidsplicht only (the re-integratieplicht stays). It ends by
    law at :func:`art9a_end`, and gets no review (never "verlengd"): an actiepunt for the owner
    a month before the end, a plan van aanpak within six months of the request, and, where the
    team asks for it, the yearly contact. ``DeadlineError`` codes: ``not_single_parent``,
    ``art9a_again``, and the :func:`art9a_end` codes.
    """
    if not await is_single_parent(session, client_id):
        if not confirm_single_parent:
            raise DeadlineError("not_single_parent")
        await store.add_client_tag(session, client_id, SINGLE_PARENT_TAG, now=now)
    if await art9a_refusal(session, client_id) is not None:
        raise DeadlineError("art9a_again")
    try:
        end = art9a_end(request_date, youngest_born, months_used_before)
    except RuleError as exc:
        raise DeadlineError(str(exc)) from exc
    exemption_id = await store.insert_exemption(
        session,
        team_id=team_id,
        client_id=client_id,
        scope=ExemptionScope.WORK,
        reason=ExemptionReason.CHILD_UNDER_5,
        start=request_date,
        end=end,
        review_date=end,
        youngest_turns_five=add_months(youngest_born, 60),
        staff_id=owner_staff_id,
        now=now,
        decision=decision,
        request_date=request_date,
        months_used_before=months_used_before,
    )
    followup = art9a_followup_due(end)
    plan = art9a_plan_due(request_date)
    for due, title in ((followup, ART_9A_FOLLOWUP_TITLE), (plan, ART_9A_PLAN_TITLE)):
        await store.create_deadline(
            session,
            team_id=team_id,
            kind=DeadlineKind.ACTION_ITEM.value,
            due_date=due,
            owner_staff_id=owner_staff_id,
            now=now,
            client_id=client_id,
            title=title,
            source_type=DeadlineSource.EXEMPTION,
            source_id=exemption_id,
        )
    contact: date | None = None
    if config.exemption_yearly_contact:
        contact_id = await _yearly_contact(
            session, team_id, client_id, exemption_id, request_date, owner_staff_id, now, config
        )
        found = await store.get_deadline(session, contact_id)
        contact = found.due_date if found else None
    return Art9aSaved(exemption_id, end, followup, plan, contact)


async def end_exemption_by_itself(
    session: AsyncSession, exemption_id: int, *, on: date, why: str, now: datetime
) -> None:
    """End an ontheffing that ends without a review (art. 9a at its legal end, or the client
    left): its status, a history row, and its review and yearly contact closed. The actiepunt
    of a 9a that ends at its legal end stays (it is due before the end); when the client left
    it is closed too."""
    exemption = await store.get_exemption(session, exemption_id)
    if exemption is None or exemption.status is not ExemptionStatus.ACTIVE:
        return
    await store.end_exemption(session, exemption_id, on=on)
    await store.record_client_event(
        session,
        exemption.client_id,
        field=HistoryField.EXEMPTION,
        old=exemption.reason.value,
        new=ExemptionStatus.ENDED.value,
        reason=why,
        now=now,
    )
    for deadline_id in await store.open_ids_from_source(
        session, DeadlineSource.EXEMPTION, exemption_id
    ):
        found = await store.get_deadline(session, deadline_id)
        if found is None:
            continue
        if why == ENDED_BY_LAW and found.kind == DeadlineKind.ACTION_ITEM:
            continue
        await store.resolve_deadline(
            session, deadline_id, status=DeadlineStatus.NOT_APPLICABLE, now=now, note=why
        )


#: Why an ontheffing ended by itself (the history row's reason, the closed deadlines' note).
ENDED_BY_LAW = "van rechtswege (art. 9a)"
ENDED_BY_EXIT = "uitstroom"
#: Titles of the deadlines an art. 9a ontheffing brings (stored with the deadline).
ART_9A_FOLLOWUP_TITLE = "ontheffing 9a eindigt: afspraken over arbeidsplicht maken"
ART_9A_PLAN_TITLE = "plan van aanpak (art. 9a): binnen zes maanden na het verzoek"


async def client_left(session: AsyncSession, client_id: int, *, on: date, now: datetime) -> int:
    """The client left (uitstroom): every active ontheffing ends (art. 9a: the right to bijstand
    ended). Returns how many ended. The uitstroom flow calls this; the sweep also catches any
    client whose status says they left."""
    ended = 0
    for exemption in await store.exemptions_of(session, client_id):
        if exemption.status is ExemptionStatus.ACTIVE:
            await end_exemption_by_itself(session, exemption.id, on=on, why=ENDED_BY_EXIT, now=now)
            ended += 1
    return ended


async def reconcile_exemptions(session: AsyncSession, *, today: date, now: datetime) -> int:
    """Art. 9a ontheffingen whose legal end has come end by themselves; those of clients who
    left end too. Run by the sweep, so it holds whichever flow changed the client. Returns how
    many ended."""
    ended = 0
    for exemption in await store.active_exemptions_of_clients_in(
        session, [s.value for s in LEFT_STATUSES]
    ):
        ended += await client_left(session, exemption.client_id, on=today, now=now)
    for exemption in await store.active_exemptions_due_to_end(
        session, ExemptionReason.CHILD_UNDER_5, today
    ):
        assert exemption.end is not None
        await end_exemption_by_itself(
            session, exemption.id, on=exemption.end, why=ENDED_BY_LAW, now=now
        )
        ended += 1
    return ended


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
    decision: Decision | None = None,
) -> ReviewSaved:
    """Gedaan on an exemption review: verlengd/gewijzigd set a new review, beeindigd a task.

    A review that ends or changes the ontheffing records the decision behind it (``decision``);
    an art. 9a ontheffing can only end (``not_for_9a``: it is never extended)."""
    deadline = await store.lock_open(session, deadline_id)
    if deadline.source_type != DeadlineSource.EXEMPTION or deadline.source_id is None:
        raise DeadlineError("not_an_exemption")
    exemption_id = deadline.source_id
    exemption = await store.get_exemption(session, exemption_id)
    if exemption is not None and outcome not in review_outcomes(exemption.reason):
        raise DeadlineError("not_for_9a")
    await store.resolve_deadline(
        session, deadline_id, status=DeadlineStatus.DONE, now=now, note=outcome.value
    )
    owner = deadline.owner_staff_id or staff_id
    if outcome is ExemptionOutcome.ENDED:
        await store.end_exemption(session, exemption_id, on=reviewed_on)
        due = add_working_days(reviewed_on, followup_working_days)
        new_id = await store.create_deadline(
            session,
            team_id=deadline.team_id,
            kind=DeadlineKind.ACTION_ITEM.value,
            due_date=due,
            owner_staff_id=owner,
            now=now,
            client_id=deadline.client_id,
            title="Ontheffing beëindigd: afspraken arbeidsplicht maken",
            source_type=DeadlineSource.EXEMPTION,
            source_id=exemption_id,
        )
        next_due: date | None = due
    else:
        if next_review is None or next_review <= reviewed_on:
            raise DeadlineError("review_date_not_after")
        next_due = working_due(next_review)
        await store.set_review_date(session, exemption_id, next_due)
        new_id = await store.create_deadline(
            session,
            team_id=deadline.team_id,
            kind=DeadlineKind.EXEMPTION_REVIEW.value,
            due_date=next_due,
            owner_staff_id=owner,
            now=now,
            client_id=deadline.client_id,
            source_type=DeadlineSource.EXEMPTION,
            source_id=exemption_id,
        )
    await store.add_exemption_review(
        session,
        exemption_id=exemption_id,
        reviewed_on=reviewed_on,
        outcome=outcome,
        next_review=next_due if outcome is not ExemptionOutcome.ENDED else None,
        staff_id=staff_id,
        now=now,
        decision=decision if outcome is not ExemptionOutcome.EXTENDED else None,
    )
    return ReviewSaved(outcome, new_id, next_due)


# --- participation contacts -------------------------------------------------------------------


@dataclass(frozen=True)
class ContactSaved:
    """A saved contact; ``next_due`` is the open participation deadline after it."""

    contact_id: int
    resets_clock: bool
    next_due: date | None
    deadline_id: int | None
    #: What the outcome leads to (:func:`~bot.deadlines.rules.contact_follow_up`).
    follow_up: ContactFollowUp = ContactFollowUp.NONE
    #: The actiepunt "diagnose plannen" after a doorstroom: its due date.
    task_due: date | None = None


async def duty_owner(
    session: AsyncSession,
    team_id: int,
    duty: str,
    preferred: Sequence[int | None],
    config: DeadlinesConfig,
) -> int | None:
    """Who gets ``duty``'s deadline in the team (see :func:`bot.deadlines.rules.choose_owner`):
    the holder of the role the team's profile gives the duty (004:L338, 003:L367). Reads the
    team's members (one team, not the caseload) only when profiles name owners."""
    if not config.duty_owners:
        return choose_owner(None, preferred, ())
    members = await staff_store.list_staff(session, team_id)
    team_name = members[0].team_name if members else ""
    owner = config.duty_owner(team_name, duty)
    candidates = [Candidate(m.staff_id, m.telegram_user_id, m.roles) for m in members]
    return choose_owner(owner, preferred, candidates)


async def role_owner(
    session: AsyncSession, team_id: int, owner: DutyOwner | None, preferred: Sequence[int | None]
) -> int | None:
    """Who in the team holds the profile role ``owner`` (see :func:`duty_owner`)."""
    if owner is None:
        return choose_owner(None, preferred, ())
    members = await staff_store.list_staff(session, team_id)
    candidates = [Candidate(m.staff_id, m.telegram_user_id, m.roles) for m in members]
    return choose_owner(owner, preferred, candidates)


async def ensure_participation_deadline(
    session: AsyncSession,
    client_id: int,
    *,
    config: DeadlinesConfig,
    now: datetime,
    tz: tzinfo = AMSTERDAM,
) -> int | None:
    """Make sure a client in a participation category has exactly one open contact deadline.

    A client outside the participation categories (or, where the team says so, with a full
    ontheffing) gets none: an open one is closed as not applicable. The first contact counts
    from the day the client entered the participation categories (004:L287), not the intake.
    Returns the open id.
    """
    client = await store.client_facts(session, client_id)
    kind = DeadlineKind.PARTICIPATION_CONTACT
    open_ids = await store.open_ids_of_kind(session, client_id, kind)
    today = now.astimezone(tz).date()
    full = client_id in await store.clients_with_active_scope(session, ExemptionScope.FULL, today)
    in_scope = participation_applies(
        client.category,
        client.status in _ACTIVE,
        config.participation_categories,
        full_exemption=full,
        contacts_with_full_exemption=config.participation_with_full_exemption,
    )
    if not in_scope:
        for deadline_id in open_ids:
            await store.resolve_deadline(
                session,
                deadline_id,
                status=DeadlineStatus.NOT_APPLICABLE,
                now=now,
                note="categorie" if not full else "ontheffing",
            )
        return None
    changes = [
        (at.astimezone(tz).date(), old, new)
        for at, old, new in await store.category_changes(session, client_id)
    ]
    # The rhythm is the category's, from the team's profile (002:L749-801), not one global one.
    first_months, interval_months = config.contact_months(client.category)
    due = participation_due(
        category=client.category,
        active=True,
        entered_on=client.entered_on,
        category_changes=changes,
        contacts=await store.contact_history(session, client_id),
        full_exemption=full,
        categories=config.participation_categories,
        contacts_with_full_exemption=config.participation_with_full_exemption,
        first_within_months=first_months,
        interval_months=interval_months,
    )
    assert due is not None
    if open_ids:
        first = await store.get_deadline(session, open_ids[0])
        assert first is not None
        if first.due_date != due and first.postponements == 0:
            await store.move_due_date(session, first.id, new_due=due, postponements=0)
        return first.id
    owner = await duty_owner(
        session, client.team_id, "participation_contact", [client.owner_staff_id], config
    )
    return await store.create_deadline(
        session,
        team_id=client.team_id,
        kind=kind.value,
        due_date=due,
        owner_staff_id=owner,
        now=now,
        client_id=client_id,
        source_type=DeadlineSource.CLIENT,
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
    tz: tzinfo = AMSTERDAM,
) -> ContactSaved:
    """Store a contact; a face-to-face contact or huisbezoek closes the open deadline and sets
    the next one (a phone call leaves the clock as it was)."""
    client = await store.client_facts(session, client_id)
    contact_id = await store.insert_contact(
        session,
        team_id=client.team_id,
        client_id=client_id,
        kind=kind,
        contact_date=contact_date,
        outcome=outcome,
        note=note,
        staff_id=staff_id,
        now=now,
    )
    resets = kind in QUALIFYING_CONTACTS
    if resets:
        for open_id in await store.open_ids_of_kind(
            session, client_id, DeadlineKind.PARTICIPATION_CONTACT
        ):
            await store.resolve_deadline(
                session, open_id, status=DeadlineStatus.DONE, now=now, note=f"contact {contact_id}"
            )
    deadline_id = await ensure_participation_deadline(
        session, client_id, config=config, now=now, tz=tz
    )
    next_due: date | None = None
    if deadline_id is not None:
        found = await store.get_deadline(session, deadline_id)
        assert found is not None
        next_due = found.due_date
    follow_up = contact_follow_up(outcome)
    task_due: date | None = None
    if follow_up is ContactFollowUp.REINTEGRATION:
        task_due = await _to_reintegration(
            session, client, contact_id, staff_id=staff_id, now=now, tz=tz
        )
    return ContactSaved(contact_id, resets, next_due, deadline_id, follow_up, task_due)


#: The weekdate agenda line and the owner's task after "doorstroom naar re-integratie"
#: (004:L296: first the diagnose-instrument, then the overdracht to re-integratie, L305).
REINTEGRATION_AGENDA_TEXT = "Doorstroom naar re-integratie na participatiecontact: diagnose plannen"
DIAGNOSIS_TITLE = "diagnose plannen (doorstroom naar re-integratie)"
REFERRAL_TITLE = "doorverwijzen naar {partner}"


async def _to_reintegration(
    session: AsyncSession,
    client: ClientFacts,
    contact_id: int,
    *,
    staff_id: int,
    now: datetime,
    tz: tzinfo,
) -> date:
    """Put the client on the next weekdate agenda (a notitie, which the agenda lists until it is
    discussed) and give the client's owner (else the recorder) the task "diagnose plannen"."""
    await case_store.add_item(
        session,
        team_id=client.team_id,
        client_id=client.id,
        author_staff_id=staff_id,
        kind=CaseItemKind.NOTE,
        text=REINTEGRATION_AGENDA_TEXT,
        data={"source": DeadlineSource.CONTACT.value, "contact_id": contact_id},
        now=now,
    )
    due = add_working_days(now.astimezone(tz).date(), DIAGNOSIS_PLAN_WORKING_DAYS)
    await store.create_deadline(
        session,
        team_id=client.team_id,
        kind=DeadlineKind.ACTION_ITEM.value,
        due_date=due,
        owner_staff_id=client.owner_staff_id or staff_id,
        now=now,
        client_id=client.id,
        title=DIAGNOSIS_TITLE,
        source_type=DeadlineSource.CONTACT,
        source_id=contact_id,
    )
    return due


@dataclass(frozen=True)
class Referred:
    """The actiepunt "doorverwijzen naar <partner>" made from a contact."""

    client_ref: str
    partner: str
    due: date


async def refer_to_welfare(
    db: Database,
    actor: StaffMember,
    contact_id: int,
    *,
    config: DeadlinesConfig,
    now: datetime,
    tz: tzinfo = AMSTERDAM,
) -> Referred | str:
    """The offered actiepunt after a contact with a referral outcome (004:L298), for the one who
    taps it; re-checked in one transaction. Else the key of the message that says why not
    (``referral_not_allowed``, ``referral_not_offered``, ``referral_exists``)."""
    async with db.transaction() as session:
        contact = await store.get_contact(session, contact_id)
        if not may_record(actor) or contact is None or contact.team_id != actor.team_id:
            return "referral_not_allowed"
        if contact_follow_up(contact.outcome) is not ContactFollowUp.REFERRAL:
            return "referral_not_offered"
        kind = DeadlineKind.ACTION_ITEM
        if await store.has_deadline_from(
            session, source_type=DeadlineSource.CONTACT, source_id=contact_id, kind=kind
        ):
            return "referral_exists"
        due = add_working_days(now.astimezone(tz).date(), REFERRAL_WORKING_DAYS)
        await store.create_deadline(
            session,
            team_id=contact.team_id,
            kind=kind.value,
            due_date=due,
            owner_staff_id=actor.staff_id,
            now=now,
            client_id=contact.client_id,
            title=REFERRAL_TITLE.format(partner=config.welfare_partner),
            source_type=DeadlineSource.CONTACT,
            source_id=contact_id,
        )
    return Referred(contact.client_ref, config.welfare_partner, due)


async def reconcile_participation(
    session: AsyncSession, *, config: DeadlinesConfig, now: datetime, tz: tzinfo = AMSTERDAM
) -> tuple[int, int]:
    """Every active client in a participation category has one open contact deadline, and no
    other client has one. Returns (created, closed).

    The sweep runs this, so the rule holds whichever feature changed a category (intake,
    weekdate decision, /categorie) and without each of them having to remember it.
    """
    categories = sorted(config.participation_categories)
    kind = DeadlineKind.PARTICIPATION_CONTACT
    scope = {"categories": categories, "statuses": [s.value for s in _ACTIVE]}
    excluded: set[int] = set()
    if not config.participation_with_full_exemption:
        excluded = await store.clients_with_active_scope(
            session, ExemptionScope.FULL, now.astimezone(tz).date()
        )
    created = 0
    for client_id in await store.clients_without_open(session, kind, **scope):
        if client_id in excluded:
            continue
        if await ensure_participation_deadline(session, client_id, config=config, now=now, tz=tz):
            created += 1
    # In bulk: the statements grow with what changed (new strays), not with what is open.
    na = DeadlineStatus.NOT_APPLICABLE
    stray = await store.open_outside(session, kind, **scope)
    closed = await store.close_deadlines(session, stray, status=na, now=now, note="categorie")
    exempted = await store.open_ids_of_kind_among(session, excluded, kind)
    closed += await store.close_deadlines(session, exempted, status=na, now=now, note="ontheffing")
    return created, closed


async def reconcile_status_holders(
    session: AsyncSession, *, config: DeadlinesConfig, today: date, now: datetime
) -> int:
    """Every active client tagged statushouder gets the category check once,
    ``deadlines.status_holder_review_months`` after entering (001:L156). Returns how many."""
    made = 0
    for client in await store.tagged_clients_without(
        session,
        STATUS_HOLDER_TAG,
        DeadlineKind.STATUS_HOLDER_REVIEW,
        [s.value for s in _ACTIVE],
    ):
        await store.create_deadline(
            session,
            team_id=client.team_id,
            kind=DeadlineKind.STATUS_HOLDER_REVIEW.value,
            due_date=status_holder_check_due(
                client.entered_on, today, config.status_holder_review_months
            ),
            owner_staff_id=client.owner_staff_id,
            now=now,
            client_id=client.id,
            source_type=DeadlineSource.CLIENT,
            source_id=client.id,
        )
        made += 1
    return made


# --- other features call these ----------------------------------------------------------------


async def has_medical_full_exemption(session: AsyncSession, client_id: int, today: date) -> bool:
    """Whether the client has a medical, full ontheffing in force today (issue 11 item 7)."""
    rows = await store.exemptions_of(session, client_id)
    return medical_full_exemption_active(
        ((e.reason, e.scope, e.status, e.start, e.end) for e in rows), today
    )


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
    existing = await store.open_from_source(
        session,
        source_type=DeadlineSource.CASE_ITEM,
        source_id=case_item_id,
        kind=DeadlineKind.TRAJECTORY_END,
    )
    if end is None:
        if existing is not None:
            await store.resolve_deadline(
                session,
                existing.id,
                status=DeadlineStatus.NOT_APPLICABLE,
                now=now,
                note="geen einddatum",
            )
        return None
    due = trajectory_end_due(start, end)
    if existing is not None:
        if existing.due_date != due:
            await store.move_due_date(session, existing.id, new_due=due, postponements=0)
        return existing.id
    return await store.create_deadline(
        session,
        team_id=team_id,
        kind=DeadlineKind.TRAJECTORY_END.value,
        due_date=due,
        owner_staff_id=owner_staff_id,
        now=now,
        client_id=client_id,
        title=title,
        source_type=DeadlineSource.CASE_ITEM,
        source_id=case_item_id,
    )


#: Rows per chunk of :func:`import_deadlines` (one client query, one duplicate query, one insert).
IMPORT_CHUNK = 200


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
    duplicates: list[int] = []
    errors: list[tuple[int, str]] = []
    ids: dict[tuple[str, date, int | None], int] = {}
    staff = await store.active_members(session, team_id)
    by_tg = {m.telegram_user_id: m.staff_id for m in staff}
    by_name = {m.name.casefold(): m.staff_id for m in staff}
    planned: list[tuple[tuple[str, date, int | None], dict[str, object]]] = []
    seen: set[tuple[str, date, int | None]] = set()
    rows = list(rows)
    # Per chunk: the clients in one query, the open deadlines in one, the new ones in one insert.
    for start in range(0, len(rows), IMPORT_CHUNK):
        chunk = rows[start : start + IMPORT_CHUNK]
        clients = await store.clients_by_refs(
            session, team_id, [r.client_ref for r in chunk if r.client_ref]
        )
        checked: list[tuple[ImportRow, DeadlineKind, date, int | None, int | None]] = []
        for row in chunk:
            try:
                kind = DeadlineKind(row.kind)
            except ValueError:
                errors.append((row.line, "unknown_kind"))
                continue
            client: tuple[int, int | None] | None = None
            if row.client_ref:
                client = clients.get(row.client_ref)
                if client is None:
                    errors.append((row.line, "unknown_client"))
                    continue
            owner: int | None
            if row.owner_telegram_id is not None:
                owner = by_tg.get(row.owner_telegram_id)
            elif row.owner_name:
                owner = by_name.get(row.owner_name.casefold())
            else:
                owner = client[1] if client else None
            if (row.owner_telegram_id is not None or row.owner_name) and owner is None:
                errors.append((row.line, "unknown_owner"))
                continue
            due = working_due(row.due_date)
            checked.append((row, kind, due, client[0] if client else None, owner))
        existing = await store.open_keys(
            session, team_id, [c[1].value for c in checked], [c[2] for c in checked]
        )
        new: list[dict[str, object]] = []
        for row, kind, due, client_id, owner in checked:
            key = (kind.value, due, client_id)
            # An identical open one, stored before or earlier in this file, is not made twice.
            if key in existing or key in seen:
                duplicates.append(row.line)
                continue
            seen.add(key)
            values: dict[str, object] = {
                "team_id": team_id,
                "client_id": client_id,
                "kind": kind.value,
                "title": row.title,
                "due_date": due,
                "owner_staff_id": owner,
                "status": DeadlineStatus.OPEN.value,
                "source_type": DeadlineSource.IMPORT.value,
                "source_id": None,
                "postponements": 0,
                "created_at": now,
            }
            new.append(values)
            planned.append((key, values))
        ids.update(await store.insert_open_deadlines(session, new))
    created = [ids[key] for key, _ in planned]
    return ImportResult(created, duplicates, errors)
