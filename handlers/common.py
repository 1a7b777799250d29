"""Small helpers shared by handlers: sending a rendered reply, the chat kind."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType

from bot.core.render import split_message
from bot.forms.engine import Keyboard, Reply
from bot.runtime import BotContext


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram markup for our keyboard (``None`` when there are no buttons)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


async def send(context: BotContext, chat_id: int, reply: Reply) -> Message | None:
    """Send ``reply`` to ``chat_id``, split at 4,096 characters; buttons go on the last part."""
    parts = split_message(reply.text)
    last: Message | None = None
    for index, part in enumerate(parts):
        keyboard = markup(reply.keyboard) if index == len(parts) - 1 else None
        last = await context.bot.send_message(chat_id, part, reply_markup=keyboard)
    return last


async def answer(update: Update, context: BotContext, reply: Reply) -> Message | None:
    """Send ``reply`` to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await send(context, chat.id, reply)


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat."""
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
