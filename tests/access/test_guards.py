"""Every guard fails closed: when something inside it raises, the update stops there.

A probe handler in a late group records every update that got past the guards; with a guard
failing open, PTB hands the error to the error handler and goes on to the next group.
"""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.access import service as access_service
from bot.core.roles import Role
from bot.transport import LocalDriver
from storage.models import CaseItem
from tests.support.caselog import count, watch_errors
from tests.support.harness import BotHarness

BSN = "123456782"


class Probe:
    """Records the updates that reached the feature side."""

    def __init__(self, bot: BotHarness) -> None:
        self.reached: list[int] = []
        bot.application.add_handler(TypeHandler(Update, self), group=99)

    async def __call__(self, update: Update, context: Any) -> None:
        self.reached.append(update.update_id)


def _fail_sends(bot: BotHarness, chat_id: int | None = None) -> None:
    bot.transport.fail(
        "sendMessage", chat_id=chat_id, status=400, description="Bad Request: boom", times=5
    )


async def test_access_middleware_fails_closed(bot: BotHarness) -> None:
    probe = Probe(bot)
    errors = watch_errors(bot)
    stranger = bot.stranger()
    _fail_sends(bot, stranger.id)  # the stranger reply cannot be sent
    await bot.driver.text(stranger, "/help")
    assert probe.reached == [] and errors.seen == []


async def test_access_middleware_fails_closed_when_the_lookup_fails(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await bot.staff(Role.ADMIN)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(access_service, "identify", broken)
    probe = Probe(bot)
    calls = await bot.driver.text(admin, "/agenda", chat=LocalDriver.group_chat(-100321))
    assert probe.reached == [] and calls == []


async def test_membership_guard_fails_closed(bot: BotHarness) -> None:
    probe = Probe(bot)
    consulent = await bot.staff(Role.CONSULENT)
    group = LocalDriver.group_chat(-100322)
    bot.transport.fail("leaveChat", status=400, description="Bad Request: boom")
    calls = await bot.driver.bot_status(consulent, group, "left", "member")
    assert [c.method for c in calls] == ["sendMessage"]
    assert probe.reached == []


async def test_privacy_filter_fails_closed(bot: BotHarness) -> None:
    probe = Probe(bot)
    consulent = await bot.staff(Role.CONSULENT)
    _fail_sends(bot, consulent.id)  # the refusal cannot be sent
    await bot.driver.text(consulent, f"C-10234 heeft bsn {BSN}, gesprek ging goed")
    assert probe.reached == []
    assert await count(bot, CaseItem) == 0


async def test_edit_stop_fails_closed(bot: BotHarness) -> None:
    probe = Probe(bot)
    leader = await bot.staff(Role.TEAMLEIDER)
    _fail_sends(bot, leader.id)  # "an edit changes nothing" cannot be sent
    await bot.driver.edited_text(leader, "/uitnodigen")
    assert probe.reached == []


async def test_private_scope_fails_closed(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    group = LocalDriver.group_chat(-100323)
    await bot.driver.bot_status(leader, group, "left", "member")
    await bot.driver.text(leader, "/koppel", chat=group)
    probe = Probe(bot)
    _fail_sends(bot, group["id"])  # the redirect cannot be sent
    calls = await bot.driver.text(leader, "/termijnen", chat=group)
    assert probe.reached == [] and calls == []


async def test_failing_guard_still_answers_the_tap(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(access_service, "identify", broken)
    calls = await bot.driver.tap(await bot.staff(Role.TEAMLEIDER), "team:off:1")
    assert [c.method for c in calls] == ["answerCallbackQuery"]
