"""Nothing about a client reaches the team group, for every command of the catalogue and for
every button family; private-only is decided in one place (the catalogue and the families)."""

from __future__ import annotations

import pytest

from bot.commands import COMMANDS, Command
from bot.core.callbacks import families, family_of
from bot.core.roles import Role
from bot.transport import BotCall, LocalDriver, LocalUser
from tests.support.caselog import intake
from tests.support.harness import BotHarness, button, only_text, texts

GROUP = LocalDriver.group_chat(-100777)
REF = "C-10234"
#: Client details the setup stores; none may show up in the group.
SECRETS = ("GEHEIM", "Ontheffing herbeoordelen", "Medisch")


async def _team_with_a_client(bot: BotHarness) -> LocalUser:
    """A teamleider (with every role) whose team has a client, an item and a deadline; the
    team's group is linked."""
    leader = await bot.staff(*Role, name="Tessa")
    await intake(bot, leader, REF, note="GEHEIM notitie")
    await bot.driver.text(leader, f"/succes {REF} GEHEIM succes")
    calls = await bot.driver.text(leader, f"/ontheffing {REF}")
    calls = await bot.driver.tap(leader, button(calls, "Medisch"))
    calls = await bot.driver.tap(leader, button(calls, "Volledig"))
    calls = await bot.driver.text(leader, "2-3-2026")
    calls = await bot.driver.tap(leader, button(calls, "Geen einddatum"))
    calls = await bot.driver.tap(leader, button(calls, "02-03-2027"))
    # The college's decision: today, advies verzekeringsarts, no zaaknummer.
    calls = await bot.driver.tap(leader, button(calls, "Vandaag"))
    calls = await bot.driver.tap(leader, button(calls, "Advies verzekeringsarts"))
    calls = await bot.driver.tap(leader, button(calls, "Geen zaaknummer"))
    assert "Besluit geregistreerd" in only_text(calls)
    # The details are there to leak: the private chat shows them.
    assert "Ontheffing herbeoordelen" in only_text(await bot.driver.text(leader, "/termijnen"))
    await bot.driver.bot_status(leader, GROUP, "left", "member")
    assert "Team Werk" in only_text(await bot.driver.text(leader, "/koppel", chat=GROUP))
    return leader


def _group_buttons(calls: list[BotCall]) -> list[str]:
    return [
        data
        for c in calls
        if c.chat_id == GROUP["id"]
        for _, data in c.buttons
        if not data.startswith("https://")
    ]


def _assert_nothing_leaks(calls: list[BotCall]) -> None:
    to_group = [c for c in calls if c.chat_id == GROUP["id"]]
    for call in to_group:
        for secret in SECRETS:
            assert secret not in call.text, (secret, call.text)
    for data in _group_buttons(calls):
        tapped = family_of(data)
        assert tapped is not None and not tapped.private_only, data


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
async def test_every_command_in_the_linked_group(sqlite_bot: BotHarness, command: Command) -> None:
    bot = sqlite_bot
    leader = await _team_with_a_client(bot)
    for typed in (f"/{command.name}", f"/{command.name} {REF}", f"/{command.name.upper()}"):
        calls = await bot.driver.text(leader, typed, chat=GROUP)
        _assert_nothing_leaks(calls)
        assert all(c.chat_id == GROUP["id"] for c in calls if c.method == "sendMessage")
        if command.private_only:
            # The one redirect: a line and a button to the private chat, nothing else.
            assert [c.method for c in calls] == ["sendMessage"], typed
            assert "privégesprek" in calls[0].text
            assert [data for _, data in calls[0].buttons] == ["https://t.me/weekdate_bot"]


async def test_command_for_another_bot_is_not_ours(sqlite_bot: BotHarness) -> None:
    leader = await _team_with_a_client(sqlite_bot)
    assert await sqlite_bot.driver.text(leader, "/termijnen@other_bot", chat=GROUP) == []


async def test_private_only_buttons_refused_in_the_group(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    leader = await _team_with_a_client(bot)
    private = await bot.driver.text(leader, "/termijnen")
    card_button = button(private, "1")
    assert card_button.startswith("ddl:open:")
    # The same button tapped in the group (an old message, or replayed data): answered, no card.
    calls = await bot.driver.tap(leader, card_button, chat=GROUP)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert "privégesprek" in calls[0].params["text"]
    for declared in families():
        if declared.private_only:
            data = f"{declared.ns}:open:1"
            calls = await bot.driver.tap(leader, data, chat=GROUP)
            assert [c.method for c in calls] == ["answerCallbackQuery"], data


async def test_group_families_still_work_in_the_group(sqlite_bot: BotHarness) -> None:
    """The "ik ben erbij" button is made for the group: it is answered there, not refused."""
    bot = sqlite_bot
    leader = await _team_with_a_client(bot)
    group_families = [f for f in families() if not f.private_only]
    assert [f.ns for f in group_families] == ["wda"]
    calls = await bot.driver.tap(leader, "wda:join:999", chat=GROUP)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert "privégesprek" not in str(calls[0].params.get("text"))


async def test_termijnen_in_group_sends_no_texts_with_details(sqlite_bot: BotHarness) -> None:
    """The reported leak itself."""
    leader = await _team_with_a_client(sqlite_bot)
    calls = await sqlite_bot.driver.text(leader, "/termijnen", chat=GROUP)
    assert REF not in " ".join(texts(calls))
    assert _group_buttons(calls) == []
