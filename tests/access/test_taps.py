"""Every button tap gets an answer, and team-management buttons show nobody of another team."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.roles import Role
from bot.transport import BotCall
from tests.support.deadlines import staff_id
from tests.support.harness import BotHarness, button, only_text

ROOT = Path(__file__).resolve().parents[2]

#: Data the bot never made, no longer knows, or cannot decode; and replays of real families
#: with payloads that do not fit.
UNKNOWN_TAPS = [
    "zzz:1",
    "geen dubbele punt",
    ":",
    "::::",
    "x" * 64,
    "team:",
    "team:off",
    "team:off:abc",
    "team:nope:1",
    "ddl:open",
    "ddl:open:abc",
    "ddl:zzz:1",
    "ddl:open:999999",
    "vac:fill:999999",
    "vac:",
    "wdh:move",
    "wdh:move:geen-datum",
    "wdh:nope:2026-12-25",
    "wda:",
    "wda:join",
    "wda:join:999999",
    "f:invite:team:1",
    "f:nope:x:y",
    "f:",
]


def answers(calls: list[BotCall]) -> list[BotCall]:
    return [c for c in calls if c.method == "answerCallbackQuery"]


@pytest.mark.parametrize("data", UNKNOWN_TAPS)
async def test_every_tap_is_answered_once(sqlite_bot: BotHarness, data: str) -> None:
    leader = await sqlite_bot.staff(Role.TEAMLEIDER)
    calls = await sqlite_bot.driver.tap(leader, data)
    assert len(answers(calls)) == 1, [c.method for c in calls]


async def test_unknown_button_says_it_no_longer_works(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.tap(leader, "oud:knopje:7")
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == "Deze knop werkt niet meer."


async def test_replayed_and_refused_taps_are_answered(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    colleague = await bot.staff(Role.CONSULENT, name="Kees")
    team = await bot.driver.text(leader, "/team")
    off = button(team, "Kees")
    confirm = await bot.driver.tap(leader, off)
    yes = button(confirm, "deactiveren")
    assert len(answers(await bot.driver.tap(leader, yes))) == 1
    # The same taps again (replayed), and by the one now deactivated: still answered.
    for data in (off, yes):
        assert len(answers(await bot.driver.tap(leader, data))) == 1
        assert len(answers(await bot.driver.tap(colleague, data))) == 1
    assert len(answers(await bot.driver.tap(bot.stranger(), yes))) == 1


def test_taps_are_answered_only_through_answer_tap() -> None:
    """One way to answer a tap, so the fallback knows which taps nobody answered."""
    direct = re.compile(r"query\.answer\(|answer_callback_query\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "handlers", "jobs")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "common.py" or path.parent.name != "handlers"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert offenders == []


# --- team management buttons ---------------------------------------------------------------


async def test_deactivate_button_with_another_teams_id_shows_no_name(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    await bot.staff(Role.CONSULENT, name="Kees")
    other = await bot.staff(Role.CONSULENT, team="Team Zorg", name="Anna Andere")
    team = await bot.driver.text(leader, "/team")
    own_data = button(team, "Kees")
    other_id = await _staff_id(bot, other.id)
    for action in ("off", "offok", "keep"):
        calls = await bot.driver.tap(leader, f"team:{action}:{other_id}")
        shown = " ".join(c.text + str(c.params.get("text", "")) for c in calls)
        assert "Anna" not in shown, (action, shown)
        assert len(answers(calls)) == 1
    # The own team's button still works.
    assert "Kees deactiveren?" in only_text(await bot.driver.tap(leader, own_data))
    # And nobody of Team Zorg was deactivated.
    assert "Wat je kunt" in only_text(await bot.driver.text(other, "/help"))


async def _staff_id(bot: BotHarness, telegram_user_id: int) -> int:
    async with bot.runtime.db.transaction() as session:
        return (await staff_id(session, telegram_user_id))[0]
