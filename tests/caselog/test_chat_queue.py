"""Defect 9.16: a message typed while the chat-style question is open is kept and asked about
afterwards, never thrown away."""

from __future__ import annotations

from sqlalchemy import select

from bot.caselog.forms.updates import MAX_QUEUED
from bot.core.roles import Role
from storage.models import CaseItem
from tests.support.caselog import form_state, intake, tap
from tests.support.harness import BotHarness, only_text


async def _items(bot: BotHarness) -> list[tuple[str, str | None]]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(CaseItem).order_by(CaseItem.id))
        return [(i.kind, i.text) for i in rows if i.kind != "intake"]


async def test_a_second_message_waits_for_the_first_question(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    await intake(bot, consulent, "C-2")
    first = await bot.driver.text(consulent, "C-1 heeft een contract bij de bakker!")
    assert "Wat is dit bericht over <b>C-1</b>?" in only_text(first)
    second = await bot.driver.text(consulent, "C-2 is gestopt met de taalstage")
    reply = only_text(second)
    assert "nieuwe bericht heb ik bewaard" in reply and "<b>C-1</b>" in reply
    assert "Kies met" not in reply
    third = await bot.driver.text(consulent, "hallo zonder referentie")
    assert "2 berichten wachten" in only_text(third)
    # Answer the first: saved, and the second message's question follows at once.
    calls = await tap(bot, consulent, third, "Succes")
    reply = only_text(calls)
    assert "Succes opgeslagen voor <b>C-1</b>" in reply
    assert "Wat is dit bericht over <b>C-2</b>?" in reply
    calls = await tap(bot, consulent, calls, "Knelpunt")
    reply = only_text(calls)
    assert "Knelpunt opgeslagen voor <b>C-2</b>" in reply and "taalstage" in reply
    # The third had no reference: said so, as it would have been on its own.
    assert "geen cliëntreferentie" in reply
    assert await form_state(bot, consulent) is None
    assert await _items(bot) == [
        ("success", "C-1 heeft een contract bij de bakker!"),
        ("bottleneck", "C-2 is gestopt met de taalstage"),
    ]


async def test_waiting_messages_survive_a_traject_and_nothing(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    calls = await bot.driver.text(consulent, "C-1 start met werkstage")
    await bot.driver.text(consulent, "C-1 belde af")
    calls = await tap(bot, consulent, calls, "Traject")
    calls = await tap(bot, consulent, calls, "werkstage")
    calls = await tap(bot, consulent, calls, "Komende maandag")
    calls = await tap(bot, consulent, calls, "Geen einddatum")
    reply = only_text(calls)
    assert "Traject opgeslagen" in reply and "Wat is dit bericht over <b>C-1</b>?" in reply
    calls = await tap(bot, consulent, calls, "Niets")
    assert "niets opgeslagen" in only_text(calls)
    assert [kind for kind, _ in await _items(bot)] == ["trajectory"]


async def test_a_full_queue_says_so(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    await bot.driver.text(consulent, "C-1 eerste")
    for n in range(MAX_QUEUED):
        await bot.driver.text(consulent, f"C-1 bericht {n}")
    reply = only_text(await bot.driver.text(consulent, "C-1 een te veel"))
    assert f"Er wachten al {MAX_QUEUED} berichten" in reply and "opnieuw" in reply
