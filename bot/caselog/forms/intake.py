"""``/aanmelding``: a new client after the first conversation; goes on the next weekdate agenda."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.caselog import rules, service
from bot.caselog.catalog import ENTITLEMENTS, label_of
from bot.caselog.forms.common import Data, Rows, choice_rows, conf, editable, one_button
from bot.caselog.views import button_label
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, Next, StepResult
from bot.forms.parsers import check_ref, date_answer, pick, problem_text, today, typed_text
from bot.forms.steps import DONE, NONE, SKIP, Stay, Step, StepForm, Taken

TEMPLATE = "caselog/intake_prompt"
#: The entitlement answer that asks for the benefit start date.
ENTITLED = "ja"


async def _ref(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    ref = check_ref(env, typed_text(given))
    existing = await service.client_by_ref(env.session, env.actor.team_id, ref)
    if existing is not None and service.is_active(existing):
        raise InputProblem("ref_active", {"ref": ref})
    return {**data, "ref": ref, "herinstroom": existing is not None}


def _date_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return [
        [
            form.button("date", "vandaag", button_label("today")),
            form.button("date", "gisteren", button_label("yesterday")),
        ]
    ]


def _date(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice in ("vandaag", "gisteren"):
        given = FormInput(text=given.choice)  # the buttons answer with the words they mean
    day = date_answer(given, today(env), **rules.first_conversation_window(today(env)))
    return {**data, "date": day.isoformat()}


def _entitlement(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    ent = pick(given, ENTITLEMENTS)
    if ent != ENTITLED:
        return {**data, "ent": ent, "benefit": None}
    if data.get("editing"):
        # Changed to "ja" from the summary: ask the start date before going back.
        changed = {**data, "ent": ent}
        return Next("benefit", changed, form.prompt(env, "benefit", changed))
    return {**data, "ent": ent}


def _benefit(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "benefit": None}
    start = date_answer(given, today(env), **rules.benefit_start_window(today(env)))
    return {**data, "benefit": start.isoformat()}


def _tag_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    chosen = set(data.get("tags", []))
    mark = button_label("chosen")
    rows = keyboard_rows(
        [
            form.button("tags", c.code, (f"{mark} " if c.code in chosen else "") + c.label)
            for c in conf(env).tags
        ],
        2,
    )
    rows.append([form.button("tags", DONE, button_label("done"))])
    return rows


def _tags(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Stay:
    if given.choice == DONE:
        return data
    code = pick(given, conf(env).tags)
    tags = list(data.get("tags", []))
    if code in tags:
        tags.remove(code)
    else:
        tags.append(code)
    return Stay({**data, "tags": tags})


def _category_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    options = [form.button("cat", c.code, c.label) for c in conf(env).categories]
    options.append(form.button("cat", NONE, button_label("unknown_yet")))
    return keyboard_rows(options, 3)


def _category(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == NONE:
        return {**data, "cat": None}
    return {**data, "cat": pick(given, conf(env).categories)}


def _note(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "note": None}
    return {**data, "note": rules.check_note(typed_text(given))}


def _step(name: str, **kwargs: Any) -> Step:
    return Step(name, TEMPLATE, fixed={"step": name}, **kwargs)


class IntakeForm(StepForm):
    """A new client after the first conversation; goes on the next weekdate agenda."""

    name = "aanm"
    command = "aanmelding"
    step_list = (
        _step("ref", parse=_ref),
        _step("date", parse=_date, buttons=_date_buttons),
        _step(
            "ent",
            parse=_entitlement,
            buttons=lambda form, env, data: choice_rows(form, "ent", ENTITLEMENTS, 2),
        ),
        _step(
            "benefit",
            parse=_benefit,
            buttons=one_button("benefit", SKIP, "unknown_yet"),
            # The benefit start date only matters when there is a right to a benefit.
            skip=lambda data: data.get("ent") != ENTITLED,
        ),
        _step("tags", parse=_tags, buttons=_tag_buttons),
        _step("cat", parse=_category, buttons=_category_buttons),
        _step("note", parse=_note, buttons=one_button("note", SKIP, "no_note")),
    )
    editable = editable(
        ("date", "edit_date"),
        ("ent", "edit_entitlement"),
        ("tags", "edit_tags"),
        ("cat", "edit_category"),
        ("note", "edit_note"),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        return await self.begin_with_ref(env, args, tags=[])

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        return self.summary_reply(
            render("caselog/intake_summary", **self._view(env, data), error=error)
        )

    def _view(self, env: FormEnv, data: dict[str, Any]) -> dict[str, Any]:
        lists = conf(env)
        return {
            "ref": data["ref"],
            "herinstroom": data.get("herinstroom", False),
            "day": date.fromisoformat(data["date"]),
            "entitlement": label_of(ENTITLEMENTS, data.get("ent")),
            "benefit": date.fromisoformat(data["benefit"]) if data.get("benefit") else None,
            "tags": [label_of(lists.tags, t) for t in data.get("tags", [])],
            "category": label_of(lists.categories, data.get("cat")) if data.get("cat") else None,
            "note": data.get("note"),
        }

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        saved = await service.save_intake(
            env.session,
            env.actor,
            ref=data["ref"],
            first_conversation=date.fromisoformat(data["date"]),
            entitlement=data["ent"],
            benefit_start=date.fromisoformat(data["benefit"]) if data.get("benefit") else None,
            tags=list(data.get("tags", [])),
            proposed_category=data.get("cat"),
            note=data.get("note"),
            now=env.clock.now(),
            deadlines=env.team.deadlines,
            today=today(env),
        )
        if saved is None:
            return Finish(Reply(problem_text(InputProblem("ref_active", {"ref": data["ref"]}))))
        view = self._view(env, data) | {"herinstroom": saved.herinstroom}
        return Finish(Reply(render("caselog/intake_saved", **view)))
