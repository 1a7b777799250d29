"""Step forms: a form written as an ordered list of steps, each in one place.

A :class:`Step` holds everything about one question: the template of its prompt, its buttons,
how its answer is parsed, and when it is skipped. :class:`StepForm` walks the steps in order,
ends in a summary with Opslaan / Wijzigen / Annuleren (or saves at once when ``has_summary`` is
false), and refuses a bad answer by showing the prompt again with a Dutch reason above it: the
state does not change. Saving goes through the feature's service, inside the update's one
transaction, so a form is saved completely or not at all.

A form whose steps need more than a template (a prompt that reads the database, say) overrides
:meth:`StepForm.prompt` or :meth:`StepForm.take` for those steps; everything else comes from
its :class:`Step` list.
"""

from __future__ import annotations

import inspect
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.forms.engine import (
    Finish,
    Form,
    FormEnv,
    FormInput,
    FormState,
    Invalid,
    Next,
    StepResult,
)
from bot.forms.parsers import problem_text

STOP = "stop"
SAVE = "save"
EDIT = "edit"
SKIP = "skip"
DONE = "klaar"
NONE = "none"
SUMMARY = "sum"
EDIT_MENU = "edit"


@dataclass(frozen=True)
class Stay:
    """An answer that keeps the form on the same step (a multi-select toggle)."""

    data: dict[str, Any]


Data = dict[str, Any]
#: What a step's parser returns: the new answers, :class:`Stay`, or a result to return as is.
Taken = Data | Stay | StepResult
Parser = Callable[["StepForm", FormEnv, Data, FormInput], Taken | Awaitable[Taken]]
ButtonMaker = Callable[["StepForm", FormEnv, Data], list[list[Button]]]


@dataclass(frozen=True)
class Step:
    """One question of a step form, written in one place."""

    name: str
    #: The prompt's template; it gets ``error``, ``data`` and what ``variables`` returns.
    template: str = ""
    #: Takes the answer; raises :class:`InputProblem` to refuse it.
    parse: Parser | None = None
    #: The step's buttons (Annuleren is added below them).
    buttons: ButtonMaker | None = None
    #: Whether the step needs no question with these answers.
    skip: Callable[[Data], bool] | None = None
    #: Extra template variables.
    variables: Callable[[FormEnv, Data], Mapping[str, Any]] | None = None
    #: Whether the step gets an Annuleren button.
    cancel: bool = True
    #: Template variables that are always the same.
    fixed: Mapping[str, Any] = field(default_factory=dict)


class StepForm(Form):
    """A form that walks ``steps`` in order and, when ``has_summary``, ends in a summary."""

    #: The steps in order, each written in one place (see :class:`Step`).
    step_list: tuple[Step, ...] = ()
    #: The step names in order (derived from ``step_list`` when that is given).
    steps: tuple[str, ...] = ()
    has_summary = True
    #: Steps that can be changed from the summary, with their button labels.
    editable: tuple[tuple[str, str], ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.step_list and not cls.__dict__.get("steps"):
            cls.steps = tuple(step.name for step in cls.step_list)

    def step(self, name: str) -> Step | None:
        """The declared step called ``name``, if the form declares it."""
        return next((s for s in self.step_list if s.name == name), None)

    # --- what a concrete form provides (or declares in ``step_list``) ------------------------

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        """The question for ``step`` (with ``error`` on top after a refused answer)."""
        spec = self.step(step)
        if spec is None or not spec.template:
            # A programming error, caught by the form's tests: the step is neither declared in
            # ``step_list`` nor handled by an override of ``prompt``.
            raise LookupError(f"{type(self).__name__} has no prompt for step {step!r}")
        variables = dict(spec.fixed)
        if spec.variables is not None:
            variables.update(spec.variables(env, data))
        text = render(spec.template, error=error, data=data, **variables)
        rows = spec.buttons(self, env, data) if spec.buttons is not None else []
        if spec.cancel:
            rows = [*rows, [self.stop_button(step)]]
        return Reply(text, rows)

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        """Take the answer to ``step``: new data, :class:`Stay`, or a result to return as is."""
        spec = self.step(step)
        if spec is None or spec.parse is None:
            # As above: neither declared with a parser nor handled by an override of ``take``.
            raise LookupError(f"{type(self).__name__} cannot take step {step!r}")
        taken = spec.parse(self, env, data, given)
        if inspect.isawaitable(taken):
            return await taken
        return taken

    @abstractmethod
    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        """Store what the form collected."""

    @abstractmethod
    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        """The summary before saving."""

    def skip(self, step: str, data: dict[str, Any]) -> bool:
        """Whether ``step`` needs no question with these answers."""
        spec = self.step(step)
        if spec is not None and spec.skip is not None:
            return spec.skip(data)
        return step in data and step == "ref"

    # --- shared machinery --------------------------------------------------------------------

    def stop_button(self, step: str) -> Button:
        """The Annuleren button of ``step``."""
        return self.button(step, STOP, render("forms/button_cancel"))

    def summary_reply(self, body: str) -> Reply:
        """``body`` with Opslaan / Wijzigen / Annuleren."""
        return Reply(
            body,
            [
                [
                    self.button(SUMMARY, SAVE, render("forms/button_save")),
                    self.button(SUMMARY, EDIT, render("forms/button_edit")),
                ],
                [self.stop_button(SUMMARY)],
            ],
        )

    def edit_menu(self, error: str = "") -> Reply:
        """Which answer to change."""
        buttons = [self.button(EDIT_MENU, step, label) for step, label in self.editable]
        rows = keyboard_rows(buttons, 2)
        rows.append(
            [
                self.button(EDIT_MENU, SUMMARY, render("forms/button_back")),
                self.stop_button(EDIT_MENU),
            ]
        )
        return Reply(render("forms/edit_menu", error=error), rows)

    async def go(self, env: FormEnv, data: dict[str, Any], after: str | None) -> StepResult:
        """Ask the next unanswered step after ``after``, or show the summary, or save."""
        if data.get("editing") and self.has_summary:
            data = {k: v for k, v in data.items() if k != "editing"}
            return Next(SUMMARY, data, self.summary(env, data))
        start = 0 if after is None else self.steps.index(after) + 1
        for step in self.steps[start:]:
            if not self.skip(step, data):
                return Next(step, data, self.prompt(env, step, data))
        if self.has_summary:
            return Next(SUMMARY, data, self.summary(env, data))
        return await self.save(env, data)

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        if given.choice == STOP:
            return Finish(Reply(render("forms/form_cancelled", had_form=True)))
        data = dict(state.data)
        step = state.step
        if step == SUMMARY:
            if given.choice == SAVE:
                return await self.save(env, data)
            if given.choice == EDIT:
                return Next(EDIT_MENU, data, self.edit_menu())
            return Invalid(self.summary(env, data, problem_text(InputProblem("use_buttons"))))
        if step == EDIT_MENU:
            if given.choice == SUMMARY:
                return Next(SUMMARY, data, self.summary(env, data))
            if given.choice in dict(self.editable):
                data["editing"] = True
                return Next(given.choice, data, self.prompt(env, given.choice, data))
            return Invalid(self.edit_menu(problem_text(InputProblem("use_buttons"))))
        try:
            taken = await self.take(env, step, data, given)
        except InputProblem as problem:
            return Invalid(self.prompt(env, step, data, problem_text(problem)))
        if isinstance(taken, Stay):
            return Next(step, taken.data, self.prompt(env, step, taken.data))
        if isinstance(taken, Next | Invalid | Finish):
            return taken
        return await self.go(env, taken, step)

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """By default a step form starts with the client reference (given or asked)."""
        return await self.begin_with_ref(env, args)

    async def begin_with_ref(self, env: FormEnv, args: list[str], **data: Any) -> StepResult:
        """Start; a reference given with the command is checked like a typed one."""
        if not args:
            return await self.go(env, dict(data), None)
        try:
            taken = await self.take(env, "ref", dict(data), FormInput(text=args[0]))
        except InputProblem as problem:
            return Next("ref", dict(data), self.prompt(env, "ref", data, problem_text(problem)))
        if isinstance(taken, Stay):
            taken = taken.data
        if isinstance(taken, Next | Invalid | Finish):
            return taken
        return await self.go(env, taken, "ref")


class DirectStepForm(StepForm):
    """A step form that saves right after its last step, without a summary."""

    has_summary = False

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        # Never shown (``go`` saves instead); should a stored state point here, ask again.
        return self.prompt(env, self.steps[-1], data, error)
