"""The weekdate: ``/agenda``, ``/weekdate start|stop|verzet``, ``/notulen``, the holiday question
and "ik ben erbij" buttons.

The teamleider gets the full agenda in private; anyone else, and the team group, gets references
and item types only. Each handler parses, makes one service call, and replies.
"""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import Update

from bot import outbound
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Document, Reply
from bot.core.vocabulary import OverrideAction
from bot.runtime import BotContext
from bot.weekdate import meeting_service
from bot.weekdate.forms import MeetingForm, MoveForm
from bot.weekdate.service import ATTEND_BUTTONS, HOLIDAY_BUTTONS, decide_holiday, show_agenda
from handlers.common import answer, answer_tap, is_private, send
from handlers.forms import start_form
from handlers.notices import send_work_notices

MEETING_FORM = MeetingForm()
MOVE_FORM = MoveForm()
MANAGERS = (Role.TEAMLEIDER, Role.ADMIN)
#: The holiday question's buttons that decide at once (``move`` opens the move form).
HOLIDAY_ACTIONS = {"skip": OverrideAction.SKIPPED, "keep": OverrideAction.KEPT}


def _full_copy(update: Update, context: BotContext) -> bool:
    return is_private(update) and context.staff.has(*MANAGERS)


async def agenda(update: Update, context: BotContext) -> None:
    """``/agenda`` (draft), ``/agenda vorige`` (last sent), ``/agenda pdf``, ``/agenda ics``."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime = context.runtime
    arg = (context.args or [""])[0].lower() if context.args else ""
    shown = await show_agenda(
        runtime.db,
        runtime.clock,
        context.staff,
        context.team,
        arg=arg,
        private=_full_copy(update, context),
    )
    if shown.notice:
        await answer(update, context, Reply(render(shown.notice)))
    elif shown.document is not None:
        document = shown.document
        if not isinstance(document, Document):
            document = await asyncio.to_thread(document)
        await outbound.send_document(context.bot, chat.id, document)
    else:
        await send(context, chat.id, Reply(shown.text))


async def weekdate(update: Update, context: BotContext) -> None:
    """``/weekdate start|stop|verzet``."""
    sub = (context.args or [""])[0].lower() if context.args else ""
    if sub == "verzet":
        await start_form(update, context, MOVE_FORM, context.args[1:] if context.args else [])
        return
    if sub not in ("start", "stop"):
        await answer(update, context, Reply(render("weekdate/usage")))
        return
    if not context.staff.has(*MANAGERS):
        await answer(update, context, Reply(render("common/not_allowed")))
        return
    if sub == "start":
        await _start(update, context)
    else:
        await _stop(update, context)


async def _start(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    started = await meeting_service.start_meeting(
        runtime.db, runtime.clock, context.staff, context.team
    )
    if started.resumed and not started.other_chair:
        await answer(
            update, context, Reply(render("weekdate/meeting_busy", chair=started.busy_chair))
        )
    else:
        await outbound.deliver(context.bot, started.outbox)
    await start_form(update, context, MEETING_FORM, ["verder"] if started.resumed else [])


async def _stop(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    user = update.effective_user
    stopped = await meeting_service.stop_meeting(
        runtime.db,
        runtime.clock,
        context.staff,
        telegram_user_id=user.id if user is not None else None,
        meeting_form=MEETING_FORM.name,
    )
    if not stopped.closed:
        await answer(update, context, Reply(render("weekdate/meeting_not_running")))
        return
    await outbound.deliver(context.bot, stopped.outbox)
    await answer(
        update, context, Reply(render("weekdate/meeting_closed", count=stopped.recipients))
    )
    # Everyone who got work hears it now (the job sends whatever this could not).
    await send_work_notices(context, stopped.notices)


async def minutes(update: Update, context: BotContext) -> None:
    """``/notulen``: the latest minutes (private chat)."""
    chat = update.effective_chat
    if chat is None:
        return
    text = await meeting_service.latest_minutes(
        context.runtime.db, context.runtime.clock, context.staff
    )
    if text is None:
        await answer(update, context, Reply(render("weekdate/minutes_none")))
        return
    await send(context, chat.id, Reply(text))


async def holiday_button(update: Update, context: BotContext) -> None:
    """Move / skip / keep a weekdate on a public holiday."""
    query = update.callback_query
    tap = HOLIDAY_BUTTONS.decode(query.data if query else None)
    if query is None or tap is None or not tap.args:
        return
    if not context.staff.has(*MANAGERS):
        await answer_tap(update, context, render("common/not_allowed"))
        return
    try:
        regular = date.fromisoformat(tap.args[0])
    except ValueError:
        await answer_tap(update, context)
        return
    if tap.action == "move":
        await answer_tap(update, context)
        await start_form(update, context, MOVE_FORM, [regular.isoformat()])
        return
    action = HOLIDAY_ACTIONS.get(tap.action)
    if action is None:
        await answer_tap(update, context)
        return
    await decide_holiday(context.runtime.db, context.runtime.clock, context.staff, regular, action)
    await answer_tap(update, context)
    await answer(
        update, context, Reply(render("weekdate/holiday_answer", action=action, day=regular))
    )


async def attend_button(update: Update, context: BotContext) -> None:
    """ "Ik ben erbij" in the group: the tapper gets the minutes."""
    query = update.callback_query
    tap = ATTEND_BUTTONS.decode(query.data if query else None)
    if query is None:
        return
    meeting_id = tap.int_arg(0) if tap is not None else None
    ok = False
    if meeting_id is not None:
        ok = await meeting_service.attend(context.runtime.db, context.staff, meeting_id)
    await answer_tap(update, context, render("weekdate/attend", ok=ok))
