"""``/weekdate verzet`` refuses a public holiday (naming it) and a time on top of another weekdate
of the team."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from bot.core.roles import Role
from bot.core.vocabulary import OverrideAction
from bot.transport import BotCall
from bot.weekdate.rules.schedule import Override, WeekdateSettings, move_clash
from storage.models import WeekdateOverride
from tests.support.harness import BotHarness, button, texts

TUESDAY_10 = WeekdateSettings(weekday=1, start=time(10, 0), duration_minutes=60)


def joined(calls: list[BotCall]) -> str:
    return "\n".join(texts(calls))


def test_move_clash_finds_regular_and_moved_weekdates_that_overlap() -> None:
    moved = {date(2026, 12, 22): Override(OverrideAction.MOVED, date(2026, 12, 23), time(10, 0))}
    # The regular weekdate of 29 December at 10:00 to 11:00.
    for start in (time(10, 0), time(9, 30), time(10, 59)):
        clash = move_clash(date(2026, 12, 22), date(2026, 12, 29), start, TUESDAY_10, {})
        assert clash is not None and clash.regular_date == date(2026, 12, 29)
    for start in (time(9, 0), time(11, 0), time(14, 0)):
        assert move_clash(date(2026, 12, 22), date(2026, 12, 29), start, TUESDAY_10, {}) is None
    # A weekdate moved to Wednesday 23 December counts where it is held.
    clash = move_clash(date(2026, 12, 29), date(2026, 12, 23), time(10, 30), TUESDAY_10, moved)
    assert clash is not None and clash.regular_date == date(2026, 12, 22)
    # Moving an occurrence within its own slot is no clash, nor is a skipped one in the way.
    assert move_clash(date(2026, 12, 22), date(2026, 12, 22), time(11, 0), TUESDAY_10, {}) is None
    skipped = {date(2026, 12, 29): Override(OverrideAction.SKIPPED)}
    assert (
        move_clash(date(2026, 12, 22), date(2026, 12, 29), time(10, 0), TUESDAY_10, skipped) is None
    )


async def _overrides(bot: BotHarness) -> list[tuple[date, date | None]]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(WeekdateOverride).order_by(WeekdateOverride.id))
        return [(r.regular_date, r.new_date) for r in rows if r.action == "moved"]


async def test_verzet_refuses_a_holiday_and_a_second_weekdate_at_the_same_time(
    bot: BotHarness,
) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    bot.clock.set(datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    calls = await bot.driver.text(leader, "/weekdate verzet")
    calls = await bot.driver.tap(leader, button(calls, "22 december 2026"))
    calls = await bot.driver.tap(leader, button(calls, "Andere dag"))
    refused = joined(await bot.driver.text(leader, "25-12"))
    assert "25 december 2026 is Eerste kerstdag, een feestdag" in refused
    assert "Naar welke dag?" in refused
    # The regular weekdate of 29 December is at 10:00: the same time there is refused.
    calls = await bot.driver.text(leader, "29-12")
    clash = await bot.driver.tap(leader, button(calls, "Gewoon om 10:00"))
    assert "twee weekdates door elkaar" in joined(clash) and "29 december 2026" in joined(clash)
    assert "Hoe laat?" in joined(clash) and await _overrides(bot) == []
    assert "twee weekdates door elkaar" in joined(await bot.driver.text(leader, "10:15"))
    assert "verzet naar dinsdag 29 december 2026 14:00" in joined(
        await bot.driver.text(leader, "14:00")
    )
    assert await _overrides(bot) == [(date(2026, 12, 22), date(2026, 12, 29))]
    # The weekdate of 5 January cannot be moved onto the moved one either.
    calls = await bot.driver.text(leader, "/weekdate verzet 2027-01-05")
    calls = await bot.driver.tap(leader, button(calls, "Andere dag"))
    calls = await bot.driver.text(leader, "29-12")
    assert "twee weekdates door elkaar" in joined(await bot.driver.text(leader, "14:20"))
    assert len(await _overrides(bot)) == 1


async def test_verzet_says_how_to_stop_it_not_the_meeting(sqlite_bot: BotHarness) -> None:
    # Seen in the console: typed text at a button step pointed to "/weekdate stop".
    bot = sqlite_bot
    bot.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    await bot.driver.text(leader, "/weekdate verzet")
    refused = joined(await bot.driver.text(leader, "volgende week"))
    assert "Stoppen kan met /annuleer" in refused and "/weekdate stop" not in refused
