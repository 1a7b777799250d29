"""The agenda's delivery is recorded per recipient: a 403 or a timeout is told to someone who can
act (never silently "sent"), a 429 is sent again on the next tick, and /agenda still works."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.roles import Role
from jobs.weekdate import CATCH_UP_JOB
from storage.models import AgendaDelivery
from tests.support.harness import BotHarness
from tests.weekdate.test_handlers import joined, link_group, run_job

#: Monday 23 November 2026, 16:00: Tuesday's agenda is due.
AGENDA_TIME = datetime(2026, 11, 23, 16, 0, tzinfo=AMSTERDAM)


async def _statuses(bot: BotHarness) -> dict[int, tuple[str, int, bool]]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(AgendaDelivery))
        return {r.chat_id: (r.status, r.attempts, r.reported_at is not None) for r in rows}


async def test_a_blocked_teamleider_is_recorded_and_an_admin_and_colleague_are_told(
    tmp_path: Path,
) -> None:
    bot = await BotHarness.start(tmp_path, clock=FakeClock(AGENDA_TIME))
    try:
        tara = await bot.staff(Role.TEAMLEIDER, name="Tara")
        tom = await bot.staff(Role.TEAMLEIDER, name="Tom")
        admin = await bot.staff(Role.ADMIN, name="Ada")
        await link_group(bot, tara.id)
        bot.transport.fail("sendMessage", chat_id=tara.id, status=403, description="Forbidden")
        calls = await run_job(bot)
        assert await _statuses(bot) == {
            tara.id: ("failed", 1, True),
            tom.id: ("sent", 1, False),
            -100500: ("sent", 1, False),
        }
        for person in (tom, admin):
            notice = joined(calls, person.id)
            assert "niet aangekomen bij Tara" in notice and "/agenda vorige" in notice
        # Told once: the next tick sends nothing more; /agenda still works for Tara.
        assert await run_job(bot, CATCH_UP_JOB) == []
        assert "Agenda weekdate" in joined(await bot.driver.text(tara, "/agenda vorige"))
    finally:
        await bot.stop()


async def test_a_timeout_is_unknown_and_a_failed_group_copy_is_told_to_the_teamleider(
    tmp_path: Path,
) -> None:
    bot = await BotHarness.start(tmp_path, clock=FakeClock(AGENDA_TIME))
    try:
        tara = await bot.staff(Role.TEAMLEIDER, name="Tara")
        await link_group(bot, tara.id)
        bot.transport.fail("sendMessage", chat_id=-100500, timeout=True)
        calls = await run_job(bot)
        assert await _statuses(bot) == {tara.id: ("sent", 1, False), -100500: ("unknown", 1, True)}
        notice = joined(calls, tara.id)
        assert "niet zeker of de agenda" in notice and "in de teamgroep" in notice
        # Unknown is never sent again automatically (it may have arrived).
        assert await run_job(bot, CATCH_UP_JOB) == []
    finally:
        await bot.stop()


async def test_too_many_requests_is_sent_again_on_the_next_tick(tmp_path: Path) -> None:
    bot = await BotHarness.start(tmp_path, clock=FakeClock(AGENDA_TIME))
    try:
        tara = await bot.staff(Role.TEAMLEIDER, name="Tara")
        bot.transport.fail("sendMessage", chat_id=tara.id, status=429, retry_after=3)
        calls = await run_job(bot)
        assert "Agenda weekdate" not in joined(calls, tara.id)
        assert await _statuses(bot) == {tara.id: ("retry", 1, False)}
        again = await run_job(bot, CATCH_UP_JOB)
        assert "Agenda weekdate" in joined(again, tara.id)
        assert await _statuses(bot) == {tara.id: ("sent", 2, False)}
        assert await run_job(bot, CATCH_UP_JOB) == []
    finally:
        await bot.stop()
