"""Every handler is registered here, and only here.

Groups run in order, lowest first; within a group the first matching handler wins.
  -4  the bot's own membership changes (the adder decides whether the bot stays)
  -3  access middleware: sets ``context.actor``; stops strangers (nothing else runs for them)
  -2  privacy filter: refuses text that holds a BSN before any feature can see or store it
  -1  edited messages stop here: an edit is never a new answer or a second command; in a group,
      private-only commands and buttons stop here (redirected to the private chat)
   0  commands, buttons, and open forms (a form consumes every private message while open)
   1  chat-style text: plain private text with no form open
   2  unknown commands get a pointer to /help; a tap nobody answered is answered
Guards (-4 to -1) fail closed: wrapped in ``handlers.common.guard``, an exception stops the update.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.access.invite import InviteForm
from bot.access.views import TEAM_BUTTONS
from bot.caselog.views import MY_CLIENTS_BUTTONS, VACANCY_BUTTONS
from bot.deadlines.forms import ALL_FORMS as DEADLINE_FORMS
from bot.deadlines.views import DEADLINE_BUTTONS
from bot.forms.engine import FORM_BUTTONS, register_form
from bot.privacy.views import HELD_BUTTONS
from bot.route.forms import WISHES_FORM
from bot.route.traject_forms import ALL_FORMS as TRAJECT_FORMS
from bot.route.views import CANDIDATE_BUTTONS, CARD_BUTTONS, OVERVIEW_BUTTONS, SEARCH_BUTTONS
from bot.weekdate.service import ATTEND_BUTTONS, HOLIDAY_BUTTONS
from handlers import (
    access,
    admin,
    caselog,
    common,
    deadlines,
    errors,
    forms,
    privacy,
    route,
    weekdate,
)
from handlers import caseload as caseload_import
from handlers import figures as figure_handlers
from handlers.common import guard
from handlers.route_people import FORMS as PEOPLE_FORMS
from handlers.route_people import doelgroep, overdracht

ACCESS_GROUP = -3
PRIVACY_GROUP = -2
EDIT_GROUP = -1
FEATURE_GROUP = 0
CHAT_STYLE_GROUP = 1
FALLBACK_GROUP = 2

INVITE_FORM = InviteForm()


async def _invite(update: Update, context: Any) -> None:
    await forms.start_form(update, context, INVITE_FORM, context.args or [])


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Attach every handler to ``application``."""
    register_form(INVITE_FORM)
    for form in (*caselog.FORMS, *DEADLINE_FORMS):
        register_form(form)
    register_form(weekdate.MEETING_FORM)
    register_form(WISHES_FORM)
    register_form(weekdate.MOVE_FORM)
    for form in route.FORMS:
        register_form(form)
    for form in TRAJECT_FORMS:
        register_form(form)
    for form in PEOPLE_FORMS:
        register_form(form)

    # Guards (groups -4 to -1) run wrapped in ``guard``: one that raises stops the update.
    # Membership changes come before access: the adder, not the update's sender, decides.
    application.add_handler(
        ChatMemberHandler(guard(admin.bot_membership), ChatMemberHandler.MY_CHAT_MEMBER),
        ACCESS_GROUP - 1,
    )
    # Same group (other updates): a linked group that became a supergroup keeps its link.
    application.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE, guard(admin.group_migrated)), ACCESS_GROUP - 1
    )
    application.add_handler(TypeHandler(Update, guard(access.identify)), ACCESS_GROUP)
    # Before any feature sees the text: a BSN or IBAN anywhere stops the update here; a phone
    # number, e-mail address, date of birth or special-category word is held until confirmed.
    application.add_handler(
        MessageHandler(filters.TEXT | filters.CAPTION, guard(privacy.refuse_sensitive)),
        PRIVACY_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, guard(admin.edited_message)), EDIT_GROUP
    )
    # Same group, so only for updates that are not edits: in a group, private-only commands and
    # buttons stop here. After the privacy filter, so a BSN in such a command is deleted first.
    application.add_handler(TypeHandler(Update, guard(access.private_scope)), EDIT_GROUP)

    private = filters.ChatType.PRIVATE
    application.add_handlers(
        [
            CommandHandler("start", admin.start),
            CommandHandler("help", admin.help_command),
            CommandHandler("annuleer", forms.cancel),
            CommandHandler("team", admin.team),
            CommandHandler("uitnodigen", _invite),
            CommandHandler("koppel", admin.link_group),
            CommandHandler("aanmelding", caselog.aanmelding),
            CommandHandler("vacature", caselog.vacature),
            CommandHandler("vacatures", caselog.list_vacancies),
            CommandHandler("traject", caselog.traject),
            CommandHandler("succes", caselog.succes),
            CommandHandler("knelpunt", caselog.knelpunt),
            CommandHandler("categorie", caselog.categorie),
            CommandHandler("wijzig", caselog.wijzig),
            CommandHandler("client", caselog.client_card),
            CommandHandler("mijn", caselog.my_clients),
            CallbackQueryHandler(forms.on_button, pattern=FORM_BUTTONS.pattern),
            CallbackQueryHandler(caselog.vacancy_button, pattern=VACANCY_BUTTONS.pattern),
            CallbackQueryHandler(caselog.my_clients_page, pattern=MY_CLIENTS_BUTTONS.pattern),
            CallbackQueryHandler(admin.team_button, pattern=TEAM_BUTTONS.pattern),
            CommandHandler("ontheffing", deadlines.ontheffing),
            CommandHandler("contact", deadlines.contact),
            CommandHandler("termijnen", deadlines.termijnen),
            CallbackQueryHandler(deadlines.on_button, pattern=DEADLINE_BUTTONS.pattern),
            CommandHandler("agenda", weekdate.agenda),
            CommandHandler("weekdate", weekdate.weekdate),
            CommandHandler("notulen", weekdate.minutes),
            CommandHandler("cijfers", figure_handlers.cijfers),
            CommandHandler("export", figure_handlers.export),
            CallbackQueryHandler(weekdate.holiday_button, pattern=HOLIDAY_BUTTONS.pattern),
            CallbackQueryHandler(weekdate.attend_button, pattern=ATTEND_BUTTONS.pattern),
            CommandHandler("overzicht", route.overzicht),
            CommandHandler("zoek", route.zoek),
            CallbackQueryHandler(route.overview_button, pattern=OVERVIEW_BUTTONS.pattern),
            CallbackQueryHandler(route.search_button, pattern=SEARCH_BUTTONS.pattern),
            CommandHandler("wensen", route.wensen),
            CallbackQueryHandler(route.card_button, pattern=CARD_BUTTONS.pattern),
            CallbackQueryHandler(route.candidates_button, pattern=CANDIDATE_BUTTONS.pattern),
            # Confirm or rephrase a text the privacy filter held back.
            CallbackQueryHandler(privacy.on_held_button, pattern=HELD_BUTTONS.pattern),
            CommandHandler("uitstroom", route.uitstroom),
            CallbackQueryHandler(route.exit_button, pattern=route.EXIT_BUTTONS.pattern),
            CommandHandler("overdracht", overdracht),
            CommandHandler("doelgroep", doelgroep),
            # An admin's file is a caseload import; anyone else's goes on to an open form.
            MessageHandler(private & filters.Document.ALL, caseload_import.on_file),
            # An open form takes any private non-command message (text, photo, sticker, …).
            MessageHandler(private & ~filters.COMMAND, forms.on_message),
        ],
        FEATURE_GROUP,
    )
    # Only reached when no form took the message (forms.on_message stops the update).
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, caselog.chat_style),
        CHAT_STYLE_GROUP,
    )
    application.add_handler(
        MessageHandler(private & filters.COMMAND, admin.unknown_command), FALLBACK_GROUP
    )
    # Every tap gets an answer: one no handler answered (unknown or stale data, a failure).
    application.add_handler(CallbackQueryHandler(common.tap_fallback), FALLBACK_GROUP)
    application.add_error_handler(errors.on_error)
