"""What the case log's forms share: looking a typed reference up, and buttons from lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.caselog import service
from bot.caselog.catalog import CaselogConfig, Choice
from bot.caselog.views import button_label
from bot.core.answers import InputProblem
from bot.core.ui import Button, keyboard_rows
from bot.forms.engine import FormEnv, FormInput
from bot.forms.parsers import check_ref, typed_text
from bot.forms.steps import Step, StepForm

Data = dict[str, Any]
Rows = list[list[Button]]


async def find_client(env: FormEnv, text: str) -> service.ClientInfo:
    """The actor's team's client for a typed reference; refuses bad and unknown references."""
    ref = check_ref(env, text)
    client = await service.client_by_ref(env.session, env.actor.team_id, ref)
    if client is None:
        raise InputProblem("ref_unknown", {"ref": ref})
    return client


def conf(env: FormEnv) -> CaselogConfig:
    """The lists of choices of the actor's team."""
    return env.team.caselog


def choice_rows(
    form: StepForm, step: str, options: Iterable[Choice], per_row: int, *, codes: bool = False
) -> Rows:
    """One button per option (labelled with its code when ``codes``), ``per_row`` a row."""
    return keyboard_rows(
        [form.button(step, c.code, c.code if codes else c.label) for c in options], per_row
    )


def one_button(step: str, value: str, label: str) -> Callable[[StepForm, FormEnv, Data], Rows]:
    """Buttons: a single row with one button (label: ``caselog/button.j2`` ``label``)."""

    def rows(form: StepForm, env: FormEnv, data: Data) -> Rows:
        return [[form.button(step, value, button_label(label))]]

    return rows


def with_cancel(step: str, value: str, label: str) -> Callable[[StepForm, FormEnv, Data], Rows]:
    """Buttons: one button with Annuleren beside it on the same row."""

    def rows(form: StepForm, env: FormEnv, data: Data) -> Rows:
        return [[form.button(step, value, button_label(label)), form.stop_button(step)]]

    return rows


def editable(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """``StepForm.editable`` with the labels from ``caselog/button.j2``."""
    return tuple((step, button_label(label)) for step, label in pairs)


def reference_step(template: str, **fixed: Any) -> Step:
    """A plain "which client?" step: a known reference of the team; stores ref and client_id."""

    async def parse(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
        client = await find_client(env, typed_text(given))
        return {**data, "ref": client.ref, "client_id": client.id}

    return Step("ref", template, parse=parse, fixed={"step": "ref", **fixed})
