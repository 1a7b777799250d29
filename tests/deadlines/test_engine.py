"""The reminder engine: claim once, send once; retry, failed, unknown; recovery; concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from telegram.error import Forbidden, RetryAfter, TimedOut

from bot.core.roles import Role
from bot.deadlines import sweep as reminder_sweep
from jobs.deadlines import sweep
from storage import reminders
from storage.deadlines import create_deadline
from storage.models import Digest, Notification
from tests.support.deadlines import RecordingSender, make_client, parts, staff_id
from tests.support.harness import BotHarness

# Monday 23 November 2026, 08:30 CET = 07:30 UTC.
MONDAY_0830 = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


async def _setup(bot: BotHarness, due: date, *, ref: str = "C-1") -> tuple[int, int, int, int]:
    """A consulent with one deadline, and a teamleider. Returns ids and Telegram ids."""
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, consulent.id)
        client = await make_client(
            session, team_id=team_id, ref=ref, owner_staff_id=sid, now=bot.clock.now()
        )
        deadline = await create_deadline(
            session,
            team_id=team_id,
            kind="exemption_review",
            due_date=due,
            owner_staff_id=sid,
            now=bot.clock.now() - timedelta(days=400),
            client_id=client,
        )
    return deadline, sid, consulent.id, leader.id


async def test_before_digest_time_and_on_weekend_nothing_is_sent(bot: BotHarness) -> None:
    await _setup(bot, date(2026, 11, 23))
    sender = RecordingSender()
    bot.clock.set(MONDAY_0830 - timedelta(minutes=1))
    await sweep(bot.runtime, sender)
    bot.clock.set(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))  # Sunday
    await sweep(bot.runtime, sender)
    assert sender.sent == []


async def test_claim_once_send_once(bot: BotHarness) -> None:
    _deadline, _sid, consulent_tg, _ = await _setup(bot, date(2026, 11, 23))
    sender = RecordingSender()
    bot.clock.set(MONDAY_0830)
    report = await sweep(bot.runtime, sender)
    assert report.outcomes == {"sent": 1}
    assert [c for c, _ in sender.sent] == [consulent_tg]
    text = "\n".join(parts(sender.sent[0][1]))
    assert "Vandaag" in text and "C-1" in text
    bot.clock.advance(timedelta(hours=3))
    await sweep(bot.runtime, sender)
    assert len(sender.sent) == 1
    async with bot.runtime.db.transaction() as session:
        rows = (await session.execute(select(Notification.stage, Notification.status))).all()
    # Created long ago and never swept: the missed vooraankondiging comes late, in the same digest.
    assert sorted(rows) == [("due", "sent"), ("pre", "sent")]


async def test_two_concurrent_sweeps_send_one_digest(bot: BotHarness) -> None:
    await _setup(bot, date(2026, 11, 23))
    sender = RecordingSender()
    bot.clock.set(MONDAY_0830)
    await asyncio.gather(*(sweep(bot.runtime, sender) for _ in range(4)))
    assert len(sender.sent) == 1


async def test_retry_after_then_sent(bot: BotHarness) -> None:
    _, _, consulent_tg, _ = await _setup(bot, date(2026, 11, 23))
    sender = RecordingSender(faults={consulent_tg: RetryAfter(30)})
    bot.clock.set(MONDAY_0830)
    assert (await sweep(bot.runtime, sender)).outcomes == {"retry": 1}
    bot.clock.advance(timedelta(seconds=10))
    assert (await sweep(bot.runtime, sender)).outcomes == {}
    bot.clock.advance(timedelta(seconds=25))
    assert (await sweep(bot.runtime, sender)).outcomes == {"sent": 1}
    assert len(sender.sent) == 1


async def test_forbidden_fails_and_teamleider_is_told(bot: BotHarness) -> None:
    _, _, consulent_tg, leader_tg = await _setup(bot, date(2026, 11, 23))
    sender = RecordingSender(faults={consulent_tg: Forbidden("bot was blocked by the user")})
    bot.clock.set(MONDAY_0830)
    assert (await sweep(bot.runtime, sender)).outcomes == {"failed": 1}
    bot.clock.set(MONDAY_0830 + timedelta(days=1))
    await sweep(bot.runtime, sender)
    told = "\n".join(parts(sender.to(leader_tg)[0]))
    assert "Sanne" in told and "geblokkeerd" in told
    # Told once: the day after, no report again.
    bot.clock.set(MONDAY_0830 + timedelta(days=2))
    await sweep(bot.runtime, sender)
    assert all("geblokkeerd" not in "\n".join(parts(o)) for o in sender.to(leader_tg)[1:])


async def test_timeout_is_unknown_and_never_resent(bot: BotHarness) -> None:
    _, _, consulent_tg, leader_tg = await _setup(bot, date(2026, 11, 23))
    sender = RecordingSender(faults={consulent_tg: TimedOut()})
    bot.clock.set(MONDAY_0830)
    assert (await sweep(bot.runtime, sender)).outcomes == {"unknown": 1}
    bot.clock.advance(timedelta(hours=2))
    await sweep(bot.runtime, sender)
    assert sender.to(consulent_tg) == []
    async with bot.runtime.db.transaction() as session:
        statuses = (await session.scalars(select(Notification.status))).all()
    assert statuses == ["unknown", "unknown"]
    # The next working day the overdue deadline is back in the digest, and the leader is told.
    bot.clock.set(MONDAY_0830 + timedelta(days=1))
    await sweep(bot.runtime, sender)
    assert "Te laat" in "\n".join(parts(sender.to(consulent_tg)[0]))
    assert "onbekend of het aankwam" in "\n".join(parts(sender.to(leader_tg)[0]))


async def test_crash_after_claim_is_unknown_at_start_not_resent(bot: BotHarness) -> None:
    _, _, consulent_tg, leader_tg = await _setup(bot, date(2026, 11, 23))
    bot.clock.set(MONDAY_0830)
    config = bot.runtime.config.deadlines
    async with bot.runtime.db.transaction() as session:
        await reminder_sweep.plan_day(
            session,
            today=date(2026, 11, 23),
            now=bot.clock.now(),
            tz=bot.clock.tz,
            config=config,
        )
    async with bot.runtime.db.transaction() as session:
        (digest_id,) = await reminders.claimable_digest_ids(
            session, today=date(2026, 11, 23), now=bot.clock.now()
        )
        assert await reminders.claim_digest(session, digest_id, now=bot.clock.now(), config=config)
    # The process dies here. A restart settles the claim as unknown and sends nothing. SQLite is
    # one process, so at start every open claim is dead; on PostgreSQL other workers may be
    # sending, so only claims older than the lease are.
    if bot.runtime.db.dialect == "postgresql":
        bot.clock.advance(timedelta(seconds=config.claim_lease_seconds + 1))
    sender = RecordingSender()
    report = await sweep(bot.runtime, sender, at_start=True)
    assert report.recovered == 1 and sender.to(consulent_tg) == []
    # The teamleider hears about it in their own digest, the same morning.
    assert "onbekend of het aankwam" in "\n".join(parts(sender.to(leader_tg)[0]))
    async with bot.runtime.db.transaction() as session:
        status = await session.scalar(select(Digest.status).where(Digest.id == digest_id))
        assert status == "unknown"
        count = await session.scalar(select(func.count()).select_from(Notification))
    assert count == 2


async def test_stale_claim_respects_the_lease_without_restart(bot: BotHarness) -> None:
    await _setup(bot, date(2026, 11, 23))
    bot.clock.set(MONDAY_0830)
    config = bot.runtime.config.deadlines
    async with bot.runtime.db.transaction() as session:
        await reminder_sweep.plan_day(
            session,
            today=date(2026, 11, 23),
            now=bot.clock.now(),
            tz=bot.clock.tz,
            config=config,
        )
        (digest_id,) = await reminders.claimable_digest_ids(
            session, today=date(2026, 11, 23), now=bot.clock.now()
        )
        assert await reminders.claim_digest(session, digest_id, now=bot.clock.now(), config=config)
    async with bot.runtime.db.transaction() as session:
        # Another worker may still be sending: within the lease nothing happens.
        assert await reminders.recover_stale(session, bot.clock.now(), timedelta(minutes=5)) == 0
    bot.clock.advance(timedelta(minutes=6))
    async with bot.runtime.db.transaction() as session:
        assert await reminders.recover_stale(session, bot.clock.now(), timedelta(minutes=5)) == 1
