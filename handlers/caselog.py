"""The case log's commands: forms to log, /vacatures, /client, /mijn, and chat-style text.

Nothing about a client is ever posted in a group: every case log command is private only in the
command catalogue, so in a group the access middleware answers with a button to the private chat.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.caselog import service
from bot.caselog.forms import (
    ALL_FORMS,
    BOTTLENECK_FORM,
    CATEGORY_FORM,
    CHAT_FORM,
    EDIT_FORM,
    FILL_FORM,
    INTAKE_FORM,
    SUCCESS_FORM,
    TRAJECTORY_FORM,
    VACANCY_FORM,
    QuickUpdateForm,
)
from bot.caselog.references import BadReference, validate
from bot.caselog.views import (
    MY_CLIENTS_BUTTONS,
    VACANCY_BUTTONS,
    card_view,
    my_clients_reply,
    vacancies_reply,
)
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Reply
from bot.forms.parsers import problem_text
from bot.forms.steps import StepForm
from bot.route.people_forms import VACANCY_EDIT_FORM
from bot.route.views import card_keyboard
from bot.runtime import BotContext
from handlers.common import answer, answer_tap, is_private, show_page
from handlers.forms import start_form

#: Every case log form (registered in ``handlers/__init__.py``).
FORMS = ALL_FORMS


def _rest(update: Update) -> str:
    """The message text after the command word, as typed (newlines kept)."""
    text = update.effective_message.text if update.effective_message else None
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _form_command(form: StepForm) -> Any:
    async def handler(update: Update, context: BotContext) -> None:
        await start_form(update, context, form, context.args or [])

    handler.__doc__ = f"``/{form.command}``: starts its form in a private chat."
    return handler


aanmelding = _form_command(INTAKE_FORM)
vacature = _form_command(VACANCY_FORM)
traject = _form_command(TRAJECTORY_FORM)
categorie = _form_command(CATEGORY_FORM)
wijzig = _form_command(EDIT_FORM)


def _quick_command(form: QuickUpdateForm) -> Any:
    async def handler(update: Update, context: BotContext) -> None:
        ref, _, text = _rest(update).strip().partition(" ")
        args = [ref] if ref else []
        if text.strip():
            args.append(text.strip())
        await start_form(update, context, form, args)

    handler.__doc__ = f"``/{form.command} REF [tekst]``: saved at once when both are given."
    return handler


succes = _quick_command(SUCCESS_FORM)
knelpunt = _quick_command(BOTTLENECK_FORM)


async def chat_style(update: Update, context: BotContext) -> None:
    """Plain private text with no form open: find the reference and ask what it is."""
    message = update.effective_message
    if message is None or message.text is None or not is_private(update):
        return
    ref = await service.recognise_reference(
        context.runtime.db, context.staff, context.team.reference_rule, message.text
    )
    if ref is None:
        await answer(update, context, Reply(render("caselog/chat_style_no_ref")))
        return
    await start_form(update, context, CHAT_FORM, [ref, message.text])


# --- /vacatures ---------------------------------------------------------------------------------


async def list_vacancies(update: Update, context: BotContext) -> None:
    """``/vacatures``: the team's open vacatures, each with a Vervuld button."""
    runtime = context.runtime
    listed = await service.list_open_vacancies(
        runtime.db, context.staff, runtime.clock, shared=context.team.vacancy_teams
    )
    await answer(update, context, vacancies_reply(listed, context.team.caselog))


async def vacancy_button(update: Update, context: BotContext) -> None:
    """A Vervuld button (asks who was placed) or a Wijzig button (the vacature form at its
    summary); both re-checked by their form (team, still open, allowed)."""
    query = update.callback_query
    if query is None:
        return
    await answer_tap(update, context)
    tap = VACANCY_BUTTONS.decode(query.data)
    if tap is not None and tap.action == "page":
        await _vacancy_page(update, context, tap.offset_arg(0) or 0)
        return
    vacancy_id = tap.int_arg(0) if tap is not None and tap.action in ("fill", "edit") else None
    if tap is None or vacancy_id is None:
        return
    form = VACANCY_EDIT_FORM if tap.action == "edit" else FILL_FORM
    await start_form(update, context, form, [str(vacancy_id)])


async def _vacancy_page(update: Update, context: BotContext, offset: int) -> None:
    """ "Vorige"/"Meer" under /vacatures: that page, in place of the one shown (private only,
    like every button of the family: the access guard refuses it in a group)."""
    runtime = context.runtime
    listed = await service.list_open_vacancies(
        runtime.db, context.staff, runtime.clock, offset, shared=context.team.vacancy_teams
    )
    await show_page(update, context, vacancies_reply(listed, context.team.caselog))


# --- /client and /mijn ----------------------------------------------------------------------------


async def client_card(update: Update, context: BotContext) -> None:
    """``/client REF``: the card of a client of one's own team; every view is audit-logged."""
    runtime = context.runtime
    text = _rest(update).strip()
    if not text:
        await answer(update, context, Reply(render("caselog/client_usage")))
        return
    try:
        ref = validate(text, context.team.reference_rule)
    except BadReference as error:
        problem = InputProblem(f"ref_{error.problem.value}")
        await answer(update, context, Reply(problem_text(problem)))
        return
    card = await service.client_card(
        runtime.db,
        context.staff,
        ref,
        runtime.clock,
        instruments=[(c.code, c.label) for c in context.team.caselog.instruments],
        trajecten=context.team.trajecten,
    )
    if card is None:
        problem = InputProblem("ref_unknown", {"ref": ref})
        await answer(update, context, Reply(problem_text(problem)))
        return
    view = card_view(card, context.team.caselog)
    text = render("caselog/client_card", **view, tz=runtime.clock.tz)
    await answer(
        update, context, Reply(text, card_keyboard(card.client.ref, card.client.id, card.route))
    )


async def my_clients(update: Update, context: BotContext) -> None:
    """``/mijn``: the first page of my clients with what is still open about them."""
    runtime = context.runtime
    listed = await service.my_clients(runtime.db, context.staff, runtime.clock)
    await answer(update, context, my_clients_reply(listed, context.team.caselog))


async def my_clients_page(update: Update, context: BotContext) -> None:
    """ "Vorige"/"Meer" under /mijn: that page, in place of the one shown."""
    query = update.callback_query
    if query is None:
        return
    await answer_tap(update, context)
    tap = MY_CLIENTS_BUTTONS.decode(query.data)
    if tap is None or tap.action != "page":
        return
    runtime = context.runtime
    offset = tap.offset_arg(0) or 0
    listed = await service.my_clients(runtime.db, context.staff, runtime.clock, offset)
    await show_page(update, context, my_clients_reply(listed, context.team.caselog))
