"""The one error handler: log with the traceback, tell the person in neutral Dutch."""

from __future__ import annotations

import logging

from telegram import Update

from bot import outbound
from bot.core.render import render
from bot.core.ui import Reply
from bot.runtime import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log first (the update id only: updates can hold client references), then apologise."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await outbound.send_reply(
                context.bot, update.effective_chat.id, Reply(render("common/error"))
            )
        except Exception:  # the apology is best effort; the error is already logged
            log.warning("could not tell the user about the error", exc_info=True)
