"""Form state use cases: start a form, feed it an answer or a tap, cancel it, expire it.

The form runner (``handlers/forms.py``) and the expiry job call one function here each; each
opens the transaction, reads and writes the person's one ``FormSession`` row through
:mod:`storage.forms`, and runs the form's step inside that same transaction, so a form's save
and its new state commit together. Replies go out after commit, from the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.render import render
from bot.core.ui import Reply
from bot.forms.engine import (
    FORMS,
    Finish,
    Form,
    FormEnv,
    FormInput,
    FormState,
    Invalid,
    Next,
    StepResult,
    command_for,
)
from storage import forms as form_store
from storage.db import Database
from storage.forms import StoredForm

#: Builds the form's environment around the transaction's session.
EnvMaker = Callable[[AsyncSession], FormEnv]


def _expired(stored: StoredForm, now: datetime, silence: timedelta) -> bool:
    return now - stored.updated_at > silence


def expired_reply(form_name: str, silence: timedelta) -> Reply:
    """The notice that a form ended after ``silence`` (the configured form_timeout_minutes)."""
    return Reply(_expired_text(command_for(form_name), silence))


def _expired_text(command: str, silence: timedelta) -> str:
    minutes = int(silence.total_seconds()) // 60
    return render("forms/form_expired", command=command, minutes=minutes)


async def _store(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    form: Form,
    result: StepResult,
    now: datetime,
) -> None:
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


@dataclass(frozen=True)
class Started:
    """A started form's first result, and the other form it replaced (if any)."""

    result: StepResult
    replaced: str | None


async def start(
    db: Database,
    make_env: EnvMaker,
    form: Form,
    *,
    user_id: int,
    chat_id: int,
    args: list[str],
    now: datetime,
) -> Started:
    """Begin ``form`` (replacing any form in progress unless the start was refused)."""
    async with db.transaction() as session:
        previous = await form_store.get_form(session, user_id)
        result = await form.begin(make_env(session), args)
        if previous is not None and not isinstance(result, Invalid):
            await form_store.clear_form(session, user_id)
        await _store(session, user_id, chat_id, form, result, now)
    replaced = None
    if previous is not None and previous.form != form.name and not isinstance(result, Invalid):
        replaced = previous.form
    return Started(result, replaced)


async def answer(
    db: Database,
    make_env: EnvMaker,
    *,
    user_id: int,
    given: FormInput,
    now: datetime,
    silence: timedelta,
) -> StepResult | None:
    """Feed a message to the person's open form; ``None`` when no form is open."""
    async with db.transaction() as session:
        stored = await form_store.get_form(session, user_id)
        if stored is None:
            return None
        form = FORMS.get(stored.form)
        if form is None or _expired(stored, now, silence):
            await form_store.clear_form(session, user_id)
            return Finish(expired_reply(stored.form, silence))
        state = FormState(stored.form, stored.step, stored.data)
        result = await form.advance(make_env(session), state, given)
        await _store(session, user_id, stored.chat_id, form, result, now)
    return result


class TapRefused(StrEnum):
    """Why a tapped form button was not taken."""

    #: No such form open (finished, cancelled, or another form).
    GONE = "gone"
    EXPIRED = "expired"
    #: A button of an earlier step.
    STALE = "stale"


@dataclass(frozen=True)
class Tapped:
    """A tap's result, or why it was refused (with the refusing notice)."""

    result: StepResult | None
    refused: TapRefused | None = None
    notice: str = ""


async def tap(
    db: Database,
    make_env: EnvMaker,
    *,
    user_id: int,
    form_name: str,
    step: str,
    value: str,
    now: datetime,
    silence: timedelta,
) -> Tapped:
    """Only a button of the current step of the open form counts."""
    async with db.transaction() as session:
        stored = await form_store.get_form(session, user_id)
        form = FORMS.get(form_name)
        if stored is None or form is None or stored.form != form_name:
            return Tapped(None, TapRefused.GONE, render("forms/form_button_gone"))
        if _expired(stored, now, silence):
            await form_store.clear_form(session, user_id)
            notice = _expired_text(form.command, silence)
            return Tapped(None, TapRefused.EXPIRED, notice)
        if stored.step != step:
            return Tapped(None, TapRefused.STALE, render("forms/form_button_stale"))
        state = FormState(stored.form, stored.step, stored.data)
        result = await form.advance(make_env(session), state, FormInput(choice=value))
        await _store(session, user_id, stored.chat_id, form, result, now)
    return Tapped(result)


async def cancel(db: Database, user_id: int) -> bool:
    """Leave any form; nothing of it is saved. True if there was one."""
    async with db.transaction() as session:
        return await form_store.clear_form(session, user_id)


async def take_expired(db: Database, cutoff: datetime) -> list[StoredForm]:
    """Remove and return every form last touched before ``cutoff``."""
    async with db.transaction() as session:
        return await form_store.take_expired_forms(session, cutoff)


async def open_form(session: AsyncSession, user_id: int) -> StoredForm | None:
    """The person's form in progress (inside a caller's transaction)."""
    return await form_store.get_form(session, user_id)


async def clear(session: AsyncSession, user_id: int) -> bool:
    """End the person's form inside a caller's transaction; True if there was one."""
    return await form_store.clear_form(session, user_id)
