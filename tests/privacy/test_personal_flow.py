"""The held-text paths through the whole bot: a command with text, a form answer and chat-style
text are held until confirmed (then they go where they were going) or rephrased (nothing is
stored); a double tap, a restart in between, a group message, and the configured word list."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.config import Config, PrivacyConfig, TeamConfig
from bot.core.roles import Role
from bot.transport import BotCall, LocalDriver
from tests.support.caselog import (
    audit_actions,
    form_state,
    intake,
    stored_rows,
    tap,
    watch_errors,
)
from tests.support.harness import BotHarness, button, only_text, texts

WARNED = "Ik heb het nog niet opgeslagen"
CONFIRM = "geen persoonsgegeven"
GONE = "Dit bericht heb ik niet meer"


def _tap_answer(calls: list[BotCall]) -> str:
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, [c.method for c in calls]
    return str(answers[0].params.get("text") or "")


def _privacy_rows(rows: list[tuple[str, str | None, str]]) -> list[tuple[str, str | None]]:
    return [(a, o) for a, o, _ in rows if a.startswith("privacy:")]


async def test_command_text_held_until_confirmed(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    errors = watch_errors(bot)
    before = await stored_rows(bot)
    text = "/succes C-1 werkt bij de bakker, bel 06-12345678"
    calls = await bot.driver.text(consulent, text)
    assert WARNED in only_text(calls) and "telefoonnummer" in only_text(calls)
    assert "06-12345678" not in only_text(calls)  # never echoed
    assert await stored_rows(bot) == before
    assert await form_state(bot, consulent) is None
    data = button(calls, CONFIRM)
    calls = await bot.driver.tap(consulent, data)
    assert "Succes opgeslagen" in " ".join(texts(calls))
    after = await stored_rows(bot)
    assert after["items"] == before["items"] + 1
    # A double tap: answered, nothing replayed, nothing stored twice.
    calls = await bot.driver.tap(consulent, data)
    assert GONE in _tap_answer(calls) and texts(calls) == []
    assert await stored_rows(bot) == after
    rows = await audit_actions(bot)
    assert _privacy_rows(rows) == [("privacy:warned", "phone"), ("privacy:confirmed", "phone")]
    assert not any("12345678" in str(row) for row in rows)
    assert errors.seen == []


async def test_form_answer_held_until_confirmed(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    await bot.driver.text(consulent, "/succes C-1")
    state = await form_state(bot, consulent)
    before = await stored_rows(bot)
    calls = await bot.driver.text(consulent, "contract, mail naar baas@bakker.nl")
    assert WARNED in only_text(calls) and "e-mailadres" in only_text(calls)
    assert await form_state(bot, consulent) == state  # the form still waits at its step
    assert await stored_rows(bot) == before
    calls = await tap(bot, consulent, calls, CONFIRM)
    assert "Succes opgeslagen" in " ".join(texts(calls)) and "baas@bakker.nl" in " ".join(
        texts(calls)
    )
    assert (await stored_rows(bot))["items"] == before["items"] + 1


async def test_deadline_form_note_held_until_confirmed(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-2")
    calls = await bot.driver.text(consulent, "/contact C-2")
    calls = await tap(bot, consulent, calls, "Face-to-face")
    calls = await tap(bot, consulent, calls, "Vandaag")
    calls = await tap(bot, consulent, calls, "Mantelzorg")
    state = await form_state(bot, consulent)
    assert state is not None and state[1] == "note"
    calls = await bot.driver.text(consulent, "zorgt voor moeder met dementie")
    assert WARNED in only_text(calls) and "bijzonder persoonsgegeven" in only_text(calls)
    assert await form_state(bot, consulent) == state
    calls = await tap(bot, consulent, calls, CONFIRM)
    after = await form_state(bot, consulent)
    assert after is None or after[1] != "note"  # the note was taken by the form


async def test_chat_text_held_until_confirmed_or_rephrased(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-10234")
    before = await stored_rows(bot)
    text = "C-10234 heeft een contract, geboren 12-03-1990"
    calls = await bot.driver.text(consulent, text)
    assert WARNED in only_text(calls) and "geboortedatum" in only_text(calls)
    assert await form_state(bot, consulent) is None  # the chat-style question holds the text
    # Herformuleer: nothing stored, the buttons are gone, a later confirm finds nothing.
    rephrase = button(calls, "Herformuleer")
    confirm = button(calls, CONFIRM)
    calls = await bot.driver.tap(consulent, rephrase)
    assert "niets opgeslagen" in only_text(calls)
    assert "editMessageReplyMarkup" in [c.method for c in calls]
    assert GONE in _tap_answer(await bot.driver.tap(consulent, confirm))
    assert await form_state(bot, consulent) is None and await stored_rows(bot) == before
    # Again, confirmed this time: the chat-style question comes, as for any text.
    calls = await bot.driver.text(consulent, text)
    calls = await tap(bot, consulent, calls, CONFIRM)
    assert "Wat is dit bericht over <b>C-10234</b>?" in only_text(calls)
    saved = only_text(await tap(bot, consulent, calls, "Succes"))
    assert "Succes opgeslagen" in saved
    assert (await stored_rows(bot))["items"] == before["items"] + 1
    assert [a for a, _ in _privacy_rows(await audit_actions(bot))] == [
        "privacy:warned",
        "privacy:withdrawn",
        "privacy:warned",
        "privacy:confirmed",
    ]


async def test_a_new_message_supersedes_the_held_one(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    await bot.driver.text(consulent, "/succes C-1")
    calls = await bot.driver.text(consulent, "bel 0612345678")
    confirm = button(calls, CONFIRM)
    saved = only_text(await bot.driver.text(consulent, "heeft een contract"))
    assert "Succes opgeslagen" in saved
    before = await stored_rows(bot)
    assert GONE in _tap_answer(await bot.driver.tap(consulent, confirm))
    assert await stored_rows(bot) == before


async def test_restart_between_warning_and_confirm(tmp_path: Path) -> None:
    first = await BotHarness.start(tmp_path)
    consulent = await first.staff(Role.CONSULENT)
    await intake(first, consulent, "C-1")
    calls = await first.driver.text(consulent, "/succes C-1 bel 0612345678")
    confirm = button(calls, CONFIRM)
    before = await stored_rows(first)
    await first.stop()
    second = await BotHarness.start(tmp_path)
    try:
        errors = watch_errors(second)
        calls = await second.driver.tap(consulent, confirm)
        assert GONE in _tap_answer(calls) and texts(calls) == []
        assert await stored_rows(second) == before
        assert errors.seen == []
    finally:
        await second.stop()


async def test_bsn_stays_a_refusal_without_confirm(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    calls = await bot.driver.text(consulent, "/succes C-1 bsn 123456782, tel 0612345678")
    assert "BSN" in only_text(calls) and [b for c in calls for b in c.buttons] == []
    assert len(bot.runtime.held_texts) == 0


async def test_group_message_deleted_and_sender_told_privately(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    group = LocalDriver.group_chat(-100777)
    await bot.driver.bot_added(leader, group)
    await bot.driver.text(leader, "/koppel", chat=group)
    calls = await bot.driver.text(leader, "/agenda mail jan@example.nl", chat=group)
    assert "deleteMessage" in [c.method for c in calls]
    sent = [c for c in calls if c.method == "sendMessage"]
    assert [c.chat_id for c in sent] == [leader.id]  # the group hears nothing
    assert "e-mailadres" in sent[0].text and "jan@example.nl" not in sent[0].text
    assert sent[0].buttons == [] and len(bot.runtime.held_texts) == 0


async def test_configured_words_take_effect(tmp_path: Path) -> None:
    words = tuple(w for w in PrivacyConfig().special_category_words if w != "depressie")
    config = Config(
        teams=(TeamConfig("Team Werk"), TeamConfig("Team Zorg")),
        privacy=PrivacyConfig(
            special_category_words=(*words, "wandelen"),
            team_special_category_words=(("Team Zorg", ("fietsen",)),),
        ),
    )
    bot = await BotHarness.start(tmp_path, config=replace(config))
    try:
        werk = await bot.staff(Role.CONSULENT)
        zorg = await bot.staff(Role.CONSULENT, team="Team Zorg")
        assert WARNED in only_text(await bot.driver.text(werk, "/succes C-1 gaat wandelen"))
        # A default word removed from the list no longer warns (the command runs as usual).
        assert WARNED not in " ".join(texts(await bot.driver.text(werk, "/succes C-1 depressie")))
        assert WARNED in " ".join(texts(await bot.driver.text(werk, "/succes C-1 strafblad")))
        # Team Zorg has its own list.
        assert WARNED in only_text(await bot.driver.text(zorg, "/succes C-1 gaat fietsen"))
        assert WARNED not in " ".join(texts(await bot.driver.text(zorg, "/succes C-1 strafblad")))
    finally:
        await bot.stop()
