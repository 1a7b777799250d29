"""Meeting mode with two teamleiders: one chair at a time, an explicit take-over, and taps that
name the item they decide (a double tap decides nothing unseen)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.roles import Role
from bot.transport import BotCall
from storage.models import Deadline, WeekdateDecision, WeekdateMeeting
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, button, texts


def joined(calls: list[BotCall]) -> str:
    return "\n".join(texts(calls))


def labels(calls: list[BotCall]) -> set[str]:
    return {label for c in calls for label, _ in c.buttons}


async def _three_items(bot: BotHarness, owner: int) -> None:
    for ref, text in (("C-1", "vervoer"), ("C-2", "schulden"), ("C-3", "taal")):
        cid = await seed.client(bot, ref, owner=owner, category="zorg", status="actief")
        await seed.case_item(bot, "bottleneck", author=owner, client_id=cid, text=text)


async def _decisions(bot: BotHarness) -> list[tuple[str, str]]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(WeekdateDecision).order_by(WeekdateDecision.id))
        return [(r.client_ref or "", r.outcome) for r in rows]


async def test_a_double_tap_on_besproken_decides_only_the_item_it_names(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    await _three_items(bot, await seed.staff_id(bot, leader.id))
    calls = await bot.driver.text(leader, "/weekdate start")
    assert "Punt 1 van 3: C-1 knelpunt" in joined(calls)
    first = button(calls, "Besproken")
    calls = await bot.driver.tap(leader, first)
    assert "Punt 2 van 3: C-2 knelpunt" in joined(calls)
    # The same button again (a double tap): answered, and item 2 stays undecided.
    again = await bot.driver.tap(leader, first)
    assert "C-1 knelpunt is al besproken" in joined(again)
    assert any(c.method == "answerCallbackQuery" for c in again)
    assert await _decisions(bot) == [("C-1", "discussed")]
    # Item 2's own button still decides item 2.
    calls = await bot.driver.tap(leader, button(calls, "Besproken"))
    assert "Punt 3 van 3: C-3 knelpunt" in joined(calls)
    assert await _decisions(bot) == [("C-1", "discussed"), ("C-2", "discussed")]


async def test_a_second_teamleider_does_not_join_the_walk_but_may_take_over(
    bot: BotHarness,
) -> None:
    tara = await bot.staff(Role.TEAMLEIDER, name="Tara")
    tom = await bot.staff(Role.TEAMLEIDER, name="Tom")
    tara_id, tom_id = await seed.staff_id(bot, tara.id), await seed.staff_id(bot, tom.id)
    await _three_items(bot, tara_id)
    tara_calls = await bot.driver.text(tara, "/weekdate start")
    # Tom's /weekdate start: who chairs, and the choice to take over; no item buttons.
    calls = await bot.driver.text(tom, "/weekdate start")
    assert "Tara is voorzitter" in joined(calls) and "Punt" not in joined(calls)
    assert labels(calls) == {"Overnemen", "Annuleren"}
    assert "Tara blijft voorzitter" in joined(await bot.driver.tap(tom, button(calls, "Annuleren")))
    # Tara decides item 1; Tom, asked again, takes over at item 2.
    tara_calls = await bot.driver.tap(tara, button(tara_calls, "Besproken"))
    calls = await bot.driver.text(tom, "/weekdate start")
    calls = await bot.driver.tap(tom, button(calls, "Overnemen"))
    assert "Je bent nu voorzitter" in joined(calls) and "Punt 2 van 3: C-2" in joined(calls)
    async with bot.runtime.db.transaction() as session:
        meeting = (await session.scalars(select(WeekdateMeeting))).one()
        assert meeting.chair_staff_id == tom_id and tom_id in meeting.attendee_staff_ids
    # Tara's buttons no longer count: she is told who took over, and nothing is decided.
    stale = await bot.driver.tap(tara, button(tara_calls, "Actiepunt"))
    assert "Tom heeft de weekdate overgenomen" in joined(stale)
    assert await _decisions(bot) == [("C-1", "discussed")]
    # Tom decides item 2 with an actiepunt: one actiepunt, and item 3 is next, not skipped.
    calls = await bot.driver.tap(tom, button(calls, "Actiepunt"))
    calls = await bot.driver.tap(tom, button(calls, "Tara"))
    calls = await bot.driver.tap(tom, button(calls, "Over 1 week"))
    calls = await bot.driver.text(tom, "schuldhulp bellen")
    assert "Punt 3 van 3: C-3" in joined(calls)
    assert await _decisions(bot) == [("C-1", "discussed"), ("C-2", "action")]
    async with bot.runtime.db.transaction() as session:
        assert len((await session.scalars(select(Deadline))).all()) == 1
    # Tara's /weekdate start now offers her the chair back, naming Tom.
    assert "Tom is voorzitter" in joined(await bot.driver.text(tara, "/weekdate start"))
