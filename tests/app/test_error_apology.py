"""A handler that fails: the error is logged and the user gets the apology (in Dutch)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.core.roles import Role
from tests.support.harness import BotHarness, texts


async def test_a_failing_handler_apologises_to_the_user(sqlite_bot: BotHarness) -> None:
    async def boom(update: Update, context: Any) -> None:
        raise RuntimeError("a bug")

    sqlite_bot.application.add_handler(CommandHandler("boem", boom), 0)
    consulent = await sqlite_bot.staff(Role.CONSULENT)
    shown = "\n".join(texts(await sqlite_bot.driver.text(consulent, "/boem")))
    assert "Er ging iets mis aan mijn kant" in shown
