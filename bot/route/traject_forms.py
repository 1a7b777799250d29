"""Gedaan on a traject's end: the outcome form (afgerond met resultaat, voortijdig gestopt with a
reason, verlengd with a new end within the instrument's limits).

Started by the deadline card's Gedaan button (``handlers/deadlines.py``) for an end deadline of a
traject. Each step is declarative; ``save`` re-checks everything in one transaction
(:func:`bot.route.traject_service.record_outcome`), so a double tap or a restart mid-form saves
at most once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.caselog.catalog import label_of
from bot.caselog.rules import check_note
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Reply
from bot.core.vocabulary import TrajectoryOutcome
from bot.deadlines.rules import add_months
from bot.forms.engine import Finish, FormEnv, FormInput, StepResult
from bot.forms.parsers import date_answer, today, typed_text
from bot.forms.steps import DirectStepForm, Step, StepForm
from bot.route import traject_rules, traject_service
from bot.route.traject_rules import TrajectProblem

TEMPLATE = "route/outcome_prompt"
#: The button that takes the usual length once more.
USUAL = "usual"

Data = dict[str, Any]
Rows = list[list[Any]]


def _rule(env: FormEnv, data: Data) -> traject_rules.InstrumentRule:
    return env.team.trajecten.rule(data["instr"])


def _usual_new_end(env: FormEnv, data: Data) -> date | None:
    rule = _rule(env, data)
    if rule.usual_months is None or not data.get("end"):
        return None
    return add_months(date.fromisoformat(data["end"]), rule.usual_months)


def _variables(env: FormEnv, data: Data) -> dict[str, Any]:
    return {
        "rule": _rule(env, data),
        "label": label_of(env.team.caselog.instruments, data["instr"]),
        "start": date.fromisoformat(data["start"]),
        "end": date.fromisoformat(data["end"]) if data.get("end") else None,
        "extensions": data["extensions"],
        "usual_new_end": _usual_new_end(env, data),
    }


def _outcome_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return [
        [form.button("outcome", o.value, render("route/outcome_label", code=o.value))]
        for o in TrajectoryOutcome
    ]


def _outcome(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice not in {o.value for o in TrajectoryOutcome}:
        raise InputProblem("pick_outcome")
    return {**data, "outcome": given.choice}


def _reason(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "reason": check_note(typed_text(given))}


def _new_end_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    usual = _usual_new_end(env, data)
    if usual is None:
        return []
    months = _rule(env, data).usual_months
    return [[form.button("new_end", USUAL, render("route/usual_label", day=usual, months=months))]]


def _new_end(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    start = date.fromisoformat(data["start"])
    end = date.fromisoformat(data["end"]) if data.get("end") else None
    usual = _usual_new_end(env, data)
    if given.choice == USUAL and usual is not None:
        new_end = usual
    else:
        new_end = date_answer(
            given,
            today(env),
            prefer="future",
            earliest=start,
            latest=add_months(start, traject_rules.ABSOLUTE_MAX_MONTHS),
        )
    try:
        traject_rules.check_new_end(end, start, new_end)
    except TrajectProblem as problem:
        raise InputProblem("traject_not_later", {"end": end or start}) from problem
    return {**data, "new_end": new_end.isoformat()}


def _step(name: str, **kwargs: Any) -> Step:
    return Step(name, TEMPLATE, fixed={"step": name}, variables=_variables, cancel=False, **kwargs)


class TrajectoryOutcomeForm(DirectStepForm):
    """Gedaan on a traject's end: the outcome, then a reason (gestopt) or a new end (verlengd)."""

    name = "trout"
    command = "termijnen"
    step_list = (
        _step("outcome", parse=_outcome, buttons=_outcome_buttons),
        _step(
            "reason",
            parse=_reason,
            skip=lambda data: data.get("outcome") != TrajectoryOutcome.STOPPED,
        ),
        _step(
            "new_end",
            parse=_new_end,
            buttons=_new_end_buttons,
            skip=lambda data: data.get("outcome") != TrajectoryOutcome.EXTENDED,
        ),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """``args``: the end deadline's id."""
        target = await traject_service.outcome_target(
            env.session, env.actor, int(args[0]), env.team.trajecten
        )
        if isinstance(target, str):
            return Finish(Reply(render("route/outcome_refused", key=target)))
        t = target.traject
        data: Data = {
            "id": target.deadline_id,
            "ref": target.client_ref,
            "instr": t.instrument,
            "start": t.start.isoformat(),
            "end": t.end.isoformat() if t.end else None,
            "extensions": len(t.extensions),
        }
        return await self.go(env, data, None)

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        label = label_of(env.team.caselog.instruments, data["instr"])
        saved = await traject_service.record_outcome(
            env.session,
            env.actor,
            int(data["id"]),
            outcome=TrajectoryOutcome(data["outcome"]),
            done_on=today(env),
            reason=data.get("reason"),
            new_end=date.fromisoformat(data["new_end"]) if data.get("new_end") else None,
            instrument_label=label,
            settings=env.team.trajecten,
            now=env.clock.now(),
        )
        if isinstance(saved, str):
            return Finish(Reply(render("route/outcome_refused", key=saved)))
        if isinstance(saved, traject_service.ExtensionRefusal):
            return Finish(
                Reply(
                    render(
                        "route/extension_refused",
                        ref=data["ref"],
                        label=label,
                        r=saved.refused,
                        item_added=saved.item_added,
                        end=saved.traject.end,
                    )
                )
            )
        return Finish(
            Reply(
                render(
                    "route/outcome_saved",
                    ref=data["ref"],
                    label=label,
                    t=saved.traject,
                    outcome=saved.outcome.value,
                    next_due=saved.next_due,
                )
            )
        )


TRAJECTORY_OUTCOME_FORM = TrajectoryOutcomeForm()
ALL_FORMS = (TRAJECTORY_OUTCOME_FORM,)
