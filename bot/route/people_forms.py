"""The forms of the people side of the route: ``/overdracht``, ``/doelgroep``, and a vacature
edited from ``/vacatures`` (the vacature form's own steps, begun at its summary).

Each saves through :mod:`bot.route.people_service` inside the update's one transaction; the
overdracht's message to the new owner rides on :class:`~bot.forms.engine.Finish` and goes out
after the commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.caselog.catalog import label_of
from bot.caselog.forms.common import Data, Rows, conf, find_client
from bot.caselog.forms.vacancy import VacancyForm
from bot.caselog.rules import is_expired
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, Next, StepResult
from bot.forms.parsers import date_answer, pick, problem_text, today, typed_text
from bot.forms.steps import DONE, SUMMARY, Stay, Step, StepForm, Taken
from bot.route import people_rules as rules
from bot.route import people_service as service
from bot.route.people_rules import Refusal

#: The Vandaag button of a date question.
TODAY = "vandaag"


def explain(problem: InputProblem) -> InputProblem:
    """A problem of this slice (``people_*``) as the engine's free-message problem, its Dutch
    text from ``route/people_problem.j2``; the shared codes stay as they are."""
    if not problem.code.startswith("people_"):
        return problem
    message = render("route/people_problem", code=problem.code, v=problem.values)
    return InputProblem("date", {"message": message})


def label(name: str, **values: Any) -> str:
    """A button label of this slice (``route/people_button.j2``)."""
    return render("route/people_button", name=name, **values)


class PeopleForm(StepForm):
    """A step form whose own problems are explained by this slice's template."""

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        try:
            return await super().take(env, step, data, given)
        except InputProblem as problem:
            raise explain(problem) from None


# --- /overdracht ------------------------------------------------------------------------------


def _refused(refusal: Refusal, ref: str) -> Finish:
    return Finish(Reply(render("route/people_handover_refused", refusal=refusal.value, ref=ref)))


async def _handover_ref(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    client = await find_client(env, typed_text(given))
    choice = await service.handover_choice(env.session, env.actor, client, env.team.deadlines)
    if isinstance(choice, Refusal):
        return _refused(choice, client.ref)
    if not choice.candidates:
        return Finish(Reply(render("route/people_handover_nobody", ref=client.ref)))
    return {
        **data,
        "ref": client.ref,
        "client_id": client.id,
        "owner": choice.owner_name,
        "following": choice.following,
        "cands": [[staff_id, name] for staff_id, name in choice.candidates],
    }


def _handover_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return keyboard_rows([form.button("to", c[0], str(c[1])) for c in data.get("cands", [])], 2)


def _handover_to(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    names = {str(c[0]): str(c[1]) for c in data.get("cands", [])}
    if given.choice is None or given.choice not in names:
        raise InputProblem("use_buttons")
    return {**data, "to": int(given.choice), "to_name": names[given.choice]}


def _handover_reason(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "reason": rules.check_reason(typed_text(given))}


def _handover_step(name: str, **kwargs: Any) -> Step:
    return Step(name, "route/people_handover_prompt", fixed={"step": name}, **kwargs)


class HandoverForm(PeopleForm):
    """``/overdracht REF``: give a client (and its open deadlines) to a colleague."""

    name = "ovdr"
    command = "overdracht"
    step_list = (
        _handover_step("ref", parse=_handover_ref),
        _handover_step("to", parse=_handover_to, buttons=_handover_buttons),
        _handover_step("reason", parse=_handover_reason),
    )
    editable = (("to", label("edit_receiver")), ("reason", label("edit_reason")))

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        return self.summary_reply(render("route/people_handover_summary", data=data, error=error))

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        done = await service.hand_over_client(
            env.session,
            env.actor,
            client_id=int(data["client_id"]),
            to_staff_id=int(data["to"]),
            reason=str(data["reason"]),
            config=env.team.deadlines,
            now=env.clock.now(),
        )
        if isinstance(done, Refusal):
            return _refused(done, str(data["ref"]))
        text = render("route/people_handover_saved", done=done)
        return Finish(Reply(text), done.outbox)


# --- /doelgroep ---------------------------------------------------------------------------------


async def _tags_ref(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    client = await find_client(env, typed_text(given))
    periods = await service.tag_history(env.session, client.id)
    return {
        **data,
        "ref": client.ref,
        "client_id": client.id,
        "before": list(client.tags),
        "tags": list(client.tags),
        "entered": client.entered_on.isoformat() if client.entered_on else None,
        "periods": [
            [p.tag, p.set_on.isoformat(), p.removed_on.isoformat() if p.removed_on else None]
            for p in periods
        ],
    }


def _tag_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    chosen = set(data.get("tags", []))
    mark = label("chosen")
    rows = keyboard_rows(
        [
            form.button("tags", c.code, (f"{mark} " if c.code in chosen else "") + c.label)
            for c in conf(env).tags
        ],
        2,
    )
    rows.append([form.button("tags", DONE, label("done"))])
    return rows


def _tags(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Stay:
    if given.choice == DONE:
        added, removed = rules.tag_changes(data.get("before", []), data.get("tags", []))
        if not added and not removed:
            raise InputProblem("people_tags_same")
        return data
    code = pick(given, conf(env).tags)
    return Stay({**data, "tags": rules.toggled(list(data.get("tags", [])), code)})


def _iso(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _last_change(data: Data) -> date | None:
    added, removed = rules.tag_changes(data.get("before", []), data.get("tags", []))
    periods = [(str(t), date.fromisoformat(s), _iso(r)) for t, s, r in data.get("periods", [])]
    return rules.last_change(periods, added + removed)


def _tag_date(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    day = date_answer(given, today(env), today_choice=TODAY)
    rules.check_tag_date(day, today(env), _iso(data.get("entered")), _last_change(data))
    return {**data, "on": day.isoformat()}


def _tags_step(name: str, **kwargs: Any) -> Step:
    return Step(name, "route/people_tags_prompt", fixed={"step": name}, **kwargs)


class TagsForm(PeopleForm):
    """``/doelgroep REF``: change the client's doelgroepen from a date (history kept)."""

    name = "doel"
    command = "doelgroep"
    step_list = (
        _tags_step("ref", parse=_tags_ref),
        _tags_step(
            "tags",
            parse=_tags,
            buttons=_tag_buttons,
            variables=lambda env, data: {"labels": _labels(env, data.get("tags", []))},
        ),
        _tags_step(
            "date",
            parse=_tag_date,
            buttons=lambda form, env, data: [[form.button("date", TODAY, label("today"))]],
        ),
    )
    editable = (("tags", label("edit_tags")), ("date", label("edit_date")))

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        added, removed = rules.tag_changes(data.get("before", []), data.get("tags", []))
        text = render(
            "route/people_tags_summary",
            ref=data["ref"],
            on=date.fromisoformat(data["on"]),
            added=_labels(env, added),
            removed=_labels(env, removed),
            now=_labels(env, data.get("tags", [])),
            error=error,
        )
        return self.summary_reply(text)

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        try:
            saved = await service.save_tags(
                env.session,
                env.actor,
                client_id=int(data["client_id"]),
                tags=list(data.get("tags", [])),
                on=date.fromisoformat(data["on"]),
                today=today(env),
                now=env.clock.now(),
            )
        except InputProblem as problem:
            # The periods changed since the date was asked (someone else edited them).
            error = problem_text(explain(problem))
            return Next("date", data, self.prompt(env, "date", data, error))
        text = render(
            "route/people_tags_saved",
            saved=saved,
            added=_labels(env, saved.added),
            removed=_labels(env, saved.removed),
        )
        return Finish(Reply(text))


def _labels(env: FormEnv, codes: list[str]) -> list[str]:
    return [label_of(conf(env).tags, code) for code in codes]


# --- a vacature edited from /vacatures ---------------------------------------------------------


class VacancyEditForm(VacancyForm):
    """A vacature changed by its author or a teamleider: the vacature form's steps, begun at
    its summary with the stored answers, saved over the same vacature."""

    name = "vacw"
    command = "vacatures"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        vacancy_id = int(args[0]) if args and args[0].isdigit() else 0
        vacancy = await service.vacancy_to_edit(env.session, env.actor, vacancy_id)
        if vacancy is None:
            return Finish(Reply(render("route/people_vacancy_not_editable")))
        data = {
            "vid": vacancy.id,
            "emp": vacancy.employer,
            "func": vacancy.function,
            "branche": vacancy.branche,
            "hours": vacancy.hours_per_week,
            "place": vacancy.place_kind,
            "ladder": vacancy.ladder_step,
            "closing": vacancy.closing_date.isoformat() if vacancy.closing_date else None,
            "source": vacancy.source,
            "contact": vacancy.contact_note,
        }
        return Next(SUMMARY, data, self.summary(env, data))

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        closing = date.fromisoformat(data["closing"]) if data.get("closing") else None
        if closing is not None and is_expired(closing, today(env)):
            error = problem_text(InputProblem("closing_passed"))
            return Next("closing", data, self.prompt(env, "closing", data, error))
        saved = await service.edit_vacancy(
            env.session,
            env.actor,
            int(data["vid"]),
            employer=data["emp"],
            function=data["func"],
            branche=data.get("branche"),
            hours_per_week=int(data["hours"] or 0),
            place_kind=data["place"],
            ladder_step=int(data["ladder"] or 0),
            closing_date=closing,
            source=data.get("source"),
            contact_note=data.get("contact"),
            now=env.clock.now(),
        )
        if saved is None:
            return Finish(Reply(render("route/people_vacancy_not_editable")))
        return Finish(Reply(render("route/people_vacancy_saved", **self._view(env, data))))


HANDOVER_FORM = HandoverForm()
TAGS_FORM = TagsForm()
VACANCY_EDIT_FORM = VacancyEditForm()

#: Every form of this slice, registered with the form engine in ``handlers/__init__.py``.
ALL_FORMS: tuple[StepForm, ...] = (HANDOVER_FORM, TAGS_FORM, VACANCY_EDIT_FORM)

__all__ = ["ALL_FORMS", "HANDOVER_FORM", "TAGS_FORM", "VACANCY_EDIT_FORM"]
