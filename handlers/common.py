"""Small helpers shared by handlers: sending a rendered reply, the chat kind."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType, MessageLimit

from bot import outbound
from bot.core.ui import Reply
from bot.runtime import BotContext


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


async def show_page(update: Update, context: BotContext, reply: Reply) -> None:
    """A "Vorige"/"Meer" tap: the new page in place of the message tapped (when it fits in one
    message), else as a new message."""
    query = update.callback_query
    message = query.message if query is not None else None
    if message is not None and len(reply.text) <= MessageLimit.MAX_TEXT_LENGTH:
        await outbound.replace_reply(context.bot, message.chat.id, message.message_id, reply)
        return
    await answer(update, context, reply)
