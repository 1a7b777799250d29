"""``/vacature`` (a vacature from an employer or the WSP) and marking one vervuld."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.caselog import rules, service
from bot.caselog.catalog import CLIENT_STATUSES, LADDER_STEPS, VACANCY_SOURCES, label_of
from bot.caselog.forms.common import (
    Data,
    choice_rows,
    conf,
    editable,
    find_client,
    one_button,
    with_cancel,
)
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Reply
from bot.forms.engine import Finish, FormEnv, FormInput, Next, StepResult
from bot.forms.parsers import date_answer, pick, problem_text, today, typed_text
from bot.forms.steps import SKIP, DirectStepForm, Step, StepForm
from bot.route.exit_forms import ask_leaves
from bot.route.exit_rules import may_place

TEMPLATE = "caselog/vacancy_prompt"


def _employer(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "emp": rules.check_short(typed_text(given), "werkgever")}


def _function(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "func": rules.check_short(typed_text(given), "functie")}


def _branche(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "branche": pick(given, conf(env).branches)}


def _hours(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "hours": rules.check_hours(typed_text(given))}


def _place(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "place": pick(given, conf(env).place_kinds)}


def _ladder(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    text = given.choice if given.choice is not None else typed_text(given)
    return {**data, "ladder": rules.check_ladder(text)}


def _closing(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "closing": None}
    closing = date_answer(given, today(env), **rules.closing_date_window(today(env)))
    return {**data, "closing": closing.isoformat()}


def _source(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "source": pick(given, VACANCY_SOURCES)}


def _contact(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "contact": None}
    return {**data, "contact": rules.check_note(typed_text(given))}


def _step(name: str, **kwargs: Any) -> Step:
    return Step(name, TEMPLATE, fixed={"step": name, "ladder": LADDER_STEPS}, **kwargs)


class VacancyForm(StepForm):
    """A vacature from an employer or the WSP."""

    name = "vac"
    command = "vacature"
    step_list = (
        _step("emp", parse=_employer),
        _step("func", parse=_function),
        _step(
            "branche",
            parse=_branche,
            buttons=lambda form, env, data: choice_rows(form, "branche", conf(env).branches, 2),
        ),
        _step("hours", parse=_hours),
        _step(
            "place",
            parse=_place,
            buttons=lambda form, env, data: choice_rows(form, "place", conf(env).place_kinds, 2),
        ),
        _step(
            "ladder",
            parse=_ladder,
            buttons=lambda form, env, data: choice_rows(
                form, "ladder", LADDER_STEPS, 6, codes=True
            ),
        ),
        _step("closing", parse=_closing, buttons=one_button("closing", SKIP, "no_closing")),
        _step(
            "source",
            parse=_source,
            buttons=lambda form, env, data: choice_rows(
                form, "source", VACANCY_SOURCES, len(VACANCY_SOURCES)
            ),
        ),
        _step("contact", parse=_contact, buttons=one_button("contact", SKIP, "no_contact")),
    )
    editable = editable(
        ("emp", "edit_employer"),
        ("func", "edit_function"),
        ("branche", "edit_branche"),
        ("hours", "edit_hours"),
        ("place", "edit_place"),
        ("ladder", "edit_ladder"),
        ("closing", "edit_closing"),
        ("source", "edit_source"),
        ("contact", "edit_contact"),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        return await self.go(env, {}, None)

    def _view(self, env: FormEnv, data: dict[str, Any]) -> dict[str, Any]:
        lists = conf(env)
        return {
            "employer": data["emp"],
            "function": data["func"],
            "branche": label_of(lists.branches, data.get("branche")),
            "hours": data["hours"],
            "place": label_of(lists.place_kinds, data.get("place")),
            "ladder": data["ladder"],
            "closing": date.fromisoformat(data["closing"]) if data.get("closing") else None,
            "source": label_of(VACANCY_SOURCES, data.get("source")),
            "contact": data.get("contact"),
        }

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        return self.summary_reply(
            render("caselog/vacancy_summary", **self._view(env, data), error=error)
        )

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        closing = date.fromisoformat(data["closing"]) if data.get("closing") else None
        if closing is not None and rules.is_expired(closing, today(env)):
            # The form stayed open past midnight and the closing date is now in the past.
            return Next(
                "closing",
                data,
                self.prompt(env, "closing", data, problem_text(InputProblem("closing_passed"))),
            )
        saved = await service.save_vacancy(
            env.session,
            env.actor,
            employer=data["emp"],
            function=data["func"],
            branche=data.get("branche"),
            hours_per_week=data["hours"],
            place_kind=data["place"],
            ladder_step=data["ladder"],
            closing_date=closing,
            source=data.get("source"),
            contact_note=data.get("contact"),
            now=env.clock.now(),
        )
        return Finish(Reply(render("caselog/vacancy_saved", id=saved.id, **self._view(env, data))))


# --- a vacature vervuld -----------------------------------------------------------------------


async def _placed(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "client_id": None, "ref": None}
    client = await find_client(env, typed_text(given))
    if not may_place(client.status):
        # A client who already left cannot be placed (again): herinstroom first.
        status = label_of(CLIENT_STATUSES, client.status)
        raise InputProblem("not_in_caseload", {"ref": client.ref, "status": status})
    return {**data, "client_id": client.id, "ref": client.ref}


class FillVacancyForm(DirectStepForm):
    """Mark a vacature vervuld, optionally with the client placed (a success, exit candidate)."""

    name = "vvul"
    command = "vacatures"
    step_list = (
        Step(
            "ref",
            "caselog/vacancy_fill_prompt",
            parse=_placed,
            buttons=with_cancel("ref", SKIP, "without_client"),
            skip=lambda data: False,
            cancel=False,
        ),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        vacancy = (
            await service.open_vacancy(env.session, env.actor, int(args[0]), env.team.vacancy_teams)
            if args
            else None
        )
        if vacancy is None:
            return Finish(Reply(render("caselog/vacancy_not_open")))
        data = {"vid": vacancy.id, "employer": vacancy.employer, "function": vacancy.function}
        return Next("ref", data, self.prompt(env, "ref", data))

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        client_id = data.get("client_id")
        filled = await service.fill_vacancy(
            env.session,
            env.actor,
            int(data["vid"]),
            client_id=int(client_id) if client_id is not None else None,
            now=env.clock.now(),
            today=today(env),
            shared=env.team.vacancy_teams,
        )
        if filled is None:
            return Finish(Reply(render("caselog/vacancy_not_open")))
        text = render("caselog/vacancy_filled", vacancy=filled)
        if filled.filled_client_ref is None:
            return Finish(Reply(text))
        # Does the client leave with this job? "Ja" opens /uitstroom, prefilled.
        question = ask_leaves(filled.id, filled.filled_client_ref, filled.hours_per_week)
        return Finish(Reply(f"{text}\n\n{question.text}", question.keyboard))
