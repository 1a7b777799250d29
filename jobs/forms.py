"""Ends forms after a silence (default 30 minutes) and tells the person."""

from __future__ import annotations

from datetime import timedelta

from telegram.error import Forbidden

from bot import outbound
from bot.forms import service as form_service
from bot.runtime import BotContext


async def expire_forms(context: BotContext) -> None:
    """Remove stale forms and say so; the next message then starts fresh."""
    runtime = context.runtime
    silence = timedelta(minutes=runtime.config.form_timeout_minutes)
    cutoff = runtime.clock.now() - silence
    expired = await form_service.take_expired(runtime.db, cutoff)
    for stored in expired:
        try:
            reply = form_service.expired_reply(stored.form, silence)
            await outbound.send_reply(context.bot, stored.chat_id, reply)
        except Forbidden:
            continue  # the person blocked the bot; the form is gone either way
