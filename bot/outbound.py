"""The one way out to Telegram, for handlers and jobs alike.

Features hand over plain values (:class:`~bot.core.ui.Reply`, :class:`~bot.core.ui.Document`);
this module turns them into Bot API calls: long texts are split by the one splitter
(:func:`bot.core.render.split_message`, at Telegram's limits from ``telegram.constants``),
buttons go on the last part, and a failure is classified per chat into a
:class:`~bot.core.vocabulary.DeliveryStatus` (the codes the reminder ledger stores), so one chat
that blocked the bot never keeps the others from getting theirs.

A service that must send after its transaction commits queues messages in an :class:`Outbox`;
the caller delivers it once the transaction is closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Message,
)
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.render import split_message
from bot.core.ui import Button, Document, DocumentMaker, Keyboard, Outbox, Reply
from bot.core.vocabulary import DeliveryStatus

__all__ = [
    "DocumentMaker",
    "Outbox",
    "PartlySent",
    "deliver",
    "drop_keyboard",
    "markup",
    "outcome_of",
    "replace_reply",
    "send_document",
    "send_reply",
]

log = logging.getLogger(__name__)


def outcome_of(error: TelegramError) -> DeliveryStatus:
    """The outcome a Bot API error stands for."""
    if isinstance(error, RetryAfter):
        return DeliveryStatus.RETRY
    if isinstance(error, Forbidden | BadRequest):
        return DeliveryStatus.FAILED
    if isinstance(error, NetworkError):
        return DeliveryStatus.UNKNOWN
    return DeliveryStatus.FAILED


class PartlySent(Exception):
    """Some parts of a long text were sent, then sending stopped (a retry would repeat them)."""

    def __init__(self, parts_sent: int, cause: TelegramError) -> None:
        super().__init__(f"{parts_sent} part(s) sent, then stopped: {cause}")
        self.parts_sent = parts_sent
        self.cause = cause


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram markup for our keyboard (``None`` when there are no buttons)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in keyboard])


def _button(button: Button) -> InlineKeyboardButton:
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=button.data)


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> Message | None:
    """Send ``reply`` to ``chat_id``, split at Telegram's limit; buttons go on the last part.

    Raises the Bot API error when the first part fails, and :class:`PartlySent` when a later
    part fails after earlier ones went out.
    """
    parts = split_message(reply.text, MessageLimit.MAX_TEXT_LENGTH)
    last: Message | None = None
    for index, part in enumerate(parts):
        keyboard = markup(reply.keyboard) if index == len(parts) - 1 else None
        try:
            last = await bot.send_message(
                chat_id, part, reply_markup=keyboard, protect_content=reply.protect_content
            )
        except TelegramError as error:
            if index:
                raise PartlySent(index, error) from error
            raise
    return last


async def replace_reply(bot: Bot, chat_id: int, message_id: int, reply: Reply) -> None:
    """Show ``reply`` in place of an earlier message of ours (a multi-select toggle)."""
    await bot.edit_message_text(
        reply.text, chat_id=chat_id, message_id=message_id, reply_markup=markup(reply.keyboard)
    )


async def drop_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    """Remove the buttons of an earlier message of ours, so they cannot be tapped twice."""
    await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)


async def send_document(bot: Bot, chat_id: int, document: Document) -> Message:
    """Send a file with its caption (cut to Telegram's caption limit)."""
    return await bot.send_document(
        chat_id,
        InputFile(document.data, filename=document.filename),
        caption=document.caption[: MessageLimit.CAPTION_LENGTH] or None,
        protect_content=document.protect_content,
    )


async def send_album(
    bot: Bot, chat_id: int, photos: Sequence[tuple[str, bytes]], caption: str = ""
) -> None:
    """Send PNGs as one album (a media group of 2-10 photos; one photo goes alone). The first
    photo carries ``caption``; each file is named after its title."""
    if len(photos) == 1:
        title, data = photos[0]
        await bot.send_photo(chat_id, InputFile(data, filename=f"{title}.png"), caption=caption)
        return
    media = [
        # Raw bytes, not an InputFile: only so does PTB attach each photo under its own name.
        InputMediaPhoto(
            data,
            filename=f"grafiek-{index + 1}.png",
            caption=caption[: MessageLimit.CAPTION_LENGTH] if index == 0 and caption else None,
        )
        for index, (_, data) in enumerate(photos[:10])
    ]
    await bot.send_media_group(chat_id, media, protect_content=True)


async def deliver(bot: Bot, outbox: Outbox) -> list[tuple[int, DeliveryStatus]]:
    """Send everything in ``outbox``; a chat that fails does not keep the others from theirs.

    Returns the outcome per queued message, in order (replies first, then documents).
    """
    outcomes: list[tuple[int, DeliveryStatus]] = []
    for chat_id, reply in outbox.replies:
        outcomes.append((chat_id, await _attempt(chat_id, send_reply(bot, chat_id, reply))))
    made: dict[int, Document] = {}
    for chat_id, item in outbox.documents:
        if isinstance(item, Document):
            document = item
        else:
            if id(item) not in made:
                made[id(item)] = await asyncio.to_thread(item)
            document = made[id(item)]
        outcomes.append((chat_id, await _attempt(chat_id, send_document(bot, chat_id, document))))
    return outcomes


async def _attempt(chat_id: int, sending: Awaitable[object]) -> DeliveryStatus:
    try:
        await sending
    except PartlySent as partly:
        log.warning(
            "sending to chat %s stopped after part %s: %s", chat_id, partly.parts_sent, partly.cause
        )
        return outcome_of(partly.cause)
    except TelegramError as error:
        log.warning("sending to chat %s failed: %s", chat_id, error)
        return outcome_of(error)
    return DeliveryStatus.SENT
