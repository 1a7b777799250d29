"""A year and more on the injected clock: 500 clients, 400 days, every stage exactly once.

Clients get random ontheffingen, participation deadlines, trajecten and action items. Every day
the sweep runs at 08:30 local time (through both DST switches); people answer some items
(Gedaan, Uitstellen) and ignore the rest. Checked along the way and at the end:

- no digest on a weekend or public holiday; at most one digest per person per day;
- every open overdue deadline is in its owner's digest every working day until resolved;
- every stage of every deadline (per postponement round, up to the day it was resolved) is in
  the ledger exactly once, carried by a sent digest dated on the stage's own working day;
  and nothing else is in the ledger.
"""

from __future__ import annotations

import os
import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.roles import Role
from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    DeadlineKind,
    ExemptionReason,
    ExemptionScope,
)
from bot.core.workdays import is_working_day
from bot.deadlines import service as store
from bot.deadlines.rules import (
    FORCED_ESCALATION,
    PostponeChoice,
    PostponeRefused,
    add_months,
    review_outcomes,
    stage_dates,
)
from jobs.deadlines import sweep
from storage.models import (
    Deadline,
    DeadlinePostponement,
    Digest,
    DigestNotification,
    Notification,
)
from tests.support.deadlines import RecordingSender, make_client, staff_id
from tests.support.harness import BotHarness

START = date(2026, 1, 5)  # a Monday

#: Reasons recorded with create_exemption (art. 9 lid 2); art. 9a goes through create_art9a.
ART_9_LID_2 = [r for r in ExemptionReason if r is not ExemptionReason.CHILD_UNDER_5]
DAYS = int(os.environ.get("TIME_TRAVEL_DAYS", "400"))
CLIENTS = 500


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at a local wall-clock time, as aware UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


async def _populate(bot: BotHarness, rng: random.Random, owners: list[int], team_id: int) -> None:
    now = bot.clock.now()
    config = bot.runtime.config.deadlines

    def future(max_days: int) -> date:
        return START + timedelta(days=rng.randint(1, max_days))

    async with bot.runtime.db.transaction() as session:
        for n in range(CLIENTS):
            owner = rng.choice(owners)
            category = rng.choice(["zorg", "meedoen", "werkfit"])
            client = await make_client(
                session,
                team_id=team_id,
                ref=f"C-{n:04d}",
                owner_staff_id=owner,
                now=now,
                category=category,
                entered_on=START - timedelta(days=rng.randint(0, 330)),
            )
            if category in config.participation_categories:
                await store.ensure_participation_deadline(session, client, config=config, now=now)
            if rng.random() < 0.4:
                start = START - timedelta(days=rng.randint(0, 300))
                await store.create_exemption(
                    session,
                    team_id=team_id,
                    client_id=client,
                    scope=rng.choice(list(ExemptionScope)),
                    # An art. 9a ontheffing has its own path (create_art9a, its own test).
                    reason=rng.choice(ART_9_LID_2),
                    start=start,
                    end=None,
                    review_date=future(380),
                    youngest_turns_five=None,
                    owner_staff_id=owner,
                    now=now,
                )
            if rng.random() < 0.3:
                await store.deadline_for_trajectory(
                    session,
                    team_id=team_id,
                    case_item_id=n + 1,
                    client_id=client,
                    start=START,
                    end=future(300),
                    owner_staff_id=owner,
                    now=now,
                )
            if rng.random() < 0.15:
                await store.create_deadline(
                    session,
                    team_id=team_id,
                    kind=rng.choice(
                        [DeadlineKind.ACTION_ITEM.value, DeadlineKind.WAGE_VALUE_ASSESSMENT.value]
                    ),
                    due_date=future(200),
                    owner_staff_id=owner,
                    now=now,
                    client_id=client,
                    title="offerte opvragen",
                )


async def _answer(
    bot: BotHarness, rng: random.Random, deadline_id: int, today: date, refused: set[int]
) -> None:
    """One person's reaction to one item: Gedaan, Uitstellen, or nothing."""
    config = bot.runtime.config.deadlines
    now = bot.clock.now()
    roll = rng.random()
    async with bot.runtime.db.transaction() as session:
        deadline = await store.get_deadline(session, deadline_id)
        assert deadline is not None
        if deadline.status != "open":
            return
        if roll < 0.25:  # Gedaan
            if deadline.kind == DeadlineKind.EXEMPTION_REVIEW.value:
                # An art. 9a ontheffing is never extended: only the outcomes its reason allows.
                reason = await store.exemption_reason(session, deadline)
                outcome = rng.choice(list(review_outcomes(reason)))
                await store.review_exemption(
                    session,
                    deadline_id,
                    outcome=outcome,
                    reviewed_on=today,
                    next_review=add_months(today, 12),
                    staff_id=deadline.owner_staff_id or 0,
                    now=now,
                )
            elif deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value:
                assert deadline.client_id is not None
                await store.record_participation_contact(
                    session,
                    client_id=deadline.client_id,
                    kind=rng.choice(list(ContactKind)),
                    contact_date=today,
                    outcome=rng.choice(list(ContactOutcome)),
                    note=None,
                    staff_id=deadline.owner_staff_id or 0,
                    config=config,
                    now=now,
                )
            else:
                await store.complete_deadline(
                    session,
                    deadline_id,
                    done_on=today,
                    now=now,
                    config=config,
                    interval_months=12 * rng.randint(1, 3),
                )
        elif roll < 0.35:  # Uitstellen
            result = await store.postpone_deadline(
                session,
                deadline_id,
                choice=rng.choice(list(PostponeChoice)),
                reason="wacht op informatie",
                today=today,
                now=now,
                staff_id=deadline.owner_staff_id,
                max_postponements=config.max_postponements,
            )
            if isinstance(result, PostponeRefused):
                refused.add(deadline_id)


async def _open_overdue_by_owner(bot: BotHarness, today: date) -> dict[int, set[int]]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(Deadline.id, Deadline.owner_staff_id).where(
                Deadline.status == "open", Deadline.due_date < today
            )
        )
        found: dict[int, set[int]] = defaultdict(set)
        for deadline_id, owner in rows:
            found[owner].add(deadline_id)
        return found


async def _expected_ledger(
    bot: BotHarness, last_day: date, refused: set[int]
) -> dict[tuple[int, str], date]:
    """Every (deadline, stage) that should have been notified, with the stage's date."""
    config = bot.runtime.config.deadlines
    policy = config.stage_policy
    expected: dict[tuple[int, str], date] = {}
    async with bot.runtime.db.transaction() as session:
        deadlines = (await session.scalars(select(Deadline))).all()
        moves: dict[int, list[DeadlinePostponement]] = defaultdict(list)
        for move in (
            await session.scalars(select(DeadlinePostponement).order_by(DeadlinePostponement.id))
        ).all():
            moves[move.deadline_id].append(move)
    for d in deadlines:
        created = d.created_at.astimezone(AMSTERDAM).date()
        resolved = d.resolved_at.astimezone(AMSTERDAM).date() if d.resolved_at else last_day
        history = moves[d.id]
        dues = [history[0].old_due if history else d.due_date] + [m.new_due for m in history]
        ends = [m.created_at.astimezone(AMSTERDAM).date() for m in history] + [resolved]
        for round_, (due, end) in enumerate(zip(dues, ends, strict=True)):
            for stage in stage_dates(due, created, round_, policy, config.pre_days_for(d.kind)):
                if stage.on <= min(end, last_day):
                    expected[(d.id, stage.key)] = stage.on
    return expected


@pytest.mark.slow  # about 60-80 s; still part of `make test`
async def test_four_hundred_days_every_stage_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    bot = await BotHarness.start(tmp_path, clock=FakeClock(at_local(START, 7)))
    try:
        names = ["Sanne", "Piet", "Fatima", "Joost", "Ilse"]
        users = [await bot.staff(Role.CONSULENT, name=n) for n in names]
        users.append(await bot.staff(Role.LOOPBAANBEGELEIDER, name="Ruud"))
        leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
        async with bot.runtime.db.transaction() as session:
            owners = [(await staff_id(session, u.id))[0] for u in users]
            leader_id, team_id = await staff_id(session, leader.id)
        by_chat = {u.id: sid for u, sid in zip(users, owners, strict=True)}
        by_chat[leader.id] = leader_id
        await _populate(bot, rng, owners, team_id)

        sender = RecordingSender()
        refused: set[int] = set()
        digest_days: dict[int, list[date]] = defaultdict(list)
        last_day = START + timedelta(days=DAYS - 1)
        day = START
        while day <= last_day:
            if day.weekday() == 1:
                # Before the digest time nothing goes out (checked weekly, for speed).
                bot.clock.set(at_local(day, 7, 45))
                await sweep(bot.runtime, sender)
                assert sender.sent == []

            overdue = await _open_overdue_by_owner(bot, day)
            bot.clock.set(at_local(day, 8, 30))
            report = await sweep(bot.runtime, sender)
            assert set(report.outcomes) <= {"sent"}, report
            if day.weekday() == 0:
                # A later tick the same day sends nothing new (checked weekly, for speed).
                bot.clock.set(at_local(day, 9, 15))
                await sweep(bot.runtime, sender)

            received = {by_chat[chat]: outgoing for chat, outgoing in sender.sent}
            assert len(received) == len(sender.sent), "two digests to one person on one day"
            if not is_working_day(day):
                assert sender.sent == []
            async with bot.runtime.db.transaction() as session:
                digests = {
                    d.staff_id: d
                    for d in (
                        await session.scalars(select(Digest).where(Digest.digest_date == day))
                    ).all()
                }
            if is_working_day(day):
                for owner, ids in overdue.items():
                    assert owner in digests, f"{day}: no digest for owner {owner}"
                    assert digests[owner].status == "sent"
                    missing = ids - set(digests[owner].deadline_ids)
                    assert not missing, f"{day}: overdue {missing} missing for {owner}"
            for staff in received:
                digest_days[staff].append(day)

            # People react to some items after reading, at 10:00.
            bot.clock.set(at_local(day, 10))
            for staff, digest in sorted(digests.items()):
                if staff == leader_id:
                    continue
                for deadline_id in digest.deadline_ids:
                    await _answer(bot, rng, deadline_id, day, refused)
            sender.sent.clear()
            day += timedelta(days=1)

        expected = await _expected_ledger(bot, last_day, refused)
        async with bot.runtime.db.transaction() as session:
            ledger = (
                await session.execute(
                    select(
                        Notification.deadline_id,
                        Notification.stage,
                        Notification.status,
                        Digest.digest_date,
                        Digest.status,
                    )
                    .join(DigestNotification, DigestNotification.notification_id == Notification.id)
                    .join(Digest, Digest.id == DigestNotification.digest_id)
                )
            ).all()
            total = len((await session.scalars(select(Notification.id))).all())
        # Only a postponement refused on the very last day waits (pending) for tomorrow.
        async with bot.runtime.db.transaction() as session:
            waiting = (
                await session.execute(
                    select(Notification.deadline_id, Notification.stage, Notification.status)
                    .outerjoin(
                        DigestNotification, DigestNotification.notification_id == Notification.id
                    )
                    .where(DigestNotification.digest_id.is_(None))
                )
            ).all()
        assert all(s == FORCED_ESCALATION and st == "pending" for _, s, st in waiting), waiting
        refused -= {d for d, _, _ in waiting}
        assert total == len(ledger) + len(waiting)
        seen: dict[tuple[int, str], date] = {}
        for deadline_id, stage, status, digest_date, digest_status in ledger:
            key = (deadline_id, stage)
            assert key not in seen, f"{key} notified twice"
            seen[key] = digest_date
            assert status == "sent" and digest_status == "sent"
            assert is_working_day(digest_date)
        forced = {k for k in seen if k[1] == FORCED_ESCALATION}
        assert forced == {(d, FORCED_ESCALATION) for d in refused}
        regular = {k: v for k, v in seen.items() if k[1] != FORCED_ESCALATION}
        assert regular.keys() == expected.keys()
        late = {k: (expected[k], v) for k, v in regular.items() if v != expected[k]}
        assert not late, f"stages not notified on their own day: {list(late.items())[:5]}"
        # The test must have exercised everything it claims to.
        stages = {stage.split(":")[0] for _, stage in regular}
        assert stages == {"pre", "due", "escalation"}
        assert any(":" in stage for _, stage in regular), "no postponed round was notified"
        assert refused, "no refused postponement happened"
        assert len(regular) > 800
        # Weekdays only: about 5 of every 7 days minus holidays, for everyone with work.
        assert all(is_working_day(d) for days in digest_days.values() for d in days)
    finally:
        await bot.stop()
