"""Deadlines: ``/ontheffing``, ``/contact``, ``/termijnen`` and the digest's buttons.

Buttons (``ddl:<action>:<deadline id>``): ``open`` shows an item card; on the card ``done``
(Gedaan), ``post`` (Uitstellen), ``nvt`` (Niet van toepassing), ``hand`` (Overdragen) and
``give`` (to a colleague). Every tap is re-authorised from the database.
"""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import Forbidden

from bot.core.callbacks import decode, encode
from bot.core.clock import local_today
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Button, Reply, keyboard_rows
from bot.core.vocabulary import DeadlineKind
from bot.deadlines.forms import (
    CONTACT_FORM,
    DONE_FORM,
    EXEMPTION_FORM,
    NOT_APPLICABLE_FORM,
    POSTPONE_FORM,
    REVIEW_FORM,
    may_act,
    may_record,
    msg,
)
from bot.deadlines.rules import DigestItem, termijnen_view
from bot.runtime import BotContext
from handlers.common import answer, send
from handlers.forms import start_form
from jobs.deadlines import DEADLINE_NS, MAX_BUTTONS
from storage import deadlines as store
from storage import staff as staff_store


async def ontheffing(update: Update, context: BotContext) -> None:
    """``/ontheffing REF``."""
    await start_form(update, context, EXEMPTION_FORM, context.args or [])


async def contact(update: Update, context: BotContext) -> None:
    """``/contact REF``."""
    await start_form(update, context, CONTACT_FORM, context.args or [])


def _item(d: store.OpenDeadline) -> DigestItem:
    return DigestItem(
        deadline_id=d.id,
        kind=d.kind,
        due=d.due_date,
        client_ref=d.client_ref,
        title=d.title,
        owner_name=d.owner_name,
    )


async def termijnen(update: Update, context: BotContext) -> None:
    """``/termijnen``: my open deadlines; a teamleider sees the team's. Overdue first."""
    actor = context.staff
    leader = actor.has(Role.TEAMLEIDER)
    async with context.runtime.db.transaction() as session:
        rows = await store.open_deadlines(
            session, team_id=actor.team_id, owner_staff_id=None if leader else actor.staff_id
        )
    today = local_today(context.runtime.clock)
    view = termijnen_view(today, [_item(d) for d in rows])
    ordered = [*view.overdue, *view.upcoming]
    text = render(
        "deadlines_list",
        view=view,
        today=today,
        total=len(ordered),
        team=actor.team_name if leader else "",
        max_buttons=MAX_BUTTONS,
    )
    buttons = [
        Button(str(n), encode(DEADLINE_NS, "open", item.deadline_id))
        for n, item in enumerate(ordered[:MAX_BUTTONS], start=1)
    ]
    await answer(update, context, Reply(text, keyboard_rows(buttons, 6)))


def _card_keyboard(deadline_id: int) -> list[list[Button]]:
    return [
        [
            Button("Gedaan", encode(DEADLINE_NS, "done", deadline_id)),
            Button("Uitstellen", encode(DEADLINE_NS, "post", deadline_id)),
        ],
        [
            Button("Niet van toepassing", encode(DEADLINE_NS, "nvt", deadline_id)),
            Button("Overdragen", encode(DEADLINE_NS, "hand", deadline_id)),
        ],
    ]


async def on_button(update: Update, context: BotContext) -> None:
    """A deadline button: re-authorise, then show the card or start the short form."""
    query = update.callback_query
    if query is None:
        return
    tap = decode(query.data)
    deadline_id = tap.int_arg(0) if tap is not None else None
    if tap is None or deadline_id is None:
        await query.answer()
        return
    actor = context.staff
    async with context.runtime.db.transaction() as session:
        deadline = await store.get_deadline(session, deadline_id)
    if deadline is None or deadline.status != "open":
        await query.answer()
        await answer(update, context, Reply(msg("gone")))
        return
    if not may_record(actor) or not may_act(actor, deadline):
        await query.answer()
        await answer(update, context, Reply(msg("not_yours")))
        return
    await query.answer()
    args = [str(deadline_id)]
    if tap.action == "open":
        today = local_today(context.runtime.clock)
        text = msg("card", item=deadline, today=today)
        await answer(update, context, Reply(text, _card_keyboard(deadline_id)))
    elif tap.action == "done":
        if deadline.kind == DeadlineKind.EXEMPTION_REVIEW.value and deadline.source_type == (
            "exemption"
        ):
            await start_form(update, context, REVIEW_FORM, args)
        elif deadline.kind == DeadlineKind.PARTICIPATION_CONTACT.value and deadline.client_ref:
            await start_form(update, context, CONTACT_FORM, [deadline.client_ref])
        else:
            await start_form(update, context, DONE_FORM, args)
    elif tap.action == "post":
        await start_form(update, context, POSTPONE_FORM, args)
    elif tap.action == "nvt":
        await start_form(update, context, NOT_APPLICABLE_FORM, args)
    elif tap.action == "hand":
        await _ask_colleague(update, context, deadline)
    elif tap.action == "give":
        await _give(update, context, deadline, tap.int_arg(1))


async def _ask_colleague(update: Update, context: BotContext, deadline: store.OpenDeadline) -> None:
    async with context.runtime.db.transaction() as session:
        people = await store.colleagues(
            session, deadline.team_id, exclude=deadline.owner_staff_id or 0
        )
    if not people:
        await answer(update, context, Reply(msg("no_colleagues")))
        return
    buttons = [Button(p.name, encode(DEADLINE_NS, "give", deadline.id, p.staff_id)) for p in people]
    text = msg("ask_colleague", kind=deadline.kind, ref=deadline.client_ref or "")
    await answer(update, context, Reply(text, keyboard_rows(buttons, 2)))


async def _give(
    update: Update, context: BotContext, deadline: store.OpenDeadline, staff_id: int | None
) -> None:
    if staff_id is None:
        return
    async with context.runtime.db.transaction() as session:
        try:
            moved = await store.hand_over(session, deadline.id, new_owner_staff_id=staff_id)
        except store.DeadlineError as exc:
            await answer(
                update,
                context,
                Reply(msg("gone" if exc.code != "not_a_colleague" else "no_colleagues")),
            )
            return
        receiver = await staff_store.get_staff(session, staff_id)
    assert receiver is not None
    info = {"kind": moved.kind, "ref": moved.client_ref or "", "due": moved.due_date}
    await answer(update, context, Reply(msg("handed_over", name=receiver.display_name, **info)))
    if receiver.telegram_user_id != context.staff.telegram_user_id:
        # If they blocked the bot, the deadline still shows in their digest and /termijnen.
        with contextlib.suppress(Forbidden):
            await send(
                context,
                receiver.telegram_user_id,
                Reply(msg("received", giver=context.staff.display_name, **info)),
            )
