"""The client's route: ``/uitstroom`` and the question after a vacature vervuld with a client.

Private only (the command catalogue says so): an uitstroom names a client.
"""

from __future__ import annotations

from telegram import Update

from bot.core.render import render
from bot.core.ui import Reply
from bot.route import exit_service
from bot.route.exit_forms import EXIT_BUTTONS, EXIT_FORM, FROM_VACANCY

__all__ = ["EXIT_BUTTONS", "FORMS", "exit_button", "uitstroom"]
from bot.runtime import BotContext
from handlers.common import answer, answer_tap
from handlers.forms import start_form

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
