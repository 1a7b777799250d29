"""Deadline forms: ``/ontheffing``, ``/contact`` and the short forms behind the digest buttons
(Gedaan, Uitstellen, Niet van toepassing). See ``bot/forms/steps.py`` for how step forms work.

Each question is a declarative :class:`~bot.forms.steps.Step` (its ``deadlines/msg.j2`` key,
buttons, parser and when it is skipped); the forms save without a summary and show no Annuleren
button. A refusal shows the question again with the reason of ``forms/problem.j2`` on top; the
few that replace the question altogether (a note or reason too long, a stage past its maximum,
a deadline gone meanwhile) are returned by their parser or ``save`` as they are.

Every form that acts on an existing deadline re-checks, when it saves, that the deadline is
still open and that the person may act on it (the owner, or a teamleider of the team).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from bot.caselog.forms import find_client
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    DeadlineKind,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
)
from bot.deadlines import service
from bot.deadlines.rules import (
    PostponeChoice,
    PostponeRefused,
    add_months,
    exemption_review_due,
    review_outcomes,
    working_due,
)
from bot.deadlines.service import OpenDeadline, may_record
from bot.deadlines.views import code_label, label, msg
from bot.forms.engine import Finish, FormEnv, FormInput, Invalid, StepResult
from bot.forms.parsers import date_answer, problem_text, today
from bot.forms.steps import DirectStepForm, Step, StepForm

TODAY = "vandaag"
NONE = "geen"
DEFAULT = "standaard"
YES, NO = "ja", "nee"
#: A typed note or reason is at most this long.
MAX_NOTE = 200
INTERNSHIPS = (DeadlineKind.LANGUAGE_INTERNSHIP.value, DeadlineKind.WORK_INTERNSHIP.value)

Data = dict[str, Any]
Buttons = Callable[[StepForm, FormEnv, Data], list[list[Button]]]


async def client_for(env: FormEnv, args: list[str]) -> tuple[int, str] | str:
    """(client id, reference) of the team's client named in ``args``, or the Dutch refusal.

    Same rules as the case log: the team's reference format, never a BSN, and the client must
    be known (an aanmelding first).
    """
    try:
        client = await find_client(env, " ".join(args))
    except InputProblem as problem:
        return render("forms/problem", code=problem.code, v=problem.values)
    return client.id, client.ref


async def load_for(env: FormEnv, deadline_id: int) -> OpenDeadline | str:
    """The open deadline ``deadline_id`` if ``env.actor`` may act on it, else a message key."""
    return await service.load_for(env.session, env.actor, deadline_id)


def _iso(day: date) -> str:
    return day.isoformat()


def _day(value: Any) -> date:
    return date.fromisoformat(str(value))


async def recordable_client(
    env: FormEnv, args: list[str], *, usage: str
) -> Finish | tuple[int, str]:
    """The (client id, reference) a recording form starts with, or the ``Finish`` that says why
    not: a role that may not record, no reference given, or a reference the team does not know."""
    if not may_record(env.actor):
        return Finish(Reply(msg("not_for_role")))
    if not args:
        return Finish(Reply(msg(usage)))
    found = await client_for(env, args)
    if isinstance(found, str):
        return Finish(Reply(found))
    return found


class RecordingForm(DirectStepForm):
    """A form that records something about a client: ``/ontheffing REF``, ``/contact REF``."""

    #: The ``deadlines/msg.j2`` key that explains the command when no reference is given.
    usage = ""

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        found = await recordable_client(env, args, usage=self.usage)
        if isinstance(found, Finish):
            return found
        client_id, ref = found
        return await self.go(env, {"ref": ref, "client_id": client_id}, None)


class DeadlineForm(DirectStepForm):
    """A form behind a digest button, on deadline ``args[0]`` (when the person may act on it)."""

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        data = {"id": loaded.id, "ref": loaded.client_ref or "", "kind": loaded.kind}
        return await self.go(env, data, None)


# --- the parts of a step ------------------------------------------------------------------------


def ask(
    name: str,
    key: str,
    parse: Any,
    *,
    buttons: Buttons | None = None,
    skip: Callable[[Data], bool] | None = None,
    variables: Callable[[FormEnv, Data], Mapping[str, Any]] | None = None,
) -> Step:
    """A deadline question: the ``deadlines/msg.j2`` text ``key``, without Annuleren."""
    return Step(
        name,
        "deadlines/msg",
        parse=parse,
        buttons=buttons,
        skip=skip,
        variables=variables,
        cancel=False,
        fixed={"key": key},
    )


def choices(step: str, kind: str, codes: Iterable[StrEnum], per_row: int) -> Buttons:
    """One button per code (labelled by :func:`code_label` of ``kind``), ``per_row`` to a row."""

    def buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
        return keyboard_rows(
            [form.button(step, c.value, code_label(kind, c.value)) for c in codes], per_row
        )

    return buttons


def one_button(step: str, value: str, key: str, **fixed: Any) -> Buttons:
    """A single button with the ``deadlines/button.j2`` label ``key``."""

    def buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
        return [[form.button(step, value, label(key, **fixed))]]

    return buttons


def default_button(step: str) -> Buttons:
    """The button that takes the proposed date (``data["default"]``)."""

    def buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
        return [[form.button(step, DEFAULT, label("date", day=_day(data["default"])))]]

    return buttons


def picked(step: str, values: Any, problem: str = "pick_button") -> Any:
    """A parser taking one of ``values`` from a button (typed text is refused with ``problem``)."""
    allowed = {str(getattr(v, "value", v)) for v in values}

    def parse(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
        if given.choice not in allowed:
            raise InputProblem(problem)
        return {**data, step: given.choice}

    return parse


def dated(
    step: str,
    *,
    prefer: str,
    up_to_today: bool = False,
    after: Callable[[FormEnv, Data], date] | None = None,
    after_problem: str = "",
    earliest: Callable[[Data], date] | None = None,
    none: str | None = None,
) -> Any:
    """A parser for a date question: the Vandaag button or a typed date (``none``: the button
    that answers no date; ``DEFAULT``: the proposed date), refused unless after ``after``."""

    def parse(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
        if none is not None and given.choice == none:
            return {**data, step: None}
        if "default" in data and given.choice == DEFAULT:
            return {**data, step: data["default"]}
        now = today(env)
        answer = date_answer(
            given,
            now,
            prefer="future" if prefer == "future" else "past",
            earliest=earliest(data) if earliest is not None else None,
            latest=now if up_to_today else None,
            today_choice=TODAY,
        )
        if after is not None and answer <= after(env, data):
            raise InputProblem(after_problem)
        return {**data, step: _iso(answer)}

    return parse


def _start(env: FormEnv, data: Data) -> date:
    return _day(data["start"])


def _kind_ref(env: FormEnv, data: Data) -> dict[str, Any]:
    return {"kind": data["kind"], "ref": data["ref"]}


def _ref(env: FormEnv, data: Data) -> dict[str, Any]:
    return {"ref": data["ref"]}


def _default(env: FormEnv, data: Data) -> dict[str, Any]:
    return {"default": _day(data["default"])}


def reason(step: str) -> Any:
    """A short typed reason; anything else is refused with ``reason_needed`` alone."""

    def parse(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Invalid:
        if not given.text or len(given.text) > MAX_NOTE:
            return Invalid(Reply(msg("reason_needed")))
        return {**data, step: given.text}

    return parse


# --- /ontheffing ------------------------------------------------------------------------------


def _end(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    taken = dated("end", prefer="future", earliest=lambda d: _day(d["start"]), none=NONE)(
        form, env, data, given
    )
    assert isinstance(taken, dict)
    if taken["reason"] != ExemptionReason.CHILD_UNDER_5.value:
        default = exemption_review_due(
            _day(taken["start"]),
            ExemptionReason(taken["reason"]),
            review_months=env.team.deadlines.review_months,
            end=_day(taken["end"]) if taken.get("end") else None,
        )
        taken["default"] = _iso(default)
    return taken


def _review(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    """The review date: after the start and, like the default, not after the end (a review
    after the ontheffing ended comes too late to decide on it)."""
    taken = dated("review", prefer="future", after=_start, after_problem="review_after_start")(
        form, env, data, given
    )
    assert isinstance(taken, dict)
    if data.get("end") and _day(taken["review"]) > _day(data["end"]):
        raise InputProblem("review_after_end", {"end": _day(data["end"])})
    return taken


def _has_child(data: Data) -> bool:
    return bool(data["reason"] == ExemptionReason.CHILD_UNDER_5.value)


class ExemptionForm(RecordingForm):
    """``/ontheffing REF``: scope, reason, start, end, review date (or the child's 5th birthday)."""

    name = "onth"
    command = "ontheffing"
    usage = "usage_ontheffing"
    step_list = (
        ask(
            "scope",
            "ask_scope",
            picked("scope", ExemptionScope),
            buttons=choices("scope", "scope", ExemptionScope, 2),
            variables=_ref,
        ),
        ask(
            "reason",
            "ask_reason",
            picked("reason", ExemptionReason, "pick_reason"),
            buttons=choices("reason", "reason", ExemptionReason, 1),
        ),
        ask(
            "start",
            "ask_start",
            dated("start", prefer="past"),
            buttons=one_button("start", TODAY, "today"),
        ),
        ask("end", "ask_end", _end, buttons=one_button("end", NONE, "no_end")),
        ask(
            "child",
            "ask_child",
            dated("child", prefer="future", after=_start, after_problem="not_after_start"),
            skip=lambda data: not _has_child(data),
        ),
        ask(
            "review",
            "ask_review",
            _review,
            buttons=default_button("review"),
            skip=_has_child,
            variables=_default,
        ),
    )

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        child = _day(data["child"]) if data.get("child") else None
        end = _day(data["end"]) if data.get("end") else None
        saved = await service.create_exemption(
            env.session,
            team_id=env.actor.team_id,
            client_id=int(data["client_id"]),
            scope=ExemptionScope(data["scope"]),
            reason=ExemptionReason(data["reason"]),
            start=_day(data["start"]),
            end=end,
            review_date=child or _day(data["review"]),
            youngest_turns_five=child,
            owner_staff_id=env.actor.staff_id,
            now=env.clock.now(),
        )
        return Finish(
            Reply(
                msg(
                    "exemption_saved",
                    ref=data["ref"],
                    scope=code_label("scope", data["scope"]).lower(),
                    reason=code_label("reason", data["reason"]).lower(),
                    start=_day(data["start"]),
                    end=end,
                    review=saved.review_date,
                    escalation_days=env.team.deadlines.escalation_days,
                )
            )
        )


# --- /contact ---------------------------------------------------------------------------------


def _note(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Invalid:
    if given.choice == NONE:
        return {**data, "note": None}
    if not given.text:
        raise InputProblem("note_needed")
    if len(given.text) > MAX_NOTE:
        keyboard = one_button("note", NONE, "no_note")(form, env, data)
        return Invalid(Reply(msg("note_too_long", length=len(given.text)), keyboard))
    return {**data, "note": given.text}


class ContactForm(RecordingForm):
    """``/contact REF``: kind, date, outcome, optional short note."""

    name = "cont"
    command = "contact"
    usage = "usage_contact"
    step_list = (
        ask(
            "kind",
            "ask_contact_kind",
            picked("kind", ContactKind),
            buttons=choices("kind", "contact", ContactKind, 3),
            variables=_ref,
        ),
        ask(
            "date",
            "ask_contact_date",
            dated("date", prefer="past", up_to_today=True),
            buttons=one_button("date", TODAY, "today"),
        ),
        ask(
            "outcome",
            "ask_outcome",
            picked("outcome", ContactOutcome, "pick_outcome"),
            buttons=choices("outcome", "outcome", ContactOutcome, 1),
        ),
        ask("note", "ask_note", _note, buttons=one_button("note", NONE, "no_note")),
    )

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        kind = ContactKind(data["kind"])
        outcome = ContactOutcome(data["outcome"])
        note = data.get("note")
        saved = await service.record_participation_contact(
            env.session,
            client_id=int(data["client_id"]),
            kind=kind,
            contact_date=_day(data["date"]),
            outcome=outcome,
            note=note,
            staff_id=env.actor.staff_id,
            config=env.team.deadlines,
            now=env.clock.now(),
        )
        return Finish(
            Reply(
                msg(
                    "contact_saved",
                    ref=data["ref"],
                    kind=code_label("contact", kind).lower(),
                    on=_day(data["date"]),
                    outcome=code_label("outcome", outcome).lower(),
                    note=note,
                    resets=saved.resets_clock,
                    next_due=saved.next_due,
                )
            )
        )


# --- Gedaan on an exemption review --------------------------------------------------------------


def _review_outcome(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    allowed = review_outcomes(ExemptionReason(data["reason"]))
    taken = picked("outcome", allowed)(form, env, data, given)
    if taken["outcome"] != ExemptionOutcome.ENDED.value:
        taken["default"] = _iso(working_due(add_months(today(env), 12)))
    return dict(taken)


def _ended(data: Data) -> bool:
    return bool(data["outcome"] == ExemptionOutcome.ENDED.value)


def _outcome_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    # An art. 9a ontheffing is never extended or changed: only Beëindigd (art. 9a).
    allowed = review_outcomes(ExemptionReason(data["reason"]))
    return choices("outcome", "review", allowed, 3)(form, env, data)


class ReviewForm(DeadlineForm):
    """Gedaan on an ontheffing review: verlengd / gewijzigd (new date) / beëindigd (a task); an
    art. 9a ontheffing can only end."""

    name = "rev"
    command = "termijnen"
    step_list = (
        ask(
            "outcome",
            "ask_review_outcome",
            _review_outcome,
            buttons=_outcome_buttons,
            variables=_ref,
        ),
        ask(
            "next",
            "ask_next_review",
            dated(
                "next",
                prefer="future",
                after=lambda env, d: today(env),
                after_problem="after_today",
            ),
            buttons=default_button("next"),
            skip=_ended,
            variables=_default,
        ),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        reason = await service.exemption_reason(env.session, loaded)
        data = {"id": loaded.id, "ref": loaded.client_ref or "", "kind": loaded.kind}
        return await self.go(env, {**data, "reason": reason.value}, None)

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        outcome = ExemptionOutcome(data["outcome"])
        saved = await service.review_exemption(
            env.session,
            loaded.id,
            outcome=outcome,
            reviewed_on=today(env),
            next_review=_day(data["next"]) if data.get("next") else None,
            staff_id=env.actor.staff_id,
            now=env.clock.now(),
        )
        return Finish(
            Reply(
                msg(
                    "review_saved",
                    ref=data["ref"],
                    outcome=code_label("review", outcome).lower(),
                    ended=outcome is ExemptionOutcome.ENDED,
                    next_due=saved.next_due,
                )
            )
        )


# --- Gedaan on any other deadline ----------------------------------------------------------------


def _years(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return [[form.button("years", n, label("years", n=n)) for n in (1, 2, 3)]]


def _extend(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return [
        [
            form.button("extend", YES, label("extend_yes")),
            form.button("extend", NO, label("extend_no")),
        ]
    ]


class DoneForm(DeadlineForm):
    """Gedaan: the date; for a loonwaardemeting the next interval, for a stage an extension."""

    name = "done"
    command = "termijnen"
    step_list = (
        ask(
            "date",
            "ask_done_date",
            dated("date", prefer="past", up_to_today=True),
            buttons=one_button("date", TODAY, "today"),
            variables=_kind_ref,
        ),
        ask(
            "years",
            "ask_years",
            picked("years", ("1", "2", "3")),
            buttons=_years,
            skip=lambda data: data["kind"] != DeadlineKind.WAGE_VALUE_ASSESSMENT.value,
        ),
        ask(
            "extend",
            "ask_extend",
            picked("extend", (YES, NO)),
            buttons=_extend,
            skip=lambda data: data["kind"] not in INTERNSHIPS,
        ),
    )

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        try:
            done = await service.complete_deadline(
                env.session,
                loaded.id,
                done_on=_day(data["date"]),
                now=env.clock.now(),
                config=env.team.deadlines,
                interval_months=12 * int(data["years"]) if data.get("years") else None,
                extend=data.get("extend") == YES,
            )
        except service.DeadlineError as exc:
            if "extend" not in data:
                raise
            return Invalid(Reply(msg(exc.code), _extend(self, env, data)))
        return Finish(
            Reply(msg("done_saved", kind=data["kind"], ref=data["ref"], next_due=done.next_due))
        )


# --- Uitstellen and Niet van toepassing ---------------------------------------------------------


def _postpone_vars(env: FormEnv, data: Data) -> dict[str, Any]:
    limit = env.team.deadlines.max_postponements
    return {
        "kind": data["kind"],
        "ref": data["ref"],
        "due": _day(data["due"]),
        "max": limit,
        "left": limit - int(data["postponements"]),
    }


def _with_state(data: Data, loaded: OpenDeadline) -> Data:
    return {**data, "due": _iso(loaded.due_date), "postponements": loaded.postponements}


async def _length(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | StepResult:
    if given.choice in (PostponeChoice.WEEK.value, PostponeChoice.MONTH.value):
        return {**data, "len": given.choice}
    # Refused: the question again, as the deadline stands now.
    loaded = await load_for(env, int(data["id"]))
    if isinstance(loaded, str):
        return Finish(Reply(msg(loaded)))
    error = problem_text(InputProblem("pick_button"))
    return Invalid(form.prompt(env, "len", _with_state(data, loaded), error))


def _lengths(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return [
        [
            form.button("len", PostponeChoice.WEEK.value, label("week")),
            form.button("len", PostponeChoice.MONTH.value, label("month")),
        ]
    ]


class PostponeForm(DeadlineForm):
    """Uitstellen: a week or a month, with a reason; refused (and escalated) after the maximum."""

    name = "post"
    command = "termijnen"
    step_list = (
        ask("len", "ask_postpone", _length, buttons=_lengths, variables=_postpone_vars),
        ask("reason", "ask_postpone_reason", reason("reason")),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        limit = env.team.deadlines.max_postponements
        if loaded.postponements >= limit:
            result = await service.postpone_deadline(
                env.session,
                loaded.id,
                choice=PostponeChoice.WEEK,
                reason="",
                today=today(env),
                now=env.clock.now(),
                staff_id=env.actor.staff_id,
                max_postponements=limit,
            )
            assert isinstance(result, PostponeRefused)
            return Finish(Reply(msg("postpone_refused", count=result.postponements)))
        data = {"id": loaded.id, "ref": loaded.client_ref or "", "kind": loaded.kind}
        return await self.go(env, _with_state(data, loaded), None)

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        result = await service.postpone_deadline(
            env.session,
            loaded.id,
            choice=PostponeChoice(data["len"]),
            reason=data["reason"],
            today=today(env),
            now=env.clock.now(),
            staff_id=env.actor.staff_id,
            max_postponements=env.team.deadlines.max_postponements,
        )
        if isinstance(result, PostponeRefused):
            return Finish(Reply(msg("postpone_refused", count=result.postponements)))
        return Finish(
            Reply(msg("postponed", new_due=result.new_due, kind=data["kind"], ref=data["ref"]))
        )


class NotApplicableForm(DeadlineForm):
    """Niet van toepassing: closes the deadline with a reason."""

    name = "nvt"
    command = "termijnen"
    step_list = (ask("reason", "ask_na_reason", reason("reason"), variables=_kind_ref),)

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        await service.not_applicable(
            env.session, loaded.id, now=env.clock.now(), note=data["reason"]
        )
        return Finish(Reply(msg("na_saved", kind=data["kind"], ref=data["ref"])))


EXEMPTION_FORM = ExemptionForm()
CONTACT_FORM = ContactForm()
REVIEW_FORM = ReviewForm()
DONE_FORM = DoneForm()
POSTPONE_FORM = PostponeForm()
NOT_APPLICABLE_FORM = NotApplicableForm()
ALL_FORMS = (
    EXEMPTION_FORM,
    CONTACT_FORM,
    REVIEW_FORM,
    DONE_FORM,
    POSTPONE_FORM,
    NOT_APPLICABLE_FORM,
)
