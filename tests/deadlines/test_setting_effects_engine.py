"""The reminder engine's ``[deadlines]`` settings, each shown to take effect (issue 11 item 8).

Every test starts a whole bot with the setting in its ``Config`` (the way ``config.toml`` reaches
the engine: ``runtime.config.deadlines``), runs the real sweep or conversation, and compares two
values of the setting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.core.roles import Role
from bot.deadlines import sweep as reminder_sweep
from bot.deadlines.settings import DeadlinesConfig
from jobs.deadlines import sweep
from storage import reminders
from storage.deadlines import create_deadline
from storage.models import Deadline, Notification
from tests.deadlines.test_handlers import _client, _deadlines, _decision
from tests.support.deadlines import RecordingSender, make_client, parts, staff_id
from tests.support.harness import BotHarness, button, only_text

# Monday 23 November 2026, 08:30 CET = 07:30 UTC.
MONDAY_0830 = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
TODAY = date(2026, 11, 23)


@asynccontextmanager
async def _bot(tmp_path: Path, **settings: Any) -> AsyncIterator[BotHarness]:
    bot = await BotHarness.start(tmp_path, config=Config(deadlines=DeadlinesConfig(**settings)))
    try:
        yield bot
    finally:
        await bot.stop()


async def _review_due(bot: BotHarness, due: date, *, category: str = "werkfit") -> int:
    """A consulent (Telegram id returned) owning an ontheffing review due on ``due``, made long
    ago; and a teamleider. The client is outside the participation categories unless told."""
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    await bot.staff(Role.TEAMLEIDER, name="Tom")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, consulent.id)
        client = await make_client(
            session,
            team_id=team_id,
            ref="C-1",
            owner_staff_id=sid,
            now=bot.clock.now(),
            category=category,
        )
        await create_deadline(
            session,
            team_id=team_id,
            kind="exemption_review",
            due_date=due,
            owner_staff_id=sid,
            now=bot.clock.now() - timedelta(days=400),
            client_id=client,
        )
    return consulent.id


async def _stages(bot: BotHarness) -> set[str]:
    async with bot.runtime.db.transaction() as session:
        return set((await session.scalars(select(Notification.stage))).all())


@pytest.mark.parametrize(
    ("digest_time", "sent_at_0830", "sent_at_0915"),
    [(time(8, 30), 1, 1), (time(9, 15), 0, 1)],
)
async def test_digest_time_holds_the_digest_until_then(
    tmp_path: Path, digest_time: time, sent_at_0830: int, sent_at_0915: int
) -> None:
    async with _bot(tmp_path, digest_time=digest_time) as bot:
        await _review_due(bot, TODAY)
        sender = RecordingSender()
        bot.clock.set(MONDAY_0830)
        await sweep(bot.runtime, sender)
        assert len(sender.sent) == sent_at_0830
        bot.clock.advance(timedelta(minutes=45))
        await sweep(bot.runtime, sender)
        assert len(sender.sent) == sent_at_0915
        # The scheduled digest job runs at the same local time.
        queue = bot.application.job_queue
        assert queue is not None
        (job,) = queue.get_jobs_by_name("deadlines:digest")
        trigger = str(job.job.trigger)
        assert f"hour='{digest_time.hour}'" in trigger
        assert f"minute='{digest_time.minute}'" in trigger


@pytest.mark.parametrize(
    ("settings", "announced"),
    [
        # Due Wednesday 23 December: 30 days ahead, so the default vooraankondiging is today.
        ({}, True),
        ({"pre_days": 20}, False),
        ({"pre_days_by_kind": {"exemption_review": 20}}, False),
        ({"pre_days": 20, "pre_days_by_kind": {"exemption_review": 30}}, True),
    ],
)
async def test_pre_days_and_pre_days_by_kind_set_the_vooraankondiging(
    tmp_path: Path, settings: dict[str, Any], announced: bool
) -> None:
    async with _bot(tmp_path, **settings) as bot:
        await _review_due(bot, date(2026, 12, 23))
        bot.clock.set(MONDAY_0830)
        await sweep(bot.runtime, RecordingSender())
        assert ("pre" in await _stages(bot)) is announced


@pytest.mark.parametrize(("days", "escalated"), [(14, False), (7, True), (5, True)])
async def test_escalation_days_sets_when_it_escalates(
    tmp_path: Path, days: int, escalated: bool
) -> None:
    async with _bot(tmp_path, escalation_days=days) as bot:
        # Due Monday 16 November: seven days overdue today.
        await _review_due(bot, date(2026, 11, 16))
        bot.clock.set(MONDAY_0830)
        await sweep(bot.runtime, RecordingSender())
        assert ("escalation" in await _stages(bot)) is escalated


@pytest.mark.parametrize(("days", "digests"), [(7, 0), (14, 1)])
async def test_soon_days_sets_what_is_due_soon(tmp_path: Path, days: int, digests: int) -> None:
    # No vooraankondiging (0 days), so only "binnenkort" can bring the review into a digest.
    async with _bot(tmp_path, soon_days=days, pre_days_by_kind={"exemption_review": 0}) as bot:
        # Due Thursday 3 December: ten days ahead.
        consulent = await _review_due(bot, date(2026, 12, 3))
        sender = RecordingSender()
        bot.clock.set(MONDAY_0830)
        await sweep(bot.runtime, sender)
        mine = sender.to(consulent)
        assert len(mine) == digests
        if mine:
            assert "C-1" in "\n".join(parts(mine[0]))


@pytest.mark.parametrize(
    ("categories", "contact_due"),
    [(["zorg", "meedoen"], False), (["werkfit"], True)],
)
async def test_participation_categories_decide_who_gets_a_contact(
    tmp_path: Path, categories: list[str], contact_due: bool
) -> None:
    async with _bot(tmp_path, participation_categories=frozenset(categories)) as bot:
        await _review_due(bot, date(2027, 6, 1), category="werkfit")
        bot.clock.set(MONDAY_0830)
        await sweep(bot.runtime, RecordingSender())
        async with bot.runtime.db.transaction() as session:
            kinds = set((await session.scalars(select(Deadline.kind))).all())
        assert ("participation_contact" in kinds) is contact_due


@pytest.mark.parametrize("limit", [2, 1])
async def test_max_postponements_sets_when_uitstellen_is_refused(
    tmp_path: Path, limit: int
) -> None:
    async with _bot(tmp_path, max_postponements=limit) as bot:
        bot.clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
        me = await bot.staff(Role.CONSULENT)
        await bot.staff(Role.TEAMLEIDER, name="Tom")
        await _client(bot, "C-2")
        calls = await bot.driver.text(me, "/ontheffing C-2")
        calls = await bot.driver.tap(me, button(calls, "Overig"))
        calls = await bot.driver.tap(me, button(calls, "Volledig"))
        calls = await bot.driver.tap(me, button(calls, "Vandaag"))
        calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
        calls = await bot.driver.text(me, "30-11-2026")
        await _decision(bot, me, calls)
        (deadline,) = await _deadlines(bot)
        for _ in range(limit):
            card = await bot.driver.tap(me, f"ddl:open:{deadline.id}")
            calls = await bot.driver.tap(me, button(card, "Uitstellen"))
            calls = await bot.driver.tap(me, button(calls, "1 maand"))
            assert "Uitgesteld tot" in only_text(await bot.driver.text(me, "wacht op rapport"))
        card = await bot.driver.tap(me, f"ddl:open:{deadline.id}")
        refused = only_text(await bot.driver.tap(me, button(card, "Uitstellen")))
        assert f"al {limit} keer uitgesteld" in refused


@pytest.mark.parametrize(("lease", "recovered"), [(300, 0), (60, 1)])
async def test_claim_lease_seconds_sets_when_a_claim_is_dead(
    tmp_path: Path, lease: int, recovered: int
) -> None:
    async with _bot(tmp_path, claim_lease_seconds=lease) as bot:
        await _review_due(bot, TODAY)
        bot.clock.set(MONDAY_0830)
        config = bot.runtime.config.deadlines
        assert config.claim_lease_seconds == lease
        async with bot.runtime.db.transaction() as session:
            await reminder_sweep.plan_day(
                session, today=TODAY, now=bot.clock.now(), tz=bot.clock.tz, config=config
            )
        async with bot.runtime.db.transaction() as session:
            (digest_id,) = await reminders.claimable_digest_ids(
                session, today=TODAY, now=bot.clock.now()
            )
            claimed = await reminders.claim_digest(
                session, digest_id, now=bot.clock.now(), config=config
            )
            assert claimed is not None
        # The worker that claimed it dies; two minutes later another sweep runs (no restart).
        bot.clock.advance(timedelta(seconds=120))
        report = await sweep(bot.runtime, RecordingSender())
        assert report.recovered == recovered
