"""Staff-facing basics: /start, /help, /team, /koppel, and the bot joining groups."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.access import service as access
from bot.access.views import TEAM_BUTTONS, confirm_deactivation, team_reply
from bot.commands import COMMANDS, commands_for, is_known
from bot.core.render import render
from bot.core.ui import Reply
from bot.runtime import BotContext
from handlers.common import answer, is_private, show_page


async def start(update: Update, context: BotContext) -> None:
    """``/start`` greets staff by role; ``/start <code>`` redeems an invitation."""
    user = update.effective_user
    if user is None or not is_private(update):
        return
    args = context.args or []
    if context.actor is not None and not args:
        await answer(update, context, Reply(render("access/start_staff", member=context.actor)))
        return
    outcome, member = await access.redeem(
        context.runtime.db,
        code=args[0] if args else "",
        telegram_user_id=user.id,
        display_name=user.full_name or user.first_name,
        now=context.runtime.clock.now(),
    )
    reply = Reply(render("access/start_redeem", outcome=outcome, member=member))
    await answer(update, context, reply)


async def help_command(update: Update, context: BotContext) -> None:
    """``/help``: the commands the caller's roles may use."""
    member = context.staff
    text = render("access/help", member=member, commands=commands_for(member.roles))
    await answer(update, context, Reply(text))


async def team(update: Update, context: BotContext) -> None:
    """``/team``: the team with roles; managers get a deactivate button per colleague."""
    await answer(update, context, await _team_page(update, context, 0))


async def _team_page(update: Update, context: BotContext, offset: int) -> Reply:
    member = context.staff
    overview = await access.team_overview(context.runtime.db, member, offset)
    # Buttons only in the private chat: a group never gets to deactivate anyone.
    deactivatable = overview.deactivatable if is_private(update) else ()
    return team_reply(member, overview.colleagues, deactivatable, overview.page)


async def team_button(update: Update, context: BotContext) -> None:
    """Deactivation taps: ``off`` asks to confirm, ``offok`` does it. Re-authorised each time."""
    query = update.callback_query
    if query is None:
        return
    tap = TEAM_BUTTONS.decode(query.data)
    staff_id = tap.int_arg(0) if tap else None
    if tap is None or staff_id is None:
        await query.answer()
        return
    member = context.staff
    db = context.runtime.db
    if tap.action == "page":
        await query.answer()
        await show_page(update, context, await _team_page(update, context, staff_id))
        return
    if tap.action == "off":
        target = await access.deactivation_target(db, member, staff_id)
        await query.answer()
        if target is None:
            await answer(update, context, Reply(render("access/team_deactivate_gone")))
            return
        await answer(update, context, confirm_deactivation(target, staff_id))
        return
    if tap.action == "keep":
        await query.answer(render("access/team_kept"))
        await _drop_keyboard(update, context)
        return
    outcome, target = await access.deactivate(db, member, staff_id, context.runtime.clock.now())
    await query.answer()
    await _drop_keyboard(update, context)
    text = render("access/team_deactivated", outcome=outcome, target=target)
    await answer(update, context, Reply(text))


async def _drop_keyboard(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is not None:
        await outbound.drop_keyboard(context.bot, message.chat_id, message.message_id)


async def link_group(update: Update, context: BotContext) -> None:
    """``/koppel`` in a group: make it the team's group (teamleider or admin only)."""
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type == ChatType.PRIVATE:
        await answer(update, context, Reply(render("access/koppel_private")))
        return
    runtime = context.runtime
    linked = await access.link_group(runtime.db, context.actor, chat.id, runtime.clock.now())
    text = render("access/koppel", outcome=linked.outcome, member=context.actor)
    await answer(update, context, Reply(text))
    if linked.leave:
        await context.bot.leave_chat(chat.id)


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot was added to a group: stay only when a teamleider or admin added it."""
    change = update.my_chat_member
    if change is None or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    if change.new_chat_member.status not in (
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
    ):
        return
    chat_id = change.chat.id
    decision = await access.membership(context.runtime.db, chat_id, change.from_user.id)
    if decision == access.Membership.LINKED:
        return
    if decision == access.Membership.WELCOME:
        await outbound.send_reply(context.bot, chat_id, Reply(render("access/group_added")))
        return
    await outbound.send_reply(context.bot, chat_id, Reply(render("access/group_not_linked")))
    await context.bot.leave_chat(chat_id)
    raise ApplicationHandlerStop


def published_commands() -> list[BotCommand]:
    """The Dutch command list for Telegram's menu."""
    return [BotCommand(c.name, c.description) for c in COMMANDS]


async def edited_message(update: Update, context: BotContext) -> None:
    """An edited message changes nothing that was saved; say so once, privately, and stop."""
    if is_private(update):
        await answer(update, context, Reply(render("common/edit_ignored")))
    raise ApplicationHandlerStop


async def unknown_command(update: Update, context: BotContext) -> None:
    """A private ``/command`` that is not in the catalogue gets a pointer to /help."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split()[0][1:].split("@")[0].lower()
    if not is_known(name):
        await answer(update, context, Reply(render("common/unknown_command")))
