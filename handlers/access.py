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
from bot.core.render import render
from bot.core.ui import Reply
from bot.runtime import BotContext
from storage import staff, teams


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
        and message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        and (message.text or "").split("@")[0].split(" ")[0] == "/koppel"
    )


async def identify(update: Update, context: BotContext) -> None:
    """Look the sender up; stop the update for anyone who is not active staff."""
    user = update.effective_user
    chat = update.effective_chat
    if update.my_chat_member is not None:
        return  # membership changes are handled by the group handler, which checks the adder
    if user is None or user.is_bot or chat is None:
        raise ApplicationHandlerStop
    runtime = context.runtime
    now = runtime.clock.now()
    in_group = chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
    # Decide inside the transaction, talk to Telegram after it committed (audit rows survive).
    decision = "pass"
    async with runtime.db.transaction() as session:
        actor = await staff.get_active_staff(session, user.id)
        context.actor = actor
        if in_group:
            linked = await teams.team_for_group(session, chat.id)
            if linked is None and not _is_group_link(update):
                decision = "leave"
            elif actor is None or (linked is not None and linked.id != actor.team_id):
                await access.note_stranger(session, user.id, now, "group")
                decision = "ignore"
        elif chat.type != ChatType.PRIVATE:
            decision = "ignore"  # channels: not ours
        elif actor is None and not _is_invitation(update):
            reply_now = await access.note_stranger(session, user.id, now, update_kind(update))
            decision = "refuse" if reply_now else "ignore"
    if decision == "pass":
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    if decision == "leave":
        # A group nobody linked: one line, then leave.
        await outbound.send_reply(context.bot, chat.id, Reply(render("group_not_linked")))
        await context.bot.leave_chat(chat.id)
    elif decision == "refuse":
        await outbound.send_reply(context.bot, chat.id, Reply(render("stranger")))
    raise ApplicationHandlerStop


def update_kind(update: Update) -> str:
    """A short, data-free description of the update for the audit log."""
    if update.callback_query is not None:
        return "button"
    if update.message is not None and update.message.text is not None:
        return "command" if update.message.text.startswith("/") else "text"
    if update.message is not None:
        return "media"
    return "other"
