"""The client's route: ``/uitstroom`` and the question after a vacature vervuld with a client,
``/overzicht`` with its lists, ``/zoek``, the card's buttons and ``/wensen`` (the work notices:
:mod:`handlers.notices`).

Private only (the command catalogue says so): each of these names clients.
"""

from __future__ import annotations

from telegram import Update

from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Reply
from bot.forms.parsers import problem_text
from bot.profiles import meaning
from bot.route import exit_service, service
from bot.route.exit_forms import EXIT_BUTTONS, EXIT_FORM, FROM_VACANCY
from bot.route.forms import WISHES_FORM
from bot.route.rules import search_key
from bot.route.service import HISTORY_PAGE, Gap
from bot.route.views import (
    CANDIDATE_BUTTONS,
    CARD_BUTTONS,
    OVERVIEW_BUTTONS,
    SEARCH_BUTTONS,
    candidates_reply,
    gap_reply,
    history_reply,
    overview_reply,
    search_reply,
)
from bot.runtime import BotContext
from handlers.common import answer, answer_tap, show_page
from handlers.forms import start_form

#: ``EXIT_BUTTONS`` is re-exported for the registration in ``handlers/__init__.py``.
__all__ = [
    "CANDIDATE_BUTTONS",
    "CARD_BUTTONS",
    "EXIT_BUTTONS",
    "FORMS",
    "OVERVIEW_BUTTONS",
    "SEARCH_BUTTONS",
    "candidates_button",
    "card_button",
    "exit_button",
    "overview_button",
    "overzicht",
    "search_button",
    "uitstroom",
    "wensen",
    "zoek",
]

#: Every form of the route (registered in ``handlers/__init__.py``).
FORMS = (EXIT_FORM,)


async def uitstroom(update: Update, context: BotContext) -> None:
    """``/uitstroom REF``: starts the uitstroom form in a private chat."""
    await start_form(update, context, EXIT_FORM, context.args or [])


async def exit_button(update: Update, context: BotContext) -> None:
    """ "Ja, uitstroom vastleggen" / "Nee" under a vacature vervuld with a client; the form
    re-checks team, vacature and client on every tap."""
    query = update.callback_query
    if query is None:
        return
    await answer_tap(update, context)
    tap = EXIT_BUTTONS.decode(query.data)
    vacancy_id = tap.int_arg(0) if tap is not None else None
    if tap is None or vacancy_id is None:
        return
    if tap.action == "ja":
        await start_form(update, context, EXIT_FORM, [f"{FROM_VACANCY}{vacancy_id}"])
        return
    ref = await exit_service.placed_client_ref(context.runtime.db, context.staff, vacancy_id)
    if ref is not None:
        await answer(update, context, Reply(render("route/exit_stays", ref=ref)))


# --- /overzicht -------------------------------------------------------------------------------

#: Who sees the team's overview.
MANAGERS = (Role.TEAMLEIDER, Role.ADMIN)


async def overzicht(update: Update, context: BotContext) -> None:
    """``/overzicht`` (teamleider, admin; private chat): the caseload and its gaps."""
    if not context.staff.has(*MANAGERS):
        await answer(update, context, Reply(render("common/not_allowed")))
        return
    runtime = context.runtime
    shown = await service.overview(runtime.db, context.staff, runtime.clock)
    await answer(update, context, overview_reply(shown, context.team.caselog))


async def overview_button(update: Update, context: BotContext) -> None:
    """A list button under ``/overzicht`` (or its "Vorige"/"Meer"): re-authorised per tap."""
    query = update.callback_query
    tap = OVERVIEW_BUTTONS.decode(query.data if query else None)
    if query is None or tap is None:
        return
    if not context.staff.has(*MANAGERS):
        await answer_tap(update, context, render("common/not_allowed"))
        return
    try:
        gap = Gap(tap.args[0])
    except ValueError:
        await answer_tap(update, context, render("common/button_gone"))
        return
    await answer_tap(update, context)
    runtime = context.runtime
    listed = await service.gap_list(
        runtime.db, context.staff, runtime.clock, gap, tap.offset_arg(1) or 0
    )
    reply = gap_reply(gap, listed, context.team.caselog)
    if tap.offset_arg(1):
        await show_page(update, context, reply)
    else:
        await answer(update, context, reply)


# --- /zoek ------------------------------------------------------------------------------------


async def zoek(update: Update, context: BotContext) -> None:
    """``/zoek TEXT``: references of the own team that contain TEXT, one page at a time."""
    text = " ".join(context.args or [])
    if not text.strip():
        await answer(update, context, Reply(render("route/search_usage")))
        return
    try:
        key = search_key(text)
    except InputProblem as problem:
        await answer(update, context, Reply(problem_text(problem)))
        return
    runtime = context.runtime
    listed = await service.search(runtime.db, context.staff, runtime.clock, key, 0)
    await answer(update, context, search_reply(key, listed, context.team.caselog))


async def search_button(update: Update, context: BotContext) -> None:
    """ "Vorige"/"Meer" under ``/zoek``: that page, in place of the one shown."""
    query = update.callback_query
    tap = SEARCH_BUTTONS.decode(query.data if query else None)
    if query is None or tap is None or len(tap.args) != 2:
        return
    try:
        key = search_key(tap.args[1])
    except InputProblem:
        await answer_tap(update, context, render("common/button_gone"))
        return
    await answer_tap(update, context)
    runtime = context.runtime
    listed = await service.search(
        runtime.db, context.staff, runtime.clock, key, tap.offset_arg(0) or 0
    )
    await show_page(update, context, search_reply(key, listed, context.team.caselog))


# --- the client card's buttons ----------------------------------------------------------------


async def card_button(update: Update, context: BotContext) -> None:
    """ "Meer geschiedenis" (and its pages) and "Wensen voor werk" under ``/client``: the client
    is looked up in the tapper's own team on every tap."""
    query = update.callback_query
    tap = CARD_BUTTONS.decode(query.data if query else None)
    client_id = tap.int_arg(0) if tap is not None else None
    if query is None or tap is None or client_id is None:
        return
    runtime = context.runtime
    if tap.action == "wish":
        ref = await service.client_ref(runtime.db, context.staff, client_id)
        await answer_tap(update, context, None if ref else render("common/button_gone"))
        if ref is not None:
            await start_form(update, context, WISHES_FORM, [ref])
        return
    shown = await service.history(
        runtime.db, context.staff, runtime.clock, client_id, tap.offset_arg(1) or 0
    )
    if shown is None:
        await answer_tap(update, context, render("common/button_gone"))
        return
    await answer_tap(update, context)
    reply = history_reply(shown, context.team.caselog, runtime.clock.tz)
    if tap.offset_arg(1) == HISTORY_PAGE:
        # From the card: the card stays, the older history comes below it.
        await answer(update, context, reply)
    else:
        await show_page(update, context, reply)


async def wensen(update: Update, context: BotContext) -> None:
    """``/wensen REF``: a client's wishes for work (the same form as the card's button)."""
    await start_form(update, context, WISHES_FORM, context.args or [])


# --- candidates for a vacature ------------------------------------------------------------------


async def candidates_button(update: Update, context: BotContext) -> None:
    """ "Kandidaten N" under ``/vacatures``: the best clients for that vacature (private only,
    like the whole family; the vacature is re-checked against the tapper's team)."""
    query = update.callback_query
    tap = CANDIDATE_BUTTONS.decode(query.data if query else None)
    vacancy_id = tap.int_arg(0) if tap is not None else None
    if query is None or vacancy_id is None:
        return
    await answer_tap(update, context)
    runtime = context.runtime
    scheme = context.team.caselog
    found = await service.candidates(
        runtime.db,
        context.staff,
        runtime.clock,
        vacancy_id,
        meaning.matching(context.team.profile),
    )
    await answer(update, context, candidates_reply(found, scheme))
