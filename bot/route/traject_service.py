"""Trajecten with limits and outcomes, and the deadlines the route creates by itself.

The one place these use cases are orchestrated (inside the caller's transaction): a traject
started (its row, its end deadline, its "maximum reached" deadline), the outcome asked by Gedaan
on its end (afgerond, gestopt with a reason, verlengd within the instrument's limits; a refused
extension becomes a knelpunt for the next weekdate), the statushouder check right after an
aanmelding, and the card's view of a client's trajecten. Nothing here talks to Telegram.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.render import render
from bot.core.vocabulary import (
    CaseItemKind,
    DeadlineKind,
    DeadlineSource,
    DeadlineStatus,
    TrajectoryOutcome,
    TrajectoryStatus,
)
from bot.deadlines.rules import STATUS_HOLDER_TAG, status_holder_check_due
from bot.deadlines.service import deadline_for_trajectory, load_for
from bot.deadlines.settings import DeadlinesConfig
from bot.route.traject_rules import (
    ExtensionRefused,
    InstrumentRule,
    TrajectSettings,
    check_end,
    check_extension,
    check_new_end,
    limit_due,
)
from storage import caselog as case_store
from storage import deadlines as deadline_store
from storage import trajecten as store
from storage.db import Database
from storage.staff import StaffMember
from storage.trajecten import ExtensionInfo, TrajectoryInfo

__all__ = ["ExtensionInfo", "TrajectoryInfo"]


# --- starting a traject -------------------------------------------------------------------------


async def _sync_limit_deadline(
    session: AsyncSession,
    traject: TrajectoryInfo,
    rule: InstrumentRule,
    *,
    owner_staff_id: int | None,
    title: str,
    now: datetime,
) -> None:
    """The "maximum reached" deadline exists exactly while the traject runs with a maximum that
    its end does not already reach (then the end deadline is the one reminder)."""
    existing = await deadline_store.open_from_source(
        session,
        source_type=DeadlineSource.CASE_ITEM,
        source_id=traject.case_item_id,
        kind=DeadlineKind.TRAJECTORY_LIMIT,
    )
    running = traject.status in (TrajectoryStatus.RUNNING, TrajectoryStatus.EXTENDED)
    due = limit_due(rule, traject.start, traject.end) if running else None
    if due is None:
        if existing is not None:
            await deadline_store.resolve_deadline(
                session,
                existing.id,
                status=DeadlineStatus.NOT_APPLICABLE,
                now=now,
                note=traject.status,
            )
        return
    if existing is not None:
        if existing.due_date != due:
            await deadline_store.move_due_date(session, existing.id, new_due=due, postponements=0)
        return
    await deadline_store.create_deadline(
        session,
        team_id=traject.team_id,
        kind=DeadlineKind.TRAJECTORY_LIMIT.value,
        due_date=due,
        owner_staff_id=owner_staff_id,
        now=now,
        client_id=traject.client_id,
        title=title,
        source_type=DeadlineSource.CASE_ITEM,
        source_id=traject.case_item_id,
    )


async def start_trajectory(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int,
    case_item_id: int,
    instrument: str,
    instrument_label: str,
    start: date,
    end: date | None,
    owner_staff_id: int | None,
    settings: TrajectSettings,
    now: datetime,
) -> TrajectoryInfo:
    """A running traject for the case item that announced it, with its end deadline and (for an
    instrument with a maximum) its "maximum reached" deadline, both for ``owner_staff_id``."""
    check_end(start, end)
    traject = await store.add_trajectory(
        session,
        team_id=team_id,
        client_id=client_id,
        case_item_id=case_item_id,
        instrument=instrument,
        start=start,
        end=end,
        now=now,
    )
    title = instrument_label[:200]
    await deadline_for_trajectory(
        session,
        team_id=team_id,
        case_item_id=case_item_id,
        client_id=client_id,
        start=start,
        end=end,
        owner_staff_id=owner_staff_id,
        now=now,
        title=title,
    )
    await _sync_limit_deadline(
        session,
        traject,
        settings.rule(instrument),
        owner_staff_id=owner_staff_id,
        title=title,
        now=now,
    )
    return traject


# --- the outcome, asked by Gedaan on the end deadline --------------------------------------------


@dataclass(frozen=True)
class OutcomeTarget:
    """The traject behind an end deadline someone may act on."""

    deadline_id: int
    client_ref: str
    traject: TrajectoryInfo
    rule: InstrumentRule
    owner_staff_id: int | None


async def outcome_target(
    session: AsyncSession, actor: StaffMember, deadline_id: int, settings: TrajectSettings
) -> OutcomeTarget | str:
    """The traject behind end deadline ``deadline_id`` if ``actor`` may act on it, else the key
    of the message that says why not (``gone``, ``not_yours``, ``no_traject``)."""
    deadline = await load_for(session, actor, deadline_id)
    if isinstance(deadline, str):
        return deadline
    if (
        deadline.kind != DeadlineKind.TRAJECTORY_END
        or deadline.source_type != DeadlineSource.CASE_ITEM
        or deadline.source_id is None
    ):
        return "no_traject"
    traject = await store.by_case_item(session, deadline.source_id)
    if traject is None:
        return "no_traject"
    return OutcomeTarget(
        deadline.id,
        deadline.client_ref or "",
        traject,
        settings.rule(traject.instrument),
        deadline.owner_staff_id,
    )


@dataclass(frozen=True)
class OutcomeSaved:
    """Afgerond, gestopt or verlengd: the traject as it now stands (``next_due``: the new end
    deadline after an extension)."""

    traject: TrajectoryInfo
    outcome: TrajectoryOutcome
    next_due: date | None = None


@dataclass(frozen=True)
class ExtensionRefusal:
    """An extension past the instrument's limit: refused; ``item_added`` when it became a
    knelpunt for the next weekdate now (not when one is already waiting)."""

    traject: TrajectoryInfo
    refused: ExtensionRefused
    item_added: bool


def refusal_note(refused: ExtensionRefused, instrument_label: str) -> str:
    """The knelpunt's text: stored data (shown escaped wherever it appears), so the rendered
    template is turned back into plain text."""
    return html.unescape(
        render("route/extension_refused_note", r=refused, instrument=instrument_label)
    )[:300]


async def record_outcome(
    session: AsyncSession,
    actor: StaffMember,
    deadline_id: int,
    *,
    outcome: TrajectoryOutcome,
    done_on: date,
    reason: str | None,
    new_end: date | None,
    instrument_label: str,
    settings: TrajectSettings,
    now: datetime,
) -> OutcomeSaved | ExtensionRefusal | str:
    """Gedaan on a traject's end: close it with its outcome, or extend it within the limits.

    Re-checked here (the deadline still open, the actor allowed, the traject row locked), so a
    double tap or a second device cannot extend twice. Returns a message key when not allowed.
    """
    target = await outcome_target(session, actor, deadline_id, settings)
    if isinstance(target, str):
        return target
    traject = await store.lock(session, target.traject.id)
    if traject is None:
        return "no_traject"
    owner = target.owner_staff_id
    if outcome is TrajectoryOutcome.EXTENDED:
        if new_end is None:
            raise ValueError("an extension needs its new end")
        check_new_end(traject.end, traject.start, new_end)
        refused = check_extension(
            target.rule,
            start=traject.start,
            current_end=traject.end,
            new_end=new_end,
            extensions=len(traject.extensions),
        )
        if refused is not None:
            return await _refuse(session, actor, traject, refused, instrument_label, now)
        await deadline_store.resolve_deadline(
            session, deadline_id, status=DeadlineStatus.DONE, now=now, note=outcome.value
        )
        extended = await store.add_extension(
            session, traject.id, new_end=new_end, staff_id=actor.staff_id, now=now
        )
        new_id = await deadline_for_trajectory(
            session,
            team_id=traject.team_id,
            case_item_id=traject.case_item_id,
            client_id=traject.client_id,
            start=traject.start,
            end=new_end,
            owner_staff_id=owner,
            now=now,
            title=instrument_label[:200],
        )
        await _sync_limit_deadline(
            session,
            extended,
            target.rule,
            owner_staff_id=owner,
            title=instrument_label[:200],
            now=now,
        )
        new_deadline = await deadline_store.get_deadline(session, new_id) if new_id else None
        return OutcomeSaved(extended, outcome, new_deadline.due_date if new_deadline else None)
    status = (
        TrajectoryStatus.COMPLETED
        if outcome is TrajectoryOutcome.COMPLETED
        else TrajectoryStatus.STOPPED
    )
    await deadline_store.resolve_deadline(
        session, deadline_id, status=DeadlineStatus.DONE, now=now, note=outcome.value
    )
    closed = await store.close(
        session,
        traject.id,
        status=status,
        closed_on=done_on,
        reason=reason if status is TrajectoryStatus.STOPPED else None,
        now=now,
    )
    await _sync_limit_deadline(
        session, closed, target.rule, owner_staff_id=owner, title=instrument_label, now=now
    )
    return OutcomeSaved(closed, outcome)


async def _refuse(
    session: AsyncSession,
    actor: StaffMember,
    traject: TrajectoryInfo,
    refused: ExtensionRefused,
    instrument_label: str,
    now: datetime,
) -> ExtensionRefusal:
    """The refusal becomes a knelpunt on the next weekdate agenda, once while it waits there."""
    if traject.refused_item_id is not None and await store.item_waits_for_meeting(
        session, traject.refused_item_id
    ):
        return ExtensionRefusal(traject, refused, item_added=False)
    item = await case_store.add_item(
        session,
        team_id=traject.team_id,
        client_id=traject.client_id,
        author_staff_id=actor.staff_id,
        kind=CaseItemKind.BOTTLENECK,
        text=refusal_note(refused, instrument_label),
        data={"trajectory_id": traject.id, "extension_refused": refused.reason},
        now=now,
    )
    await store.set_refused_item(session, traject.id, item.id)
    return ExtensionRefusal(traject, refused, item_added=True)


# --- deadlines the route creates by itself -------------------------------------------------------


async def status_holder_check_after_intake(
    session: AsyncSession,
    *,
    client_id: int,
    config: DeadlinesConfig,
    today: date,
    now: datetime,
) -> int | None:
    """The statushouder check (is the category still right? 001:L156), made at the aanmelding
    itself for a client tagged statushouder: ``status_holder_review_months`` after entering, for
    the client's owner, on a working day. Once per client: none when one was ever made (the
    daily sweep's :func:`bot.deadlines.service.reconcile_status_holders` follows the same rule,
    so the two never make two). Returns the new deadline's id."""
    facts = await deadline_store.client_facts(session, client_id)
    if STATUS_HOLDER_TAG not in facts.tags:
        return None
    if await store.client_ever_had(session, client_id, DeadlineKind.STATUS_HOLDER_REVIEW):
        return None
    return await deadline_store.create_deadline(
        session,
        team_id=facts.team_id,
        kind=DeadlineKind.STATUS_HOLDER_REVIEW.value,
        due_date=status_holder_check_due(
            facts.entered_on, today, config.status_holder_review_months
        ),
        owner_staff_id=facts.owner_staff_id,
        now=now,
        client_id=client_id,
        source_type=DeadlineSource.CLIENT,
        source_id=client_id,
    )


# --- the client card's seam ----------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectView:
    """One traject as the client card shows it (``traject_card.j2``)."""

    instrument: str
    start: date
    end: date | None
    status: str
    stop_reason: str | None
    closed_on: date | None
    extensions: tuple[ExtensionInfo, ...]
    max_extensions: int | None
    seed: str


async def traject_views(
    session: AsyncSession,
    client_id: int,
    *,
    labels: Iterable[tuple[str, str]],
    settings: TrajectSettings,
    limit: int = 10,
) -> list[TrajectView]:
    """Each of the client's trajecten (newest first, at most ``limit``) with its status and
    extensions, for the card. ``labels``: (code, label) of the team's instruments.

    The seam for the client card (rendered elsewhere): render the result with
    ``render("route/traject_card", trajecten=...)``."""
    names = dict(labels)
    return [
        TrajectView(
            instrument=names.get(t.instrument, t.instrument),
            start=t.start,
            end=t.end,
            status=t.status,
            stop_reason=t.stop_reason,
            closed_on=t.closed_on,
            extensions=t.extensions,
            max_extensions=settings.rule(t.instrument).max_extensions,
            seed=settings.rule(t.instrument).seed,
        )
        for t in await store.of_client(session, client_id, limit)
    ]


async def client_trajecten(
    db: Database,
    client_id: int,
    *,
    labels: Iterable[tuple[str, str]],
    settings: TrajectSettings,
) -> list[TrajectView]:
    """:func:`traject_views` in its own transaction."""
    async with db.transaction() as session:
        return await traject_views(session, client_id, labels=labels, settings=settings)
