"""Deadlines: ``/ontheffing``, ``/contact``, ``/termijnen`` and the digest's buttons.

Buttons (``ddl:<action>:<deadline id>``): ``open`` shows an item card; on the card ``done``
(Gedaan), ``post`` (Uitstellen), ``nvt`` (Niet van toepassing), ``hand`` (Overdragen) and
``give`` (to a colleague). Every tap is re-authorised from the database
(:func:`bot.deadlines.service.tapped`).
"""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import Forbidden

from bot.core.clock import local_today
from bot.core.roles import Role
from bot.core.ui import Reply
from bot.deadlines import service, views
from bot.deadlines.forms import (
    CONTACT_FORM,
    DONE_FORM,
    EXEMPTION_FORM,
    NOT_APPLICABLE_FORM,
    POSTPONE_FORM,
    REVIEW_FORM,
)
from bot.deadlines.rules import FollowUp, follow_up_for
from bot.deadlines.views import DEADLINE_BUTTONS, msg
from bot.route.traject_forms import TRAJECTORY_OUTCOME_FORM
from bot.runtime import BotContext
from handlers.common import answer, answer_tap, send, show_page
from handlers.forms import start_form


async def ontheffing(update: Update, context: BotContext) -> None:
    """``/ontheffing REF``."""
    await start_form(update, context, EXEMPTION_FORM, context.args or [])


async def contact(update: Update, context: BotContext) -> None:
    """``/contact REF``."""
    await start_form(update, context, CONTACT_FORM, context.args or [])


async def termijnen(update: Update, context: BotContext) -> None:
    """``/termijnen``: my open deadlines; a teamleider sees the team's. Overdue first."""
    await answer(update, context, await _termijnen_page(context, 0))


async def _termijnen_page(context: BotContext, offset: int) -> Reply:
    actor = context.staff
    listed = await service.open_items(context.runtime.db, actor, offset)
    team = actor.team_name if actor.has(Role.TEAMLEIDER) else ""
    today = local_today(context.runtime.clock)
    return views.termijnen_reply(today, listed.items, team=team, page=listed.page)


async def on_button(update: Update, context: BotContext) -> None:
    """A deadline button: re-authorise, then show the card or start the short form."""
    query = update.callback_query
    if query is None:
        return
    tap = DEADLINE_BUTTONS.decode(query.data)
    await answer_tap(update, context)
    if tap is not None and tap.action == "page":
        await show_page(update, context, await _termijnen_page(context, tap.offset_arg(0) or 0))
        return
    deadline_id = tap.int_arg(0) if tap is not None else None
    if tap is None or deadline_id is None:
        return
    if tap.action in ("refer", "norefer"):
        await _referral(update, context, tap.action, deadline_id)
        return
    if tap.action == "keep":
        await answer(update, context, Reply(msg("hand_cancelled")))
        return
    if tap.action == "give":
        await _give(update, context, deadline_id, tap.int_arg(1))
        return
    deadline = await service.tapped(context.runtime.db, context.staff, deadline_id)
    if isinstance(deadline, str):
        await answer(update, context, Reply(msg(deadline)))
        return
    args = [str(deadline_id)]
    if tap.action == "open":
        today = local_today(context.runtime.clock)
        text = msg("card", item=deadline, today=today)
        await answer(update, context, Reply(text, views.card_keyboard(deadline_id)))
    elif tap.action == "done":
        follow_up = follow_up_for(deadline.kind, deadline.source_type, deadline.client_ref)
        if follow_up is FollowUp.REVIEW:
            await start_form(update, context, REVIEW_FORM, args)
        elif follow_up is FollowUp.CONTACT and deadline.client_ref:
            await start_form(update, context, CONTACT_FORM, [deadline.client_ref])
        elif follow_up is FollowUp.TRAJECTORY:
            await start_form(update, context, TRAJECTORY_OUTCOME_FORM, args)
        else:
            await start_form(update, context, DONE_FORM, args)
    elif tap.action == "post":
        await start_form(update, context, POSTPONE_FORM, args)
    elif tap.action == "nvt":
        await start_form(update, context, NOT_APPLICABLE_FORM, args)
    elif tap.action == "hand":
        await _ask_colleague(update, context, deadline)


async def _referral(update: Update, context: BotContext, action: str, contact_id: int) -> None:
    """The offered actiepunt after a contact (``deadline_id`` there is the contact's id)."""
    if action == "norefer":
        await answer(update, context, Reply(msg("referral_skipped")))
        return
    done = await service.refer_to_welfare(
        context.runtime.db,
        context.staff,
        contact_id,
        config=context.team.deadlines,
        now=context.runtime.clock.now(),
    )
    if isinstance(done, str):
        await answer(update, context, Reply(msg(done)))
        return
    text = msg("referral_saved", ref=done.client_ref, partner=done.partner, due=done.due)
    await answer(update, context, Reply(text))


async def _ask_colleague(
    update: Update, context: BotContext, deadline: service.OpenDeadline
) -> None:
    people = await service.colleagues_for(context.runtime.db, deadline, context.team.deadlines)
    if not people:
        await answer(update, context, Reply(msg("no_colleagues")))
        return
    text = msg("ask_colleague", kind=deadline.kind, ref=deadline.client_ref or "")
    await answer(update, context, Reply(text, views.colleague_keyboard(deadline.id, people)))


async def _give(
    update: Update, context: BotContext, deadline_id: int, staff_id: int | None
) -> None:
    if staff_id is None:
        return
    db, actor = context.runtime.db, context.staff
    done = await service.hand_over(
        db, actor, deadline_id, to_staff_id=staff_id, config=context.team.deadlines
    )
    if isinstance(done, str):
        await answer(update, context, Reply(msg(done)))
        return
    moved = done.deadline
    info = {"kind": moved.kind, "ref": moved.client_ref or "", "due": moved.due_date}
    await answer(update, context, Reply(msg("handed_over", name=done.receiver_name, **info)))
    if done.receiver_telegram_id != context.staff.telegram_user_id:
        # If they blocked the bot, the deadline still shows in their digest and /termijnen.
        with contextlib.suppress(Forbidden):
            await send(
                context,
                done.receiver_telegram_id,
                Reply(msg("received", giver=context.staff.display_name, **info)),
            )
