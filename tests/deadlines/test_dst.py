"""The digest goes out at 08:30 local time on the Mondays after both DST switches.

The JobQueue's own trigger (APScheduler's cron trigger, as PTB registers it) computes the fire
times; the sweep then runs on the fake clock at exactly that moment. No sleeping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.core.clock import AMSTERDAM
from bot.core.roles import Role
from bot.deadlines import service as store
from jobs.deadlines import bot_sender, sweep
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness


def _digest_trigger(bot: BotHarness) -> Any:
    queue = bot.application.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name("deadlines:digest")
    return job.job.trigger


@pytest.mark.parametrize(
    ("friday", "monday_utc", "offset_hours"),
    [
        # Summer time starts Sunday 29 March 2026: 08:30 CEST is 06:30 UTC.
        (date(2026, 3, 27), datetime(2026, 3, 30, 6, 30, tzinfo=UTC), 2),
        # Summer time ends Sunday 25 October 2026: 08:30 CET is 07:30 UTC.
        (date(2026, 10, 23), datetime(2026, 10, 26, 7, 30, tzinfo=UTC), 1),
    ],
)
async def test_digest_at_0830_local_on_monday_after_dst_switch(
    bot: BotHarness, friday: date, monday_utc: datetime, offset_hours: int
) -> None:
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, me.id)
        client = await make_client(
            session, team_id=team_id, ref="C-1", owner_staff_id=sid, now=bot.clock.now()
        )
        await store.create_deadline(
            session,
            team_id=team_id,
            kind="action_item",
            due_date=monday_utc.date(),
            owner_staff_id=sid,
            now=bot.clock.now(),
            client_id=client,
        )
    trigger = _digest_trigger(bot)
    after_friday = datetime(friday.year, friday.month, friday.day, 9, 0, tzinfo=AMSTERDAM)
    fire = trigger.get_next_fire_time(None, after_friday)
    # Not Saturday or Sunday: the Monday, at 08:30 local, whatever the UTC offset is now.
    assert fire.astimezone(UTC) == monday_utc
    local = fire.astimezone(AMSTERDAM)
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 30)
    assert local.utcoffset() == timedelta(hours=offset_hours)

    # One minute early the sweep sends nothing; at the fire time the digest goes out.
    sender = bot_sender(bot.application.bot)
    bot.clock.set(monday_utc - timedelta(minutes=1))
    assert (await sweep(bot.runtime, sender)).outcomes == {}
    assert bot.transport.take() == []
    bot.clock.set(monday_utc)
    assert (await sweep(bot.runtime, sender)).outcomes == {"sent": 1}
    (call,) = bot.transport.take()
    assert call.chat_id == me.id
    assert "maandag" in call.text and "Vandaag" in call.text


async def test_digest_trigger_runs_weekdays_only(bot: BotHarness) -> None:
    trigger = _digest_trigger(bot)
    moment = datetime(2026, 12, 21, 9, 0, tzinfo=AMSTERDAM)
    fires = []
    for _ in range(10):
        moment = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
        fires.append(moment.astimezone(AMSTERDAM))
    assert all(f.weekday() < 5 and (f.hour, f.minute) == (8, 30) for f in fires)
    assert [f.day for f in fires[:5]] == [22, 23, 24, 25, 28]


async def test_holiday_has_no_digest_even_when_the_trigger_fires(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT)
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, me.id)
        await store.create_deadline(
            session,
            team_id=team_id,
            kind="action_item",
            due_date=date(2026, 12, 1),
            owner_staff_id=sid,
            now=bot.clock.now(),
        )
    # Friday 25 December 2026 (Kerstmis), 08:30 local: the trigger fires, the sweep stays quiet.
    bot.clock.set(datetime(2026, 12, 25, 8, 30, tzinfo=AMSTERDAM))
    assert (await sweep(bot.runtime, bot_sender(bot.application.bot))).outcomes == {}
    bot.clock.set(datetime(2026, 12, 28, 8, 30, tzinfo=AMSTERDAM))
    assert (await sweep(bot.runtime, bot_sender(bot.application.bot))).outcomes == {"sent": 1}
