"""Ends forms after a silence (default 30 minutes) and tells the person."""

from __future__ import annotations

from datetime import timedelta

from telegram.error import Forbidden

from bot import outbound
from bot.core.render import render
from bot.core.ui import Reply
from bot.forms.engine import command_for
from bot.runtime import BotContext
from storage import forms as form_store


async def expire_forms(context: BotContext) -> None:
    """Remove stale forms and say so; the next message then starts fresh."""
    runtime = context.runtime
    cutoff = runtime.clock.now() - timedelta(minutes=runtime.config.form_timeout_minutes)
    async with runtime.db.transaction() as session:
        expired = await form_store.take_expired_forms(session, cutoff)
    for stored in expired:
        try:
            await outbound.send_reply(
                context.bot,
                stored.chat_id,
                Reply(render("form_expired", command=command_for(stored.form))),
            )
        except Forbidden:
            continue  # the person blocked the bot; the form is gone either way
