"""Staff-facing basics: /start, /help, /team, /koppel, and the bot joining groups."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.access import service as access
from bot.commands import COMMANDS, commands_for
from bot.core.callbacks import decode, encode
from bot.core.render import render
from bot.core.ui import Button, Reply
from bot.runtime import BotContext
from handlers.common import answer, is_private
from storage import staff, teams

TEAM_NS = "team"


async def start(update: Update, context: BotContext) -> None:
    """``/start`` greets staff by role; ``/start <code>`` redeems an invitation."""
    user = update.effective_user
    if user is None or not is_private(update):
        return
    args = context.args or []
    if context.actor is not None and not args:
        await answer(update, context, Reply(render("start_staff", member=context.actor)))
        return
    code = args[0] if args else ""
    async with context.runtime.db.transaction() as session:
        outcome, member = await access.redeem_invitation(
            session,
            code=code,
            telegram_user_id=user.id,
            display_name=user.full_name or user.first_name,
            now=context.runtime.clock.now(),
        )
    await answer(update, context, Reply(render("start_redeem", outcome=outcome, member=member)))


async def help_command(update: Update, context: BotContext) -> None:
    """``/help``: the commands the caller's roles may use."""
    member = context.staff
    await answer(
        update, context, Reply(render("help", member=member, commands=commands_for(member.roles)))
    )


async def team(update: Update, context: BotContext) -> None:
    """``/team``: the team with roles; managers get a deactivate button per colleague."""
    member = context.staff
    async with context.runtime.db.transaction() as session:
        colleagues = await staff.list_staff(session, member.team_id)
    keyboard: list[list[Button]] = []
    if access.may_manage(member) and is_private(update):
        keyboard = [
            [Button(f"Deactiveer {c.display_name}", encode(TEAM_NS, "off", c.staff_id))]
            for c in colleagues
            if c.staff_id != member.staff_id
        ]
    await answer(
        update, context, Reply(render("team", member=member, colleagues=colleagues), keyboard)
    )


async def team_button(update: Update, context: BotContext) -> None:
    """Deactivation taps: ``off`` asks to confirm, ``offok`` does it. Re-authorised each time."""
    query = update.callback_query
    if query is None:
        return
    tap = decode(query.data)
    staff_id = tap.int_arg(0) if tap else None
    if tap is None or staff_id is None:
        await query.answer()
        return
    member = context.staff
    if tap.action == "off":
        async with context.runtime.db.transaction() as session:
            target = await staff.get_staff(session, staff_id)
        await query.answer()
        if target is None or not target.active or not access.may_manage(member):
            await answer(update, context, Reply(render("team_deactivate_gone")))
            return
        keyboard = [
            [
                Button("Ja, deactiveren", encode(TEAM_NS, "offok", staff_id)),
                Button("Nee", encode(TEAM_NS, "keep", staff_id)),
            ]
        ]
        await answer(update, context, Reply(render("team_confirm", target=target), keyboard))
        return
    if tap.action == "keep":
        await query.answer("Niets veranderd.")
        await query.edit_message_reply_markup(reply_markup=None)
        return
    async with context.runtime.db.transaction() as session:
        outcome, target = await access.deactivate_member(
            session, member, staff_id, context.runtime.clock.now()
        )
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    await answer(update, context, Reply(render("team_deactivated", outcome=outcome, target=target)))


async def link_group(update: Update, context: BotContext) -> None:
    """``/koppel`` in a group: make it the team's group (teamleider or admin only)."""
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type == ChatType.PRIVATE:
        await answer(update, context, Reply(render("koppel_private")))
        return
    async with context.runtime.db.transaction() as session:
        outcome = await access.link_group(
            session, context.actor, chat.id, context.runtime.clock.now()
        )
    await answer(update, context, Reply(render("koppel", outcome=outcome, member=context.actor)))
    if outcome in (access.GroupLink.NOT_ALLOWED, access.GroupLink.OTHER_TEAM):
        async with context.runtime.db.transaction() as session:
            linked = await teams.team_for_group(session, chat.id)
        if linked is None:
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
    async with context.runtime.db.transaction() as session:
        linked = await teams.team_for_group(session, change.chat.id)
        adder = await staff.get_active_staff(session, change.from_user.id)
    if linked is not None:
        return
    if adder is not None and access.may_manage(adder):
        await outbound.send_reply(context.bot, change.chat.id, Reply(render("group_added")))
        return
    await outbound.send_reply(context.bot, change.chat.id, Reply(render("group_not_linked")))
    await context.bot.leave_chat(change.chat.id)
    raise ApplicationHandlerStop


def published_commands() -> list[BotCommand]:
    """The Dutch command list for Telegram's menu."""
    return [BotCommand(c.name, c.description) for c in COMMANDS]


async def edited_message(update: Update, context: BotContext) -> None:
    """An edited message changes nothing that was saved; say so once, privately, and stop."""
    if is_private(update):
        await answer(update, context, Reply(render("edit_ignored")))
    raise ApplicationHandlerStop


async def unknown_command(update: Update, context: BotContext) -> None:
    """A private ``/command`` that is not in the catalogue gets a pointer to /help."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split()[0][1:].split("@")[0].lower()
    if name not in {command.name for command in COMMANDS}:
        await answer(update, context, Reply(render("unknown_command")))
