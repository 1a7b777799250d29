"""Small helpers shared by handlers: sending a rendered reply, the chat kind, answering taps,
and the wrapper every guard runs in."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.core.render import render
from bot.core.ui import Button, Reply
from bot.runtime import BotContext

log = logging.getLogger(__name__)

#: Telegram shows at most 200 characters of a tap's answer.
TAP_ANSWER_LIMIT = 200

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


async def send(context: BotContext, chat_id: int, reply: Reply) -> Message | None:
    """Send ``reply`` to ``chat_id`` through :mod:`bot.outbound`."""
    return await outbound.send_reply(context.bot, chat_id, reply)


async def answer(update: Update, context: BotContext, reply: Reply) -> Message | None:
    """Send ``reply`` to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await send(context, chat.id, reply)


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat."""
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def answer_tap(update: Update, context: BotContext, text: str | None = None) -> None:
    """Answer the update's button tap (stops the spinner), at most once per update.

    The only way handlers answer a tap: it records that the tap was answered, so the fallback in
    the last handler group (:func:`tap_fallback`) answers every tap nobody else did.
    """
    query = update.callback_query
    if query is None or context.tap_answered:
        return
    context.tap_answered = True
    await query.answer(text[:TAP_ANSWER_LIMIT] if text else None)


async def tap_fallback(update: Update, context: BotContext) -> None:
    """Last handler group: a tap no handler answered (unknown, garbled or stale data, or a
    handler that failed) still gets an answer, so no spinner keeps turning."""
    await answer_tap(update, context, render("common/button_gone"))


async def private_redirect(update: Update, context: BotContext, command: str) -> None:
    """In a group: point to the private chat, with a button that opens it."""
    link = f"https://t.me/{context.bot.username}"
    button = Button(render("caselog/open_private_button"), url=link)
    reply = Reply(render("common/group_redirect", command=command), [[button]])
    await answer(update, context, reply)


def guard(handler: Callback) -> Callback:
    """Run a guard (access, privacy, edit stop, membership) so that it fails closed.

    A guard that raises lets nothing through: the error is logged, a tap is answered (best
    effort), and the update stops here, so no feature handler runs on an update its guard could
    not judge.
    """

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        try:
            await handler(update, context)
        except ApplicationHandlerStop:
            raise
        except Exception:
            update_id = update.update_id if isinstance(update, Update) else None
            log.exception("guard %s failed on update %s: stopped", handler.__name__, update_id)
            try:
                await answer_tap(update, context)
            except TelegramError:
                log.warning("could not answer the tap of update %s", update_id, exc_info=True)
            raise ApplicationHandlerStop from None

    return guarded
