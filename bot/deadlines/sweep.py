"""The reminder sweep: recover, reconcile, plan, claim, send, record.

One sweep brings every due stage to its owner in one digest a day, never twice: the database is
the system of record (:mod:`storage.reminders` holds the claim and compare-and-set SQL), the job
only wakes this up and hands over a way to send.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, local_now
from bot.core.ui import Reply
from bot.core.vocabulary import (
    DeadlineKind,
    DeliveryStatus,
)
from bot.core.workdays import is_working_day
from bot.deadlines.rules import (
    StageWindow,
    stages_due_on,
)
from bot.deadlines.service import (
    reconcile_exemptions,
    reconcile_participation,
    reconcile_status_holders,
)
from bot.deadlines.settings import DeadlinesConfig
from bot.deadlines.views import render_digest
from storage import reminders, sweep_generation
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """How one send went, as the sender classified it (``bot.outbound.outcome_of``)."""

    outcome: DeliveryStatus
    error: str | None = None
    retry_after: timedelta | None = None


#: Sends one rendered digest to a chat and says how it went (never raises for Telegram errors).
Deliver = Callable[[int, Reply], Awaitable[Delivery]]


@dataclass(frozen=True)
class PlanResult:
    """What one planning step did."""

    notifications: int
    #: Digest rows ensured (inserted unless one already existed for that person and day).
    digests: int


@dataclass
class SweepReport:
    """What one sweep did (for logs, tests and the benchmark)."""

    recovered: int = 0
    planned_notifications: int = 0
    planned_digests: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        """Add one outcome."""
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def _window(config: DeadlinesConfig) -> StageWindow:
    return StageWindow(
        pre_days={kind.value: config.pre_days_for(kind) for kind in DeadlineKind},
        default_pre=config.pre_days_for(DeadlineKind.ACTION_ITEM),
        escalation_days=config.escalation_days,
    )


async def plan_day(
    session: AsyncSession,
    *,
    today: date,
    now: datetime,
    tz: tzinfo,
    config: DeadlinesConfig,
) -> PlanResult:
    """Insert due stages into the ledger and a pending digest for everyone with news.

    Idempotent: run it as often as you like on a day, from any number of workers.
    """
    directory = await reminders.load_directory(session)
    policy = config.stage_policy
    new_stages: list[reminders.NewStage] = []
    for c in await reminders.stage_candidates(session, today=today, tz=tz, window=_window(config)):
        for stage in stages_due_on(
            today,
            c.due_date,
            c.created_on,
            c.postponements,
            policy,
            c.ledger,
            config.pre_days_for(c.kind),
        ):
            recipient = directory.recipient(c.team_id, c.owner_staff_id, stage.stage)
            new_stages.append(reminders.NewStage(c.deadline_id, stage.key, recipient))
    # Everyone with something due soon, today or overdue gets a digest.
    soon_limit = today + timedelta(days=config.soon_days)
    recipients: set[int] = set()
    for team_id, owner in await reminders.open_owners_due_by(session, soon_limit):
        owner_id = directory.owner_of(team_id, owner)
        if owner_id is not None:
            recipients.add(owner_id)
    await reminders.insert_stages(session, new_stages, now=now)
    # Anyone with a pending (not yet carried) stage, escalations to read or colleagues' failures.
    recipients.update(await reminders.loose_recipients(session))
    teams = await reminders.teams_with_escalations(session)
    teams |= await reminders.teams_with_failures(session)
    for team_id in teams:
        lead = directory.team_lead.get(team_id)
        if lead is not None:
            recipients.add(lead)
    recipients = {r for r in recipients if r in directory.people and directory.people[r].active}
    await reminders.supersede_stale(session, today)
    digests = await reminders.ensure_digests(
        session,
        [(r, directory.people[r].team_id) for r in sorted(recipients)],
        today=today,
        now=now,
    )
    return PlanResult(len(new_stages), digests)


#: How long this process trusts its own change generation before planning again anyway: writes
#: by another worker do not bump it, so their stages wait at most this long.
REPLAN_EVERY = timedelta(minutes=10)


def _must_plan(
    planned: tuple[date, int, datetime] | None, today: date, generation: int, now: datetime
) -> bool:
    """Whether the reconciles and the planning step must run on this tick.

    Their outcome depends only on the day and on the rows of ``storage.sweep_generation``'s
    tables, so they run on the first tick of the day (and the first of a fresh process, which
    catches up after a restart), after any committed change in this process, and every
    :data:`REPLAN_EVERY`; the idle every-minute tick in between only recovers and claims.
    """
    if planned is None:
        return True
    day, seen, at = planned
    return day != today or seen != generation or now - at >= REPLAN_EVERY or now < at


async def _deliver(
    claimed: reminders.ClaimedDigest, deliver: Deliver
) -> tuple[DeliveryStatus, dict[str, Any]]:
    """Send one claimed digest; the outcome and its details for the ledger."""
    try:
        digest = render_digest(claimed.view, claimed.staff_name)
    except Exception as exc:  # a broken template must not leave the claim open
        log.exception("digest %s could not be rendered", claimed.digest_id)
        return DeliveryStatus.FAILED, {"error": f"render: {exc}"}
    went = await deliver(claimed.telegram_user_id, digest)
    details: dict[str, Any] = {"text": digest.text}
    if went.outcome is DeliveryStatus.RETRY:
        details["retry_after"] = went.retry_after
    elif went.error is not None:
        details["error"] = went.error
    return went.outcome, details


async def sweep(
    db: Database,
    clock: Clock,
    config: DeadlinesConfig,
    deliver: Deliver,
    *,
    at_start: bool = False,
    batch: int = 50,
) -> SweepReport:
    """Recover, plan, claim, send, record. Safe to run at any time, from any number of workers."""
    report = SweepReport()
    now = clock.now()
    # At start on SQLite (one process by design) every open claim is from a dead process.
    single = at_start and db.dialect == "sqlite"
    lease = timedelta(0) if single else timedelta(seconds=config.claim_lease_seconds)
    async with db.transaction() as session:
        sweep_generation.quiet(session)
        report.recovered = await reminders.recover_stale(session, now, lease)
    local = local_now(clock)
    today = local.date()
    if not is_working_day(today) or local.time() < config.digest_time:
        return report
    generation = sweep_generation.current()  # before reading: a write during the plan counts
    if _must_plan(db.sweep_planned, today, generation, now):
        async with db.transaction() as session:
            sweep_generation.quiet(session)
            # Ontheffingen first: one that ended changes who gets participation contacts.
            await reconcile_exemptions(session, today=today, now=now)
            await reconcile_participation(session, config=config, now=now, tz=clock.tz)
            await reconcile_status_holders(session, config=config, today=today, now=now)
        async with db.transaction() as session:
            sweep_generation.quiet(session)
            plan = await plan_day(session, today=today, now=now, tz=clock.tz, config=config)
        db.sweep_planned = (today, generation, now)
        report.planned_notifications, report.planned_digests = plan.notifications, plan.digests
    while True:
        now = clock.now()
        async with db.transaction() as session:
            sweep_generation.quiet(session)
            ids = await reminders.claimable_digest_ids(session, today=today, now=now, limit=batch)
            directory = await reminders.load_directory(session) if ids else None
            claimed = [
                c
                for c in [
                    await reminders.claim_digest(
                        session, i, now=now, config=config, directory=directory
                    )
                    for i in ids
                ]
                if c is not None
            ]
        if not claimed:
            return report
        for item in claimed:
            outcome: DeliveryStatus
            details: dict[str, Any]
            if item.view.is_empty:
                outcome, details = DeliveryStatus.EMPTY, {}
            else:
                outcome, details = await _deliver(item, deliver)
            async with db.transaction() as session:
                sweep_generation.quiet(session)
                await reminders.record_outcome(
                    session, item.digest_id, outcome, now=clock.now(), **details
                )
            report.count(outcome)
            if outcome != DeliveryStatus.SENT:
                log.warning("digest %s: %s", item.digest_id, outcome)
