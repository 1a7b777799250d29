"""The privacy filter (group -2): no BSN and no IBAN gets past the door.

Runs after the access middleware and before every feature. Any text or caption, in any chat,
holding a nine-digit number that passes the elfproef (as people type it) or an IBAN is refused:
the message is deleted where Telegram allows, nothing of it is stored, the sender is told why,
and an audit row records the refusal without the number.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.core.render import render
from bot.core.ui import Reply
from bot.privacy import service as privacy
from bot.runtime import BotContext
from handlers.common import answer


async def _screen(update: Update, context: BotContext) -> tuple[list[str], bool] | None:
    """Screen the message; when it holds a BSN or IBAN, delete it: (kinds, deleted)."""
    message = update.effective_message
    if message is None:
        return None
    text = message.text or message.caption
    if not text:
        return None
    actor = context.actor
    refusal = await privacy.screen(
        context.runtime.db,
        text,
        now=context.runtime.clock.now(),
        telegram_user_id=update.effective_user.id if update.effective_user else None,
        staff_id=actor.staff_id if actor else None,
    )
    if refusal is None:
        return None
    try:
        await message.delete()
        deleted = True
    except TelegramError:
        deleted = False  # too old, or no right to delete in this group
    return [kind.value for kind in refusal.kinds], deleted


async def refuse_sensitive(update: Update, context: BotContext) -> None:
    """Stop messages that hold a BSN or an IBAN; let everything else through."""
    screened = await _screen(update, context)
    if screened is None:
        return
    kinds, deleted = screened
    await answer(
        update, context, Reply(render("privacy/privacy_refused", kinds=kinds, deleted=deleted))
    )
    raise ApplicationHandlerStop


async def delete_sensitive(update: Update, context: BotContext) -> None:
    """For a group message the access middleware ignores (a stranger's, one in a group not
    linked yet): delete it when it holds a BSN or IBAN, and say nothing to its sender."""
    await _screen(update, context)
