"""Updates about a client: ``/traject``, the chat-style "what is this message?" question,
``/succes`` and ``/knelpunt``, and ``/categorie``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.caselog import rules, service
from bot.caselog.catalog import Choice, label_of
from bot.caselog.forms.common import (
    Data,
    Rows,
    choice_rows,
    conf,
    find_client,
    one_button,
    reference_step,
)
from bot.caselog.rules import KIND_LABELS, kind_label
from bot.caselog.views import button_label
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Reply
from bot.core.vocabulary import CaseItemKind
from bot.forms.engine import Finish, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.forms.parsers import date_answer, pick, problem_text, today, typed_text
from bot.forms.steps import NONE, SKIP, DirectStepForm, Step, StepForm, Taken
from bot.profiles import meaning
from bot.route import service as route_service
from bot.route import traject_rules

# --- /traject ------------------------------------------------------------------------------------

TRAJECTORY_TEMPLATE = "caselog/trajectory_prompt"


def _instrument(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "instr": pick(given, conf(env).instruments)}


def _start_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return [
        [
            form.button("start", "vandaag", button_label("today")),
            form.button("start", "maandag", button_label("next_monday")),
        ]
    ]


def _start(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == "vandaag":
        start = today(env)
    elif given.choice == "maandag":
        start = today(env) + timedelta(days=7 - today(env).weekday())
    else:
        start = date_answer(given, today(env), **rules.trajectory_start_window(today(env)))
    return {**data, "start": start.isoformat()}


#: The button value that takes the instrument's usual end (``[trajecten]``).
USUAL = "usual"


def _usual_end(env: FormEnv, data: Data) -> date | None:
    return traject_rules.usual_end(
        env.team.trajecten.rule(data["instr"]), date.fromisoformat(data["start"])
    )


def _end_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    """The usual end (when the instrument has one) above 'Geen einddatum'; typing still works."""
    rows = one_button("end", SKIP, "no_end")(form, env, data)
    usual = _usual_end(env, data)
    if usual is None:
        return rows
    months = env.team.trajecten.rule(data["instr"]).usual_months
    return [[form.button("end", USUAL, button_label("usual_end", day=usual, months=months))], *rows]


def _end_variables(env: FormEnv, data: Data) -> dict[str, Any]:
    rule = env.team.trajecten.rule(data["instr"])
    return {"usual": _usual_end(env, data), "rule": rule}


async def _end(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    start = date.fromisoformat(data["start"])
    if given.choice == SKIP:
        end_text = None
    elif given.choice == USUAL and _usual_end(env, data) is not None:
        end_text = str(_usual_end(env, data))
    else:
        end = date_answer(given, today(env), **rules.trajectory_end_window(start))
        rule = env.team.trajecten.rule(data["instr"])
        if end > traject_rules.latest_end(rule, start):
            raise InputProblem(
                "traject_too_long",
                {
                    "months": rule.max_months,
                    "latest": traject_rules.latest_end(rule, start),
                    "seed": rule.seed,
                },
            )
        end_text = end.isoformat()
    warn = await service.trajectory_needs_health_check(
        env.session, int(data["client_id"]), data["instr"], today(env)
    )
    return {**data, "end": end_text, "health": warn}


def _health(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    """Doorgaan saves the traject; Annuleren (the form's own button) saves nothing."""
    if given.choice != "doorgaan":
        raise InputProblem("use_buttons")
    return data


def _trajectory_step(name: str, **kwargs: Any) -> Step:
    return Step(name, TRAJECTORY_TEMPLATE, fixed={"step": name}, **kwargs)


class TrajectoryForm(DirectStepForm):
    """A traject about to start: instrument, start date, optional end date. No summary."""

    name = "traj"
    command = "traject"
    step_list = (
        reference_step(TRAJECTORY_TEMPLATE),
        _trajectory_step(
            "instr",
            parse=_instrument,
            buttons=lambda form, env, data: choice_rows(form, "instr", conf(env).instruments, 2),
        ),
        _trajectory_step("start", parse=_start, buttons=_start_buttons),
        _trajectory_step("end", parse=_end, buttons=_end_buttons, variables=_end_variables),
        _trajectory_step(
            "health",
            parse=_health,
            buttons=one_button("health", "doorgaan", "go_on"),
            skip=lambda data: not data.get("health"),
        ),
    )

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        instrument = label_of(conf(env).instruments, data["instr"])
        start = date.fromisoformat(data["start"])
        end = date.fromisoformat(data["end"]) if data.get("end") else None
        saved = await service.save_trajectory(
            env.session,
            env.actor,
            client_id=int(data["client_id"]),
            instrument=data["instr"],
            instrument_label=instrument,
            start=start,
            end=end,
            text=data.get("text"),
            now=env.clock.now(),
            settings=env.team.trajecten,
        )
        return Finish(
            Reply(
                render(
                    "caselog/item_saved",
                    item=saved,
                    kind_label=kind_label,
                    instrument=instrument,
                    start=start,
                    end=end,
                )
            )
        )


# --- the chat-style question ---------------------------------------------------------------------

#: What a chat-style message can be; "Niets" saves nothing.
CHAT_KINDS = (
    CaseItemKind.SUCCESS,
    CaseItemKind.BOTTLENECK,
    CaseItemKind.TRAJECTORY,
    CaseItemKind.NOTE,
)


def chat_choices() -> tuple[Choice, ...]:
    """The chat-style answers with their labels."""
    return (
        *(Choice(kind, KIND_LABELS[kind].capitalize()) for kind in CHAT_KINDS),
        Choice(NONE, button_label("nothing")),
    )


def _kind_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return choice_rows(form, "kind", chat_choices(), 3)


#: How many messages may wait for the open question; more are refused out loud, never dropped.
MAX_QUEUED = 10


def _queue(form: StepForm, env: FormEnv, data: Data, text: str) -> StepResult:
    """Keep a message typed while the question is open; it gets its own question afterwards."""
    queued = list(data.get("queued", []))
    if len(queued) >= MAX_QUEUED:
        notice = render("caselog/chat_style_queue_full", limit=MAX_QUEUED)
        return Invalid(form.prompt(env, "kind", data, notice))
    queued.append(text)
    kept = {**data, "queued": queued}
    notice = render("caselog/chat_style_queued", count=len(queued))
    return Next("kind", kept, form.prompt(env, "kind", kept, notice))


async def _kind(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    try:
        kind = pick(given, chat_choices())
    except InputProblem:
        if given.text:
            # A new message, not an answer: keep it for after this question (defect 9.16).
            return _queue(form, env, data, given.text)
        raise
    if kind == NONE:
        return Finish(Reply(render("caselog/chat_style_nothing")))
    if kind == CaseItemKind.TRAJECTORY:
        return {**data, "kind": kind}
    saved = await service.add_update(
        env.session,
        env.actor,
        client_id=int(data["client_id"]),
        kind=CaseItemKind(kind),
        text=data["text"],
        now=env.clock.now(),
    )
    return Finish(Reply(render("caselog/item_saved", item=saved, kind_label=kind_label)))


class ChatStyleForm(TrajectoryForm):
    """Plain text naming a client: "C-10234 heeft een contract bij de bakker!" → what is it?"""

    name = "chat"
    command = "traject"
    step_list = (
        Step(
            "kind",
            "caselog/chat_style_prompt",
            parse=_kind,
            buttons=_kind_buttons,
            variables=lambda env, data: {"ref": data["ref"]},
            cancel=False,
        ),
        *TrajectoryForm.step_list[1:],
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """``args``: the recognised reference and the whole message text."""
        ref, text = args
        return await self._ask(env, ref, text, [])

    async def _ask(self, env: FormEnv, ref: str, text: str, queued: list[str]) -> StepResult:
        """The question for one message (``queued``: the messages still waiting after it)."""
        client = await service.client_by_ref(env.session, env.actor.team_id, ref)
        if client is None:
            return Finish(Reply(problem_text(InputProblem("ref_unknown", {"ref": ref}))))
        try:
            note = rules.check_note(text)
        except InputProblem as problem:
            return Finish(Reply(problem_text(problem)))
        data: Data = {"ref": client.ref, "client_id": client.id, "text": note}
        if queued:
            data["queued"] = queued
        return await self.go(env, data, None)

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        """As any step form; when this message is done, the next waiting one gets its turn."""
        result = await super().advance(env, state, given)
        queued = list(state.data.get("queued", []))
        if not isinstance(result, Finish) or not queued:
            return result
        replies = [result.reply.text]
        while queued:
            text = queued.pop(0)
            ref = await service.reference_in(env.session, env.actor, env.team.reference_rule, text)
            if ref is None:
                replies.append(render("caselog/chat_style_no_ref"))
                continue
            following = await self._ask(env, ref, text, queued)
            replies.append(following.reply.text)
            if isinstance(following, Next):
                body = "\n\n".join(replies)
                return Next(following.step, following.data, Reply(body, following.reply.keyboard))
        return Finish(Reply("\n\n".join(replies)))


# --- /succes and /knelpunt ---------------------------------------------------------------------

QUICK_TEMPLATE = "caselog/quick_prompt"


def _text(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "text": None}
    return {**data, "text": rules.check_note(typed_text(given))}


class QuickUpdateForm(DirectStepForm):
    """``/succes REF [tekst]`` or ``/knelpunt REF [tekst]``: saved at once when all is given."""

    steps = ("ref", "text")

    def __init__(self, name: str, command: str, kind: CaseItemKind) -> None:
        self.name = name
        self.command = command
        self.kind = kind
        self.step_list = (
            reference_step(QUICK_TEMPLATE, kind=kind),
            Step(
                "text",
                QUICK_TEMPLATE,
                parse=_text,
                buttons=one_button("text", SKIP, "save_without_text"),
                fixed={"step": "text", "kind": kind},
            ),
        )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """``args``: optionally the reference, then optionally the text (one string)."""
        data: dict[str, Any] = {}
        text_error = ""
        if len(args) > 1:
            try:
                data["text"] = rules.check_note(args[1])
            except InputProblem as problem:
                text_error = problem_text(problem)
        result = await self.begin_with_ref(env, args[:1], **data)
        if text_error and isinstance(result, Next) and result.step == "text":
            return Next("text", result.data, self.prompt(env, "text", result.data, text_error))
        return result

    def skip(self, step: str, data: dict[str, Any]) -> bool:
        return step in data

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        saved = await service.add_update(
            env.session,
            env.actor,
            client_id=int(data["client_id"]),
            kind=self.kind,
            text=data.get("text"),
            now=env.clock.now(),
        )
        return Finish(Reply(render("caselog/item_saved", item=saved, kind_label=kind_label)))


# --- /categorie -----------------------------------------------------------------------------------

CATEGORY_TEMPLATE = "caselog/category_prompt"


async def _category_ref(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    client = await find_client(env, typed_text(given))
    return {
        **data,
        "ref": client.ref,
        "client_id": client.id,
        "current_cat": client.category,
        "current_sub": client.subcategory,
    }


def _current(env: FormEnv, data: Data) -> dict[str, Any]:
    lists = conf(env)
    return {
        "current": {
            "category": label_of(lists.categories, data["current_cat"])
            if data.get("current_cat")
            else None,
            "subcategory": label_of(lists.subcategories, data.get("current_sub")),
        }
    }


def _new_category(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "cat": pick(given, conf(env).categories)}


async def _subcategory(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    data = {**data, "sub": pick(given, conf(env).subcategories), "lb": None, "lbs": []}
    # What the category sets in motion is the team profile's meaning; kept in the form's data
    # so the LB step knows without the profile.
    data["needs_lb"] = meaning.needs_lb_appointment(env.team.profile, data.get("cat"))
    if data["needs_lb"]:
        lbs = await route_service.loopbaanbegeleiders(env.session, env.actor.team_id)
        if not lbs:
            raise InputProblem("no_lb")
        data["lbs"] = [[p.staff_id, p.display_name] for p in lbs]
    return data


def _lb_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return [[form.button("lb", str(sid), name)] for sid, name in data.get("lbs", [])]


async def _lb(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    """The loopbaanbegeleider, re-checked against the team as it is now."""
    if given.choice is None or not given.choice.isdigit():
        raise InputProblem("use_buttons")
    lbs = await route_service.loopbaanbegeleiders(env.session, env.actor.team_id)
    chosen = next((p for p in lbs if p.staff_id == int(given.choice)), None)
    if chosen is None:
        raise InputProblem("use_buttons")
    return {**data, "lb": chosen.staff_id, "lb_name": chosen.display_name}


def _reason(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "reason": rules.check_note(typed_text(given))}


def _category_step(name: str, **kwargs: Any) -> Step:
    return Step(name, CATEGORY_TEMPLATE, fixed={"step": name}, variables=_current, **kwargs)


class CategoryForm(DirectStepForm):
    """Change a client's category outside the weekdate, with a reason (kept in the history)."""

    name = "cat"
    command = "categorie"
    step_list = (
        _category_step("ref", parse=_category_ref),
        _category_step(
            "cat",
            parse=_new_category,
            buttons=lambda form, env, data: choice_rows(form, "cat", conf(env).categories, 3),
        ),
        _category_step(
            "sub",
            parse=_subcategory,
            buttons=lambda form, env, data: choice_rows(form, "sub", conf(env).subcategories, 1),
        ),
        _category_step(
            "lb",
            parse=_lb,
            buttons=_lb_buttons,
            skip=lambda data: not data.get("needs_lb"),
        ),
        _category_step("reason", parse=_reason),
    )

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        lists = conf(env)
        changed = await route_service.change_category(
            env.session,
            env.actor,
            client_id=int(data["client_id"]),
            category=data["cat"],
            subcategory=data["sub"],
            lb_staff_id=data.get("lb"),
            reason=data["reason"],
            clock=env.clock,
            lb_working_days=env.team.deadlines.lb_appointment_working_days,
            profile=env.team.profile,
        )
        return Finish(
            Reply(
                render(
                    "caselog/category_saved",
                    ref=data["ref"],
                    category=label_of(lists.categories, data["cat"]),
                    subcategory=label_of(lists.subcategories, data["sub"]),
                    old=label_of(lists.categories, data.get("current_cat")),
                    reason=data["reason"],
                    lb_name=changed.applied.lb_name,
                    lb_due=changed.applied.lb_due,
                    handed_over=changed.applied.new_owner_staff_id is not None,
                )
            ),
            notices=tuple(changed.notices),
        )
