"""Runs forms (see ``bot/forms/engine.py``): starts them, feeds them answers, ends them.

State is read and written by :mod:`bot.forms.service` in the update's one transaction; the reply
is sent here, after commit.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.core.answers import normalise_text
from bot.core.render import MESSAGE_LIMIT, render
from bot.core.ui import Reply
from bot.forms import service as form_service
from bot.forms.engine import (
    FORM_BUTTONS,
    Finish,
    Form,
    FormEnv,
    FormInput,
    Invalid,
    Next,
    StepResult,
    command_for,
)
from bot.runtime import BotContext
from handlers.common import answer, answer_tap, is_private, send


def _env_maker(context: BotContext) -> form_service.EnvMaker:
    runtime = context.runtime

    def make(session: AsyncSession) -> FormEnv:
        return FormEnv(
            session=session,
            actor=context.staff,
            clock=runtime.clock,
            config=runtime.config,
            team=context.team,
            bot_username=context.bot.username if context.bot.bot else "",
        )

    return make


def _silence(context: BotContext) -> timedelta:
    return timedelta(minutes=context.runtime.config.form_timeout_minutes)


async def _deliver_others(context: BotContext, result: StepResult | None) -> None:
    """A finished form's messages for other people, after the commit and the reply."""
    if isinstance(result, Finish) and result.outbox:
        await outbound.deliver(context.bot, result.outbox)


async def start_form(update: Update, context: BotContext, form: Form, args: list[str]) -> None:
    """Begin ``form`` for the sender in a private chat (replacing any form in progress)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if not is_private(update):
        reply = Reply(render("forms/form_private_only", command=form.command))
        await answer(update, context, reply)
        return
    started = await form_service.start(
        context.runtime.db,
        _env_maker(context),
        form,
        user_id=user.id,
        chat_id=chat.id,
        args=args,
        now=context.runtime.clock.now(),
    )
    if started.replaced is not None:
        command = command_for(started.replaced)
        await answer(update, context, Reply(render("forms/form_replaced", command=command)))
    await answer(update, context, started.result.reply)
    await _deliver_others(context, started.result)


async def on_message(update: Update, context: BotContext) -> None:
    """A private message while a form is open goes to that form; otherwise on to group 1."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not is_private(update):
        return
    # Every typed answer is read in the one normalised form the privacy filter judged.
    given = (
        FormInput(text=normalise_text(message.text))
        if message.text is not None
        else FormInput(other=True)
    )
    result = await form_service.answer(
        context.runtime.db,
        _env_maker(context),
        user_id=user.id,
        given=given,
        now=context.runtime.clock.now(),
        silence=_silence(context),
    )
    if result is None:
        return  # no form: chat-style handlers (group 1) may take it
    await answer(update, context, result.reply)
    await _deliver_others(context, result)
    raise ApplicationHandlerStop


async def on_button(update: Update, context: BotContext) -> None:
    """A tapped form button: only a button of the current step of the open form counts."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    tap = FORM_BUTTONS.decode(query.data)
    if tap is None or len(tap.args) < 2:
        await answer_tap(update, context)
        return
    step, value = tap.args[0], ":".join(tap.args[1:])
    tapped = await form_service.tap(
        context.runtime.db,
        _env_maker(context),
        user_id=user.id,
        form_name=tap.action,
        step=step,
        value=value,
        now=context.runtime.clock.now(),
        silence=_silence(context),
    )
    result = tapped.result
    if result is None:
        await answer_tap(update, context, tapped.notice)
        return
    await answer_tap(update, context)
    fits = len(result.reply.text) <= MESSAGE_LIMIT
    if isinstance(result, Next) and result.step == step and fits and query.message is not None:
        # Same step again (a multi-select toggle): update the message in place.
        message = query.message
        await outbound.replace_reply(context.bot, message.chat.id, message.message_id, result.reply)
        return
    if not isinstance(result, Invalid) and query.message is not None:
        # The keyboard served its purpose; removing it stops a second tap on it.
        await outbound.drop_keyboard(context.bot, query.message.chat.id, query.message.message_id)
    if update.effective_chat is not None:
        await send(context, update.effective_chat.id, result.reply)
    await _deliver_others(context, result)


async def cancel(update: Update, context: BotContext) -> None:
    """``/annuleer``: leave any form; nothing of it is saved."""
    user = update.effective_user
    if user is None:
        return
    had_form = await form_service.cancel(context.runtime.db, user.id)
    await answer(update, context, Reply(render("forms/form_cancelled", had_form=had_form)))
