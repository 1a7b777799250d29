"""The people side of the route: ``/overdracht REF`` and ``/doelgroep REF`` start their forms in a
private chat (the catalogue keeps them out of groups)."""

from __future__ import annotations

from telegram import Update

from bot.route.people_forms import ALL_FORMS, HANDOVER_FORM, TAGS_FORM
from bot.runtime import BotContext
from handlers.forms import start_form

#: Every form of this part (registered in ``handlers/__init__.py``).
FORMS = ALL_FORMS


async def overdracht(update: Update, context: BotContext) -> None:
    """``/overdracht REF``: give a client and its open deadlines to a colleague."""
    await start_form(update, context, HANDOVER_FORM, context.args or [])


async def doelgroep(update: Update, context: BotContext) -> None:
    """``/doelgroep REF``: change a client's doelgroepen from a date."""
    await start_form(update, context, TAGS_FORM, context.args or [])
