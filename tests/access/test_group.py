"""The team group as real Telegram drives it: the bot is added (a ``my_chat_member`` update and a
``new_chat_members`` service message), people talk before ``/koppel``, the group is linked, and
later the bot is removed. Also: a BSN from anyone in the linked group is deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core.roles import Role
from bot.transport import BotCall, LocalDriver, LocalUser
from storage import teams
from storage.models import AuditEntry
from tests.support.harness import BotHarness, only_text, texts

GROUP = LocalDriver.group_chat(-100555)
BSN = "123456782"  # passes the elfproef


def methods(calls: list[BotCall]) -> list[str]:
    return [c.method for c in calls]


async def _group_of(bot: BotHarness, team: str = "Team Werk") -> int | None:
    async with bot.runtime.db.transaction() as session:
        found = await teams.get_team_by_name(session, team)
        assert found is not None
        return found.group_chat_id


async def _linked_group(bot: BotHarness) -> tuple[LocalUser, dict[str, Any]]:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tessa")
    await bot.driver.bot_status(leader, GROUP, "left", "member")
    await bot.driver.text(leader, "/koppel", chat=GROUP)
    assert await _group_of(bot) == GROUP["id"]
    return leader, GROUP


async def test_teamleider_adds_bot_it_stays_and_ignores_all_but_koppel(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    consulent = await bot.staff(Role.CONSULENT)
    added = await bot.driver.bot_status(leader, GROUP, "left", "member")
    assert methods(added) == ["sendMessage"] and "/koppel" in added[0].text
    # What Telegram sends next, and what people say before /koppel: nothing back, no leaving.
    assert await bot.driver.joined_service_message(leader, GROUP) == []
    assert await bot.driver.text(leader, "hallo", chat=GROUP) == []
    assert await bot.driver.text(consulent, "/help", chat=GROUP) == []
    assert await bot.driver.text(consulent, "/termijnen", chat=GROUP) == []
    assert await bot.driver.text(bot.stranger(), "/koppel", chat=GROUP) == []
    # Made admin of the group: no second welcome.
    assert await bot.driver.bot_status(leader, GROUP, "member", "administrator") == []
    refused = await bot.driver.text(consulent, "/koppel", chat=GROUP)
    assert "Alleen een teamleider" in only_text(refused) and "leaveChat" not in methods(refused)
    assert await _group_of(bot) is None
    linked = await bot.driver.text(leader, "/koppel@weekdate_bot", chat=GROUP)
    assert "Team Werk" in only_text(linked)
    assert await _group_of(bot) == GROUP["id"]
    assert "Wat je kunt" in only_text(await bot.driver.text(consulent, "/help", chat=GROUP))


async def test_admin_of_another_team_may_add_the_bot(bot: BotHarness) -> None:
    admin = await bot.staff(Role.ADMIN, team="Team Zorg")
    added = await bot.driver.bot_status(admin, GROUP, "left", "member")
    assert methods(added) == ["sendMessage"]


async def test_added_by_anyone_else_one_line_and_leaves(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    for adder in (consulent, bot.stranger()):
        calls = await bot.driver.bot_status(adder, GROUP, "left", "member")
        assert methods(calls) == ["sendMessage", "leaveChat"]
        assert "Ik verlaat deze groep" in calls[0].text


async def test_removed_from_linked_group_clears_the_link(bot: BotHarness) -> None:
    leader, group = await _linked_group(bot)
    someone = bot.stranger()
    assert await bot.driver.bot_status(someone, group, "member", "kicked") == []
    assert await _group_of(bot) is None
    async with bot.runtime.db.transaction() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "group:unlink" in actions
    # Added again by the teamleider: welcomed, and linked again with /koppel.
    again = await bot.driver.bot_status(leader, group, "kicked", "member")
    assert "/koppel" in only_text(again)


async def test_leaving_an_unlinked_group_touches_no_team(bot: BotHarness) -> None:
    _, group = await _linked_group(bot)
    other = LocalDriver.group_chat(-100999)
    await bot.driver.bot_status(bot.stranger(), other, "member", "left")
    assert await _group_of(bot) == group["id"]


async def test_bsn_from_a_stranger_in_the_linked_group_is_deleted(bot: BotHarness) -> None:
    _, group = await _linked_group(bot)
    calls = await bot.driver.text(bot.stranger(), f"bsn {BSN} van mijn buurman", chat=group)
    # Deleted, and nothing said to someone who is not staff.
    assert methods(calls) == ["deleteMessage"]
    colleague_elsewhere = await bot.staff(Role.CONSULENT, team="Team Zorg")
    calls = await bot.driver.photo(colleague_elsewhere, caption=f"BSN {BSN}", chat=group)
    assert methods(calls) == ["deleteMessage"]
    assert await bot.driver.text(bot.stranger(), "gewoon hallo", chat=group) == []


async def test_bsn_from_staff_in_the_linked_group_is_deleted_and_explained(
    bot: BotHarness,
) -> None:
    leader, group = await _linked_group(bot)
    calls = await bot.driver.text(leader, f"/succes C-1 {BSN}", chat=group)
    assert methods(calls) == ["deleteMessage", "sendMessage"]
    assert "BSN" in texts(calls)[0]


async def test_linked_group_that_becomes_a_supergroup_stays_linked(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    basic = {"id": -4555, "type": "group", "title": "Team"}
    await bot.driver.bot_status(leader, basic, "left", "member")
    await bot.driver.text(leader, "/koppel", chat=basic)
    supergroup = LocalDriver.group_chat(-100_4555)
    assert await bot.driver.group_migrated(leader, basic, supergroup) == []
    assert await _group_of(bot) == supergroup["id"]
    assert "Wat je kunt" in only_text(await bot.driver.text(leader, "/help", chat=supergroup))
