"""Staff-facing basics: /start, /help, /team, /koppel, and the bot joining groups."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot import menus, outbound
from bot.access import service as access
from bot.access.rules import Deactivation, Redemption
from bot.access.views import TEAM_BUTTONS, confirm_deactivation, team_reply
from bot.commands import commands_for, is_known
from bot.core.render import render
from bot.core.ui import Reply
from bot.route import people_service as people
from bot.route.people_views import ask_receiver_reply, deactivated_reply
from bot.runtime import BotContext
from handlers.common import answer, answer_tap, is_private, show_page


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
    if outcome == Redemption.JOINED and member is not None:
        await menus.publish_member(context.bot, member)


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
    """Deactivation taps: ``off`` asks to confirm, ``offok`` does it (or first asks who takes
    over the colleague's clients and deadlines), ``give`` does it with that colleague.
    Re-authorised each time."""
    query = update.callback_query
    if query is None:
        return
    tap = TEAM_BUTTONS.decode(query.data)
    if tap is not None and tap.action == "page":
        await answer_tap(update, context)
        await show_page(update, context, await _team_page(update, context, tap.offset_arg(0) or 0))
        return
    staff_id = tap.int_arg(0) if tap else None
    if tap is None or staff_id is None:
        await answer_tap(update, context)
        return
    member = context.staff
    db = context.runtime.db
    if tap.action == "off":
        outcome, target = await access.deactivation_target(db, member, staff_id)
        await answer_tap(update, context)
        if target is None:
            text = render("access/team_deactivated", outcome=outcome, target=None)
            await answer(update, context, Reply(text))
            return
        await answer(update, context, confirm_deactivation(target, staff_id))
        return
    if tap.action == "keep":
        await answer_tap(update, context, render("access/team_kept"))
        await _drop_keyboard(update, context)
        return
    # "offok" (and "give", with the colleague who takes the work over): someone who still owns
    # clients or open deadlines is deactivated only together with handing it all over.
    result = await people.deactivate_colleague(
        db,
        member,
        staff_id,
        receiver_id=tap.int_arg(1) if tap.action == "give" else None,
        config=context.team.deadlines,
        now=context.runtime.clock.now(),
    )
    await answer_tap(update, context)
    await _drop_keyboard(update, context)
    if isinstance(result, people.AskReceiver):
        await answer(update, context, ask_receiver_reply(result))
        return
    await answer(update, context, deactivated_reply(result))
    await outbound.deliver(context.bot, result.outbox)
    if result.outcome == Deactivation.DONE and result.target is not None:
        await menus.withdraw(context.bot, result.target.telegram_user_id)


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
    outcome = await access.link_group(runtime.db, context.actor, chat.id, runtime.clock.now())
    await answer(
        update, context, Reply(render("access/koppel", outcome=outcome, member=context.actor))
    )


#: The bot is in the group (an administrator is a member too).
PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
#: The bot is out of the group: it left, or someone removed or banned it.
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot joined or left a group.

    Added by a teamleider or admin: it stays and says once how to link the group. Added by
    anyone else: one line, and it leaves. Removed from (or left) the team's group: the link is
    cleared. Other changes (promoted to group admin, restricted) say nothing.
    """
    change = update.my_chat_member
    if change is None or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    chat_id, runtime = change.chat.id, context.runtime
    if new in GONE:
        await access.group_left(runtime.db, chat_id, change.from_user.id, runtime.clock.now())
        raise ApplicationHandlerStop
    if new not in PRESENT or old in PRESENT:
        return
    decision = await access.membership(runtime.db, chat_id, change.from_user.id)
    if decision == access.Membership.LINKED:
        return
    if decision == access.Membership.WELCOME:
        await outbound.send_reply(context.bot, chat_id, Reply(render("access/group_added")))
        return
    await outbound.send_reply(context.bot, chat_id, Reply(render("access/group_not_linked")))
    await context.bot.leave_chat(chat_id)
    raise ApplicationHandlerStop


async def group_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup with a new id: the team's link moves with it.

    Telegram posts a service message in both chats (``migrate_to_chat_id`` in the old one,
    ``migrate_from_chat_id`` in the new one); either moves the link, the second finds it moved.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    runtime = context.runtime
    await access.group_migrated(runtime.db, old, new, runtime.clock.now())
    raise ApplicationHandlerStop


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
