"""Access control: strangers, invitations, deactivation, groups, /help per role."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.commands import COMMANDS
from bot.core.roles import Role
from bot.transport import LocalDriver
from storage import audit
from tests.support.harness import BotHarness, button, only_text, texts

STRANGER_TEXT = "Deze bot is alleen voor medewerkers. Vraag je teamleider om een uitnodiging."


async def test_stranger_gets_fixed_reply_and_nothing_else(bot: BotHarness) -> None:
    stranger = bot.stranger()
    for text in ("/start", "/help", "/uitnodigen", "hallo", "/team"):
        calls = await bot.driver.text(stranger, text)
        bot.clock.advance(timedelta(hours=2))
        assert [(c.method, c.text) for c in calls] == [("sendMessage", STRANGER_TEXT)]


async def test_stranger_reply_at_most_once_an_hour_and_audited(bot: BotHarness) -> None:
    stranger = bot.stranger()
    first = await bot.driver.text(stranger, "hallo")
    second = await bot.driver.text(stranger, "hallo?")
    bot.clock.advance(timedelta(minutes=61))
    third = await bot.driver.text(stranger, "iemand?")
    assert texts(first) == [STRANGER_TEXT]
    assert second == []
    assert texts(third) == [STRANGER_TEXT]
    async with bot.runtime.db.transaction() as session:
        rows = await audit.recent(session)
    refused = [r for r in rows if r.actor_telegram_id == stranger.id]
    assert len(refused) == 3 and all(r.result == "refused" for r in refused)


async def test_stranger_button_tap_is_answered_silently(bot: BotHarness) -> None:
    calls = await bot.driver.tap(bot.stranger(), "team:offok:1")
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].text == STRANGER_TEXT


async def _invite(bot: BotHarness, inviter_roles: tuple[Role, ...], *roles: str) -> str:
    leader = await bot.staff(*inviter_roles)
    calls = await bot.driver.text(leader, "/uitnodigen")
    if any("Team Zorg" in label for c in calls for label, _ in c.buttons):
        calls = await bot.driver.tap(leader, button(calls, "Team Werk"))
    for role in roles:
        calls = await bot.driver.tap(leader, button(calls, role))
    calls = await bot.driver.tap(leader, button(calls, "Klaar"))
    text = only_text(calls)
    assert "https://t.me/weekdate_bot?start=" in text
    return text.split("?start=")[1].split()[0]


async def test_invitation_lifecycle_valid_then_used(bot: BotHarness) -> None:
    code = await _invite(bot, (Role.TEAMLEIDER,), "consulent", "netwerker")
    newcomer = bot.stranger()
    joined = only_text(await bot.driver.text(newcomer, f"/start {code}"))
    assert "Welkom" in joined and "consulent" in joined and "netwerker" in joined
    help_text = only_text(await bot.driver.text(newcomer, "/help"))
    assert "/team" in help_text and "/uitnodigen" not in help_text
    other = bot.stranger()
    used = only_text(await bot.driver.text(other, f"/start {code}"))
    assert "al gebruikt" in used
    assert texts(await bot.driver.text(other, "/help")) == [STRANGER_TEXT]


async def test_invitation_expires_after_72_hours(bot: BotHarness) -> None:
    code = await _invite(bot, (Role.ADMIN,), "consulent")
    bot.clock.advance(timedelta(hours=72, seconds=1))
    reply = only_text(await bot.driver.text(bot.stranger(), f"/start {code}"))
    assert "verlopen" in reply


async def test_made_up_code_is_refused(bot: BotHarness) -> None:
    for code in ("bestaatniet", "x" * 300, "<b>", "' OR 1=1 --"):
        reply = only_text(await bot.driver.text(bot.stranger(), f"/start {code}"))
        assert "ken ik niet" in reply


async def test_only_managers_may_invite(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    assert "teamleider of beheerder" in only_text(await bot.driver.text(consulent, "/uitnodigen"))


async def test_teamleider_cannot_hand_out_admin(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.text(leader, "/uitnodigen")
    labels = [label for c in calls for label, _ in c.buttons]
    assert "beheerder" not in labels and "consulent" in labels
    # A forged tap for the admin role is refused too.
    forged = button(calls, "consulent").replace("consulent", "admin")
    assert "kun je niet uitdelen" in only_text(await bot.driver.tap(leader, forged))


async def test_button_pressed_twice_after_finish(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.text(leader, "/uitnodigen")
    calls = await bot.driver.tap(leader, button(calls, "consulent"))
    done = button(calls, "Klaar")
    first = await bot.driver.tap(leader, done)
    second = await bot.driver.tap(leader, done)
    assert len(texts(first)) == 1
    assert texts(second) == []
    assert any("afgerond" in c.params.get("text", "") for c in second)


async def test_deactivated_member_is_a_stranger(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    calls = await bot.driver.text(leader, "/team")
    assert "Sanne" in only_text(calls)
    confirm = await bot.driver.tap(leader, button(calls, "Deactiveer Sanne"))
    done = await bot.driver.tap(leader, button(confirm, "Ja"))
    assert "gedeactiveerd" in only_text(done)
    assert texts(await bot.driver.text(consulent, "/help")) == [STRANGER_TEXT]


async def test_consulent_cannot_deactivate_by_forged_tap(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    colleague = await bot.staff(Role.CONSULENT)
    async with bot.runtime.db.transaction() as session:
        from storage.staff import get_active_staff

        target = await get_active_staff(session, colleague.id)
    assert target is not None
    reply = only_text(await bot.driver.tap(consulent, f"team:offok:{target.staff_id}"))
    assert "Alleen een teamleider" in reply
    assert "Wat je kunt" in only_text(await bot.driver.text(colleague, "/help"))


async def test_help_lists_commands_per_role(bot: BotHarness) -> None:
    for role in Role:
        user = await bot.staff(role)
        text = only_text(await bot.driver.text(user, "/help"))
        for command in COMMANDS:
            assert (f"/{command.name} " in text) == (role in command.roles), (role, command.name)


async def test_start_greets_staff_by_role(bot: BotHarness) -> None:
    user = await bot.staff(Role.NETWERKER, name="Piet")
    assert "Hoi Piet" in only_text(await bot.driver.text(user, "/start"))


async def test_bot_leaves_group_added_by_non_manager(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    group = LocalDriver.group_chat(-100123)
    calls = await bot.driver.bot_added(consulent, group)
    assert [c.method for c in calls] == ["sendMessage", "leaveChat"]


async def test_group_linking_by_teamleider(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    consulent = await bot.staff(Role.CONSULENT)
    group = LocalDriver.group_chat(-100456)
    added = await bot.driver.bot_added(leader, group)
    assert [c.method for c in added] == ["sendMessage"] and "/koppel" in added[0].text
    refused = await bot.driver.text(consulent, "/koppel", chat=group)
    assert "Alleen een teamleider" in texts(refused)[0]
    assert "leaveChat" not in [c.method for c in refused]
    linked = await bot.driver.text(leader, "/koppel", chat=group)
    assert "Team Werk" in only_text(linked)
    # Once linked, staff of the team can use it; strangers in it are ignored silently.
    assert "Wat je kunt" in only_text(await bot.driver.text(consulent, "/help", chat=group))
    assert await bot.driver.text(bot.stranger(), "hallo", chat=group) == []


async def test_message_in_unlinked_group_is_ignored(bot: BotHarness) -> None:
    # Whether the bot stays was decided when it was added; talk in the group changes nothing.
    leader = await bot.staff(Role.TEAMLEIDER)
    assert await bot.driver.text(leader, "/help", chat=LocalDriver.group_chat(-100789)) == []


async def test_commands_published_in_dutch(tmp_path: Path) -> None:
    harness = await BotHarness.start(tmp_path)
    try:
        everything = await harness.staff(*Role)
        await harness.application.post_init(harness.application)
        published = [
            c
            for c in harness.transport.calls
            if c.method == "setMyCommands" and c.params["scope"].get("chat_id") == everything.id
        ]
        assert published
        names = [c["command"] for c in published[0].params["commands"]]
        assert names == [c.name for c in COMMANDS]
    finally:
        await harness.stop()


async def test_unknown_command_points_to_help(bot: BotHarness) -> None:
    user = await bot.staff(Role.CONSULENT)
    assert "ken ik niet" in only_text(await bot.driver.text(user, "/bestaatniet"))
    assert "ken ik niet" not in only_text(await bot.driver.text(user, "/help@weekdate_bot"))


async def test_edited_message_is_not_a_new_answer(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    await bot.driver.text(leader, "/uitnodigen")
    calls = await bot.driver.edited_text(leader, "/uitnodigen")
    assert "verandert niets" in only_text(calls)
    calls = await bot.driver.edited_text(leader, "consulent")
    assert "verandert niets" in only_text(calls)
