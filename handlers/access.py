"""The access middleware (group -3): who is this? Strangers are stopped here.

Runs before every other handler. Sets ``context.actor`` for active staff. Anyone else gets one
fixed reply that reveals nothing (at most once an hour), an audit row, and no other handler runs.
The only thing a stranger can do is redeem an invitation with ``/start <code>``.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.access import service as access
from bot.access.rules import UpdateKind
from bot.core.render import render
from bot.core.ui import Reply
from bot.runtime import BotContext

GROUP_CHATS = (ChatType.GROUP, ChatType.SUPERGROUP)


def _is_invitation(update: Update) -> bool:
    message = update.message
    return (
        message is not None
        and message.chat.type == ChatType.PRIVATE
        and (message.text or "").startswith("/start ")
    )


def _is_group_link(update: Update) -> bool:
    message = update.message
    return (
        message is not None
        and message.chat.type in GROUP_CHATS
        and (message.text or "").split("@")[0].split(" ")[0] == "/koppel"
    )


def _chat_kind(chat_type: str) -> access.ChatKind:
    if chat_type in GROUP_CHATS:
        return access.ChatKind.GROUP
    if chat_type == ChatType.PRIVATE:
        return access.ChatKind.PRIVATE
    return access.ChatKind.OTHER


async def identify(update: Update, context: BotContext) -> None:
    """Look the sender up; stop the update for anyone who is not active staff."""
    user = update.effective_user
    chat = update.effective_chat
    if update.my_chat_member is not None:
        return  # membership changes are handled by the group handler, which checks the adder
    if user is None or user.is_bot or chat is None:
        raise ApplicationHandlerStop
    runtime = context.runtime
    # Decided (and audited) in the service's transaction; Telegram hears of it after commit.
    identity = await access.identify(
        runtime.db,
        telegram_user_id=user.id,
        chat_id=chat.id,
        chat=_chat_kind(chat.type),
        kind=update_kind(update),
        is_invitation=_is_invitation(update),
        is_group_link=_is_group_link(update),
        now=runtime.clock.now(),
    )
    context.actor = identity.actor
    if identity.door == access.Door.PASS:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    if identity.door == access.Door.LEAVE:
        # A group nobody linked: one line, then leave.
        await outbound.send_reply(context.bot, chat.id, Reply(render("access/group_not_linked")))
        await context.bot.leave_chat(chat.id)
    elif identity.door == access.Door.REFUSE:
        await outbound.send_reply(context.bot, chat.id, Reply(render("access/stranger")))
    raise ApplicationHandlerStop


def update_kind(update: Update) -> UpdateKind:
    """A short, data-free description of the update for the audit log."""
    if update.callback_query is not None:
        return UpdateKind.BUTTON
    if update.message is not None and update.message.text is not None:
        return UpdateKind.COMMAND if update.message.text.startswith("/") else UpdateKind.TEXT
    if update.message is not None:
        return UpdateKind.MEDIA
    return UpdateKind.OTHER
