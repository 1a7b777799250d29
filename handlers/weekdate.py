"""The weekdate: ``/agenda``, ``/weekdate start|stop|verzet``, ``/notulen``, the holiday question
and "ik ben erbij" buttons.

The teamleider gets the full agenda in private; anyone else, and the team group, gets references
and item types only.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time

from telegram import InputFile, Update
from telegram.error import TelegramError

from bot import outbound
from bot.core.callbacks import decode
from bot.core.clock import local_today
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Keyboard, Reply
from bot.runtime import BotContext
from bot.weekdate.forms import MeetingForm, MoveForm
from bot.weekdate.schedule import WEEKDAYS_NL, next_occurrence
from bot.weekdate.service import (
    Outgoing,
    attend_keyboard,
    build_agenda,
    finish_meeting,
    send_time_of,
    team_settings,
    upcoming,
    walk_entry,
)
from bot.weekdate.views import agenda_ics, render_agenda_pdf, render_agenda_text
from handlers.common import answer, is_private
from handlers.forms import start_form
from storage import audit, staff, teams
from storage import forms as form_store
from storage import weekdate as store

log = logging.getLogger(__name__)

MEETING_FORM = MeetingForm()
MOVE_FORM = MoveForm()
MANAGERS = (Role.TEAMLEIDER, Role.ADMIN)


async def send_rendered(
    context: BotContext, chat_id: int, text: str, keyboard: Keyboard = ()
) -> None:
    """Send a rendered text; the one splitter cuts it between items."""
    await outbound.send_reply(context.bot, chat_id, Reply(text, keyboard))


async def deliver(context: BotContext, out: Outgoing) -> None:
    """Send what a service queued (after its transaction committed). One chat that fails
    (blocked the bot, left the group) does not keep the others from getting theirs."""
    for chat_id, text, keyboard in out.texts:
        try:
            await send_rendered(context, chat_id, text, keyboard)
        except TelegramError as exc:
            log.warning("weekdate: sending to chat %s failed: %s", chat_id, exc)
    rendered: dict[int, bytes] = {}
    for chat_id, agenda_obj, start, filename, caption in out.pdfs:
        if id(agenda_obj) not in rendered:
            rendered[id(agenda_obj)] = await asyncio.to_thread(render_agenda_pdf, agenda_obj, start)
        try:
            await context.bot.send_document(
                chat_id, InputFile(rendered[id(agenda_obj)], filename=filename), caption=caption
            )
        except TelegramError as exc:
            log.warning("weekdate: sending the PDF to chat %s failed: %s", chat_id, exc)


def _full_copy(update: Update, context: BotContext) -> bool:
    return is_private(update) and context.staff.has(*MANAGERS)


async def agenda(update: Update, context: BotContext) -> None:
    """``/agenda`` (draft), ``/agenda vorige`` (last sent), ``/agenda pdf``, ``/agenda ics``."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime, actor = context.runtime, context.staff
    arg = (context.args or [""])[0].lower() if context.args else ""
    private = _full_copy(update, context)
    async with runtime.db.transaction() as session:
        team = await teams.get_team(session, actor.team_id)
        assert team is not None
        # Details of clients are shown: every such view is in the audit log.
        await audit.record(
            session,
            at=runtime.clock.now(),
            action=f"agenda.{arg or 'concept'}",
            result="ok" if private else "references_only",
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"team:{team.id}",
        )
        if arg == "vorige":
            meeting = await store.last_sent_meeting(session, team.id)
            text = None
            if meeting is not None:
                text = meeting.agenda_private if private else meeting.agenda_group
            if text is None:
                await answer(update, context, Reply(render("weekdate/agenda_none")))
                return
            await send_rendered(context, chat.id, text)
            return
        occ, settings = await upcoming(session, runtime.config, runtime.clock, team)
        if arg == "ics":
            data = agenda_ics(
                team_id=team.id,
                team_name=team.name,
                occ=occ,
                duration_minutes=settings.duration_minutes,
                zone=runtime.clock.tz,
                stamp=runtime.clock.now(),
            )
            await context.bot.send_document(
                chat.id,
                InputFile(data, filename=f"weekdate-{occ.date.isoformat()}.ics"),
                caption=render("weekdate/ics_caption", day=occ.date),
            )
            return
        built = await build_agenda(session, runtime.config, runtime.clock, team, occ, settings)
    if arg == "pdf":
        if not private:
            await answer(update, context, Reply(render("not_allowed")))
            return
        pdf = await asyncio.to_thread(render_agenda_pdf, built, occ.start)
        await context.bot.send_document(
            chat.id,
            InputFile(pdf, filename=f"agenda-{occ.date}.pdf"),
            caption=render("weekdate/pdf_caption", day=occ.date),
        )
        return
    text = render_agenda_text(built, occ.start, private=private)
    send_at = send_time_of(occ, settings, runtime.clock)
    note = render(
        "weekdate/agenda_draft_note",
        send_at=_when(send_at),
        past=send_at <= runtime.clock.now(),
    )
    await send_rendered(context, chat.id, f"{text}\x1e{note}")


def _when(moment: datetime) -> str:
    return f"{WEEKDAYS_NL[moment.weekday()]} {moment.strftime('%d-%m-%Y om %H:%M')}"


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
        await answer(update, context, Reply(render("not_allowed")))
        return
    if not is_private(update):
        await answer(update, context, Reply(render("form_private_only", command=f"weekdate {sub}")))
        return
    if sub == "start":
        await _start(update, context)
    else:
        await _stop(update, context)


async def _start(update: Update, context: BotContext) -> None:
    runtime, actor = context.runtime, context.staff
    group_chat: int | None = None
    walk_for_group: list[dict[str, object]] = []
    meeting_id = 0
    async with runtime.db.transaction() as session:
        team = await teams.get_team(session, actor.team_id)
        assert team is not None
        running = await store.active_meeting(session, team.id)
        chair_name = ""
        if running is not None:
            chair = await staff.get_staff(session, running.chair_staff_id or 0)
            chair_name = chair.display_name if chair else "?"
        else:
            settings = team_settings(runtime.config, team.name)
            overrides = await store.load_overrides(session, team.id)
            # Today's weekdate, even when its start time has passed; otherwise the next one.
            midnight = datetime.combine(
                local_today(runtime.clock), time(0, 0), tzinfo=runtime.clock.tz
            )
            occ = next_occurrence(midnight, settings, overrides.decided, runtime.clock.tz)
            meeting = await store.ensure_meeting(
                session, team.id, occ.regular_date, occ.date, runtime.clock.now()
            )
            built = await build_agenda(session, runtime.config, runtime.clock, team, occ, settings)
            walk = [walk_entry(item) for item in built.items]
            started = await store.start_meeting(
                session,
                meeting.id,
                chair_staff_id=actor.staff_id,
                walk=walk,
                now=runtime.clock.now(),
            )
            meeting_id = started.id
            walk_for_group = [{"ref": e["ref"], "label": e["label"]} for e in walk]
            group_chat = team.group_chat_id
    if running is not None:
        await answer(update, context, Reply(render("weekdate/meeting_busy", chair=chair_name)))
    elif group_chat is not None:
        await send_rendered(
            context,
            group_chat,
            render("weekdate/meeting_group", walk=walk_for_group),
            attend_keyboard(meeting_id),
        )
    await start_form(update, context, MEETING_FORM, ["verder"] if running else [])


async def _stop(update: Update, context: BotContext) -> None:
    runtime, actor = context.runtime, context.staff
    user = update.effective_user
    async with runtime.db.transaction() as session:
        team = await teams.get_team(session, actor.team_id)
        assert team is not None
        meeting = await store.active_meeting(session, team.id)
        if meeting is None:
            await answer(update, context, Reply(render("weekdate/meeting_not_running")))
            return
        minutes, recipients = await finish_meeting(
            session, meeting=meeting, team_name=team.name, clock=runtime.clock
        )
        if user is not None:
            open_form = await form_store.get_form(session, user.id)
            if open_form is not None and open_form.form == MEETING_FORM.name:
                await form_store.clear_form(session, user.id)
    for chat_id in recipients:
        await send_rendered(context, chat_id, minutes)
    await answer(update, context, Reply(render("weekdate/meeting_closed", count=len(recipients))))


async def minutes(update: Update, context: BotContext) -> None:
    """``/notulen``: the latest minutes (private chat)."""
    chat = update.effective_chat
    if chat is None:
        return
    if not is_private(update):
        await answer(update, context, Reply(render("form_private_only", command="notulen")))
        return
    async with context.runtime.db.transaction() as session:
        meeting = await store.latest_minutes(session, context.staff.team_id)
        await audit.record(
            session,
            at=context.runtime.clock.now(),
            action="minutes.view",
            result="ok" if meeting else "none",
            actor_telegram_id=context.staff.telegram_user_id,
            actor_staff_id=context.staff.staff_id,
            object=f"meeting:{meeting.id}" if meeting else None,
        )
    if meeting is None or meeting.minutes is None:
        await answer(update, context, Reply(render("weekdate/minutes_none")))
        return
    await send_rendered(context, chat.id, meeting.minutes)


async def holiday_button(update: Update, context: BotContext) -> None:
    """Move / skip / keep a weekdate on a public holiday."""
    query = update.callback_query
    tap = decode(query.data if query else None)
    if query is None or tap is None or not tap.args:
        return
    if not context.staff.has(*MANAGERS):
        await query.answer(render("not_allowed"))
        return
    try:
        regular = date.fromisoformat(tap.args[0])
    except ValueError:
        await query.answer()
        return
    if tap.action == "move":
        await query.answer()
        await start_form(update, context, MOVE_FORM, [regular.isoformat()])
        return
    action = {"skip": "skipped", "keep": "kept"}.get(tap.action)
    if action is None:
        await query.answer()
        return
    async with context.runtime.db.transaction() as session:
        await store.set_override(
            session,
            team_id=context.staff.team_id,
            regular_date=regular,
            action=action,
            new_date=None,
            new_time=None,
            staff_id=context.staff.staff_id,
            now=context.runtime.clock.now(),
        )
    await query.answer()
    await answer(
        update, context, Reply(render("weekdate/holiday_answer", action=action, day=regular))
    )


async def attend_button(update: Update, context: BotContext) -> None:
    """ "Ik ben erbij" in the group: the tapper gets the minutes."""
    query = update.callback_query
    tap = decode(query.data if query else None)
    if query is None or tap is None:
        return
    meeting_id = tap.int_arg(0)
    ok = False
    if meeting_id is not None:
        async with context.runtime.db.transaction() as session:
            meeting = await store.get_meeting(session, meeting_id)
            if meeting is not None and meeting.team_id == context.staff.team_id:
                ok = await store.add_attendee(session, meeting_id, context.staff.staff_id)
    await query.answer(render("weekdate/attend", ok=ok))
