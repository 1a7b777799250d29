"""The form engine: state in the database, restart mid-form, timeout, cancel, wrong input."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from bot.core.roles import Role
from bot.runtime import BotContext
from jobs.forms import expire_forms
from storage import forms as form_store
from tests.support.harness import BotHarness, button, only_text, texts


async def test_restart_mid_form_resumes(tmp_path: Path, database_url: str) -> None:
    first = await BotHarness.start(tmp_path, database_url=database_url)
    leader = await first.staff(Role.ADMIN)
    calls = await first.driver.text(leader, "/uitnodigen")
    calls = await first.driver.tap(leader, button(calls, "Team Werk"))
    roles_prompt = await first.driver.tap(leader, button(calls, "consulent"))
    await first.stop()  # the process dies; only the database survives

    second = await BotHarness.start(tmp_path, database_url=database_url, clock=first.clock)
    calls = await second.driver.tap(leader, button(roles_prompt, "Klaar"))
    assert "Uitnodiging gemaakt voor Team Werk als consulent" in only_text(calls)
    await second.stop()


async def test_wrong_kinds_of_input_keep_the_step(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    await bot.driver.text(leader, "/uitnodigen")
    for send in (
        bot.driver.photo(leader),
        bot.driver.sticker(leader),
        bot.driver.text(leader, "x" * 5000),
        bot.driver.text(leader, "<b>consulent</b> </a> *"),
        bot.driver.text(leader, "🙂"),
    ):
        reply = only_text(await send)
        assert reply.startswith("Kies rollen met de knoppen.")
    async with bot.runtime.db.transaction() as session:
        stored = await form_store.get_form(session, leader.id)
    assert stored is not None and stored.step == "roles" and stored.data["roles"] == []


async def test_stale_button_from_earlier_step_is_refused(bot: BotHarness) -> None:
    admin = await bot.staff(Role.ADMIN)
    team_prompt = await bot.driver.text(admin, "/uitnodigen")
    await bot.driver.tap(admin, button(team_prompt, "Team Werk"))
    again = await bot.driver.tap(admin, button(team_prompt, "Team Zorg"))
    assert texts(again) == []
    assert "eerdere stap" in again[0].params["text"]


async def test_cancel_leaves_form_and_saves_nothing(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.text(leader, "/uitnodigen")
    calls = await bot.driver.tap(leader, button(calls, "consulent"))
    assert "niets opgeslagen" in only_text(await bot.driver.text(leader, "/annuleer"))
    assert "geen formulier" in only_text(await bot.driver.text(leader, "/annuleer"))
    after = await bot.driver.tap(leader, button(calls, "Klaar"))
    assert texts(after) == []


async def test_form_ends_after_thirty_minutes_of_silence(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.text(leader, "/uitnodigen")
    bot.clock.advance(timedelta(minutes=29))
    calls = await bot.driver.tap(leader, button(calls, "consulent"))
    assert "✓ consulent" in [label for c in calls for label, _ in c.buttons]
    bot.clock.advance(timedelta(minutes=31))
    reply = only_text(await bot.driver.text(leader, "hallo"))
    assert "gestopt na een half uur stilte" in reply and "/uitnodigen" in reply


async def test_expiry_job_tells_the_person(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    await bot.driver.text(leader, "/uitnodigen")
    context = BotContext(bot.application)
    await expire_forms(context)
    assert bot.transport.take() == []  # not yet
    bot.clock.advance(timedelta(minutes=31))
    await expire_forms(context)
    sent = bot.transport.take()
    assert [c.chat_id for c in sent] == [leader.id]
    assert "gestopt" in sent[0].text
    async with bot.runtime.db.transaction() as session:
        assert await form_store.get_form(session, leader.id) is None


async def test_form_commands_only_in_private_chat(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    group = bot.driver.group_chat(-100999)
    await bot.driver.bot_added(leader, group)
    await bot.driver.text(leader, "/koppel", chat=group)
    reply = only_text(await bot.driver.text(leader, "/uitnodigen", chat=group))
    assert "privégesprek" in reply


def test_a_step_form_refuses_a_step_it_neither_declares_nor_handles() -> None:
    from bot.forms.steps import DirectStepForm, Step

    class OneStep(DirectStepForm):
        name = "tstep"
        command = "tstep"
        step_list = (Step("only", template="forms/form_cancelled", fixed={"had_form": True}),)

        async def save(self, env: Any, data: dict[str, Any]) -> Any:
            raise AssertionError("not reached")

    form = OneStep()
    assert form.steps == ("only",)
    assert "Gestopt" in form.prompt(cast(Any, None), "only", {}).text
    with pytest.raises(LookupError, match="no prompt for step 'other'"):
        form.prompt(cast(Any, None), "other", {})
