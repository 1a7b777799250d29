"""Runs forms (see ``bot/forms.py``): starts them, feeds them answers, ends them.

State is read and written in the update's one transaction; the reply is sent after commit.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import outbound
from bot.core.callbacks import decode
from bot.core.render import MESSAGE_LIMIT, render
from bot.core.ui import Reply
from bot.forms.engine import (
    FORM_NS,
    FORMS,
    Finish,
    Form,
    FormEnv,
    FormInput,
    FormState,
    Invalid,
    Next,
    command_for,
)
from bot.runtime import BotContext
from handlers.common import answer, is_private, send
from storage import forms as form_store


def _env(context: BotContext, session: AsyncSession) -> FormEnv:
    runtime = context.runtime
    return FormEnv(
        session=session,
        actor=context.staff,
        clock=runtime.clock,
        config=runtime.config,
        team=context.team,
        bot_username=context.bot.username if context.bot.bot else "",
    )


async def _store_result(
    context: BotContext,
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    form: Form,
    result: Next | Invalid | Finish,
) -> None:
    now = context.runtime.clock.now()
    if isinstance(result, Next):
        await form_store.save_form(
            session,
            telegram_user_id=user_id,
            chat_id=chat_id,
            form=form.name,
            step=result.step,
            data=result.data,
            now=now,
        )
    elif isinstance(result, Finish):
        await form_store.clear_form(session, user_id)


async def start_form(update: Update, context: BotContext, form: Form, args: list[str]) -> None:
    """Begin ``form`` for the sender in a private chat (replacing any form in progress)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if not is_private(update):
        await answer(update, context, Reply(render("form_private_only", command=form.command)))
        return
    async with context.runtime.db.transaction() as session:
        previous = await form_store.get_form(session, user.id)
        result = await form.begin(_env(context, session), args)
        if previous is not None and not isinstance(result, Invalid):
            await form_store.clear_form(session, user.id)
        await _store_result(context, session, user.id, chat.id, form, result)
    if previous is not None and previous.form != form.name and not isinstance(result, Invalid):
        await answer(
            update, context, Reply(render("form_replaced", command=command_for(previous.form)))
        )
    await answer(update, context, result.reply)


def _expired(context: BotContext, stored: form_store.StoredForm) -> bool:
    limit = timedelta(minutes=context.runtime.config.form_timeout_minutes)
    return context.runtime.clock.now() - stored.updated_at > limit


async def on_message(update: Update, context: BotContext) -> None:
    """A private message while a form is open goes to that form; otherwise on to group 1."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not is_private(update):
        return
    async with context.runtime.db.transaction() as session:
        stored = await form_store.get_form(session, user.id)
        if stored is None:
            return  # no form: chat-style handlers (group 1) may take it
        form = FORMS.get(stored.form)
        if form is None or _expired(context, stored):
            await form_store.clear_form(session, user.id)
            result: Next | Invalid | Finish = Finish(
                Reply(render("form_expired", command=command_for(stored.form)))
            )
        else:
            given = (
                FormInput(text=message.text.strip())
                if message.text is not None
                else FormInput(other=True)
            )
            state = FormState(stored.form, stored.step, stored.data)
            result = await form.advance(_env(context, session), state, given)
            await _store_result(context, session, user.id, stored.chat_id, form, result)
    await answer(update, context, result.reply)
    raise ApplicationHandlerStop


async def on_button(update: Update, context: BotContext) -> None:
    """A tapped form button: only a button of the current step of the open form counts."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    tap = decode(query.data)
    if tap is None or tap.ns != FORM_NS or len(tap.args) < 2:
        await query.answer()
        return
    step, value = tap.args[0], ":".join(tap.args[1:])
    result: Next | Invalid | Finish | None = None
    async with context.runtime.db.transaction() as session:
        stored = await form_store.get_form(session, user.id)
        form = FORMS.get(tap.action)
        if stored is None or form is None or stored.form != tap.action:
            notice = render("form_button_gone")
        elif _expired(context, stored):
            await form_store.clear_form(session, user.id)
            notice = render("form_expired", command=form.command)
        elif stored.step != step:
            notice = render("form_button_stale")
        else:
            notice = ""
            state = FormState(stored.form, stored.step, stored.data)
            result = await form.advance(_env(context, session), state, FormInput(choice=value))
            await _store_result(context, session, user.id, stored.chat_id, form, result)
    if result is None:
        await query.answer(notice[:200], show_alert=False)
        return
    await query.answer()
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


async def cancel(update: Update, context: BotContext) -> None:
    """``/annuleer``: leave any form; nothing of it is saved."""
    user = update.effective_user
    if user is None:
        return
    async with context.runtime.db.transaction() as session:
        had_form = await form_store.clear_form(session, user.id)
    await answer(update, context, Reply(render("form_cancelled", had_form=had_form)))
