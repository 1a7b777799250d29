"""The access middleware (group -3): who is this? Strangers are stopped here. And the private
scope (group -1): private-only commands and buttons never run in a group.

Runs before every other handler. Sets ``context.actor`` for active staff. Anyone else gets one
fixed reply that reveals nothing (at most once an hour), an audit row, and no other handler runs.
The only thing a stranger can do is redeem an invitation with ``/start <code>``. In a group not
linked (yet) only a staff member's ``/koppel`` gets through; whether the bot stays in a group is
decided when it is added (``handlers.admin.bot_membership``), not by what is said there.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.access import service as access
from bot.access.rules import UpdateKind
from bot.commands import is_private_only
from bot.core.callbacks import family_of
from bot.core.render import render
from bot.core.ui import Reply
from bot.runtime import BotContext
from handlers import privacy
from handlers.common import answer_tap, private_redirect

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
        cache=runtime.access_cache,
    )
    context.actor = identity.actor
    if identity.door == access.Door.PASS:
        return
    await answer_tap(update, context)
    if identity.door == access.Door.REFUSE:
        await outbound.send_reply(context.bot, chat.id, Reply(render("access/stranger")))
    elif chat.type in GROUP_CHATS:
        # Nothing for the sender, but a BSN they posted in the group still goes: the privacy
        # filter runs after this stop, so an ignored group message is screened here.
        await privacy.delete_sensitive(update, context)
    raise ApplicationHandlerStop


def command_name(update: Update, bot_username: str) -> str | None:
    """The catalogue name of the ``/command`` the message starts with, as PTB would route it.

    ``None`` for no command, or one addressed to another bot (``/termijnen@other_bot``).
    """
    message = update.message
    text = message.text if message is not None else None
    if not text or not text.startswith("/"):
        return None
    name, _, target = text.split(maxsplit=1)[0][1:].partition("@")
    if target and target.lower() != bot_username.lower():
        return None
    return name.lower()


async def private_scope(update: Update, context: BotContext) -> None:
    """In a group, a private-only command or button goes no further (the one place this is
    decided, from the command catalogue and the button families).

    Runs after the privacy filter, so a BSN in ``/succes REF …`` typed in the group is deleted
    before the redirect.
    """
    chat = update.effective_chat
    if chat is None or chat.type not in GROUP_CHATS:
        return
    name = command_name(update, context.bot.username)
    if name is not None and is_private_only(name):
        await private_redirect(update, context, name)
        raise ApplicationHandlerStop
    query = update.callback_query
    if query is not None:
        tapped = family_of(query.data)
        if tapped is not None and tapped.private_only:
            await answer_tap(update, context, render("common/private_only"))
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
