"""The form engine: multi-step forms whose state lives in the database.

A restart mid-form resumes where the person was, because the only state is a ``FormSession``
row written in the same transaction as the reply. One form per person at a time.

How to write a form
-------------------
Subclass :class:`Form`, give it a short unique ``name`` (it goes into callback data), and
implement two coroutines:

* ``begin(env, args)``: called by the form's command handler (``/aanmelding C-123``); returns the
  first :class:`Next` (or :class:`Finish` when nothing needs asking).
* ``advance(env, state, given)``: called with each answer. ``given.text`` is typed text,
  ``given.choice`` the value of a tapped button of *this* step, ``given.other`` is true for a
  photo, sticker or anything that is not text. Return:

  - :class:`Next` ``(step, data, reply)``: store the new step and answers, send ``reply``;
  - :class:`Invalid` ``(reply)``: refuse the answer, keep the state exactly as it was;
  - :class:`Finish` ``(reply)``: the form is over (saved or abandoned), its state is removed.

Make buttons with ``form.button(step, value, label)``: the callback data carries the form and
the step, so a button from an earlier step, or one pressed twice, is recognised and refused by
the engine before ``advance`` runs. Keep ``data`` JSON-safe (strings, numbers, lists).
Register the form instance in ``handlers/__init__.py``; start it from a command handler with
``handlers.forms.start_form``. Saving happens in ``advance`` through storage functions, inside
the update's one transaction, so a form is either saved completely or not at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.core.callbacks import family
from bot.core.clock import Clock
from bot.core.ui import Button, Outbox, Reply
from bot.settings import TeamSettings
from storage.staff import StaffMember

#: Form buttons: ``f:<form>:<step>:<value>``.
FORM_BUTTONS = family("f", "formulieren", any_action=(str, object))


@dataclass(frozen=True)
class FormInput:
    """One answer: typed text, a tapped button's value, or something else (photo, sticker)."""

    text: str | None = None
    choice: str | None = None
    other: bool = False


@dataclass(frozen=True)
class FormState:
    """Where a person is in a form."""

    form: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FormEnv:
    """What a form step may use: the update's session, the person, the clock and config."""

    session: AsyncSession
    actor: StaffMember
    clock: Clock
    config: Config
    #: The settings of the actor's team (the one place per-team settings come from).
    team: TeamSettings
    #: The bot's @username, for deep links.
    bot_username: str = ""


@dataclass(frozen=True)
class Next:
    """Go to ``step`` with ``data`` and send ``reply``."""

    step: str
    data: dict[str, Any]
    reply: Reply


@dataclass(frozen=True)
class Invalid:
    """Refuse the answer; the state stays as it was."""

    reply: Reply


@dataclass(frozen=True)
class Finish:
    """The form is over; its state is removed.

    ``outbox``: messages for other people (the colleague who got a client), sent after the
    commit, once the reply went out.
    """

    reply: Reply
    outbox: Outbox = field(default_factory=Outbox)


StepResult = Next | Invalid | Finish


class Form(ABC):
    """Base class of every form."""

    #: Short unique name, used in callback data (letters only, keep it under 8 characters).
    name: str
    #: The command that starts it, for messages such as "begin opnieuw met /aanmelding".
    command: str

    def button(self, step: str, value: object, label: str) -> Button:
        """A button answering ``step`` with ``value``."""
        return Button(label, FORM_BUTTONS.encode(self.name, step, value))

    @abstractmethod
    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """Start the form."""

    @abstractmethod
    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        """Take one answer."""


#: Every form by name; filled once by ``handlers.register_handlers``.
FORMS: dict[str, Form] = {}


def register_form(form: Form) -> None:
    """Make ``form`` reachable by the engine."""
    if form.name in FORMS and FORMS[form.name] is not form:
        raise ValueError(f"two forms named {form.name!r}")
    FORMS[form.name] = form


def command_for(form_name: str) -> str:
    """The command that starts the form called ``form_name`` (for "begin opnieuw met /…")."""
    form = FORMS.get(form_name)
    return form.command if form else form_name
