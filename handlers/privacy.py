"""The privacy filter (group -2): no BSN and no IBAN gets past the door, and no phone number,
e-mail address, date of birth or special-category word without its sender's say-so.

Runs after the access middleware and before every feature. Any text or caption, in any chat,
holding a nine-digit number that passes the elfproef (as people type it) or an IBAN is refused:
the message is deleted where Telegram allows, nothing of it is stored, the sender is told why,
and an audit row records the refusal without the number.

A text with a personal detail (:func:`bot.privacy.rules.find_personal`) is held back in a
private chat: the sender is asked to rephrase, or to confirm it holds no personal data. On
"Dit is geen persoonsgegeven" the held update is processed again from the top (access, this
filter, which lets it pass once, then the command, open form or chat-style text it was meant
for), exactly as if it had passed the first time. In a group nothing is held and nothing is
asked there: the message is deleted (where the bot may) and its sender told privately, because
a group is never the place for client details and the bot never echoes them to one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.core.render import render
from bot.core.ui import Reply
from bot.privacy import service as privacy
from bot.privacy.views import HELD_BUTTONS, group_notice, held_gone, rephrase_reply, warning_reply
from bot.runtime import BotContext
from handlers.common import answer, answer_tap, is_private, send

log = logging.getLogger(__name__)


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
    """Stop messages that hold a BSN or an IBAN; hold back those with a personal detail; let
    everything else through."""
    screened = await _screen(update, context)
    if screened is not None:
        kinds, deleted = screened
        await answer(
            update, context, Reply(render("privacy/privacy_refused", kinds=kinds, deleted=deleted))
        )
        raise ApplicationHandlerStop
    await _hold_personal(update, context)


async def _delete(message: Message) -> bool:
    try:
        await message.delete()
        return True
    except TelegramError:
        return False  # too old, or no right to delete in this group


async def _hold_personal(update: Update, context: BotContext) -> None:
    """Warn about a phone number, e-mail address, date of birth or special-category word."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or update.edited_message is not None:
        return  # an edit is stopped in the next group and never stored
    text = message.text or message.caption
    if not text:
        return
    runtime = context.runtime
    held = runtime.held_texts
    if held.take_release(message.chat_id, message.message_id):
        return  # confirmed by its sender: this is the replay
    actor = context.actor
    words = (
        context.team.special_category_words
        if actor is not None
        else runtime.config.privacy.special_category_words
    )
    private = is_private(update)
    caution = await privacy.warn(
        runtime.db,
        held,
        text,
        now=runtime.clock.now(),
        ttl=timedelta(minutes=runtime.config.form_timeout_minutes),
        special_words=words,
        user_id=user.id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        staff_id=actor.staff_id if actor else None,
        private=private,
        payload=update,
    )
    if caution is None:
        return
    if private:
        await answer(update, context, warning_reply(caution))
    else:
        deleted = await _delete(message)
        try:
            await send(context, user.id, group_notice(caution, deleted=deleted))
        except TelegramError:
            # They never opened a private chat with the bot: the group still hears nothing.
            log.warning("could not tell user %s privately about a held group message", user.id)
    raise ApplicationHandlerStop


async def on_held_button(update: Update, context: BotContext) -> None:
    """ "Dit is geen persoonsgegeven" (replay the held message) or "Herformuleer" (drop it)."""
    query = update.callback_query
    user = update.effective_user
    tap = HELD_BUTTONS.decode(query.data if query else None)
    if query is None or user is None or tap is None or not tap.args:
        return  # the tap fallback answers it
    runtime = context.runtime
    actor = context.actor
    token = tap.args[0]
    now = runtime.clock.now()
    staff_id = actor.staff_id if actor else None
    if isinstance(query.message, Message):
        try:
            await outbound.drop_keyboard(
                context.bot, query.message.chat.id, query.message.message_id
            )
        except TelegramError:
            log.info("could not drop the buttons of a privacy warning", exc_info=True)
    if tap.action == "no":
        if await privacy.withdraw(
            runtime.db, runtime.held_texts, token, now=now, user_id=user.id, staff_id=staff_id
        ):
            await answer_tap(update, context)
            await answer(update, context, rephrase_reply())
        else:
            await answer_tap(update, context, held_gone())
        return
    entry = await privacy.confirm(
        runtime.db, runtime.held_texts, token, now=now, user_id=user.id, staff_id=staff_id
    )
    if entry is None:
        await answer_tap(update, context, held_gone())
        return
    await answer_tap(update, context)
    # The held message goes through every handler group again, as a fresh update; the filter
    # lets it pass once (released above), everything else judges it as on its first arrival.
    await context.application.process_update(entry.payload)


async def delete_sensitive(update: Update, context: BotContext) -> None:
    """For a group message the access middleware ignores (a stranger's, one in a group not
    linked yet): delete it when it holds a BSN or IBAN, and say nothing to its sender."""
    await _screen(update, context)
