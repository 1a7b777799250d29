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

import re
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
    ExemptionBasis,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
)
from bot.deadlines import service
from bot.deadlines.rules import (
    ART_9A_MAX_MONTHS,
    ContactFollowUp,
    PostponeChoice,
    PostponeRefused,
    RuleError,
    art9a_end,
    exemption_review_due,
    review_outcomes,
)
from bot.deadlines.service import Decision, OpenDeadline, may_record
from bot.deadlines.views import code_label, label, msg, referral_keyboard
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


def _is_9a(data: Data) -> bool:
    return bool(data.get("reason") == ExemptionReason.CHILD_UNDER_5.value)


async def _reason(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | StepResult:
    """The reason; an art. 9a ontheffing is granted once, so a second one ends the form with
    the reason why, and a client not tagged alleenstaande ouder is asked to confirm it."""
    taken = picked("reason", ExemptionReason, "pick_reason")(form, env, data, given)
    if taken["reason"] != ExemptionReason.CHILD_UNDER_5.value:
        return dict(taken)
    client_id = int(data["client_id"])
    since = await service.art9a_refusal(env.session, client_id)
    if since is not None:
        return Finish(Reply(msg("art9a_again", ref=data["ref"], since=since)))
    single = await service.is_single_parent(env.session, client_id)
    return {**taken, "scope": ExemptionScope.WORK.value, "single": YES if single else None}


def _single(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | StepResult:
    if given.choice == NO:
        return Finish(Reply(msg("not_single_parent")))
    return dict(picked("single", (YES,))(form, env, data, given))


def _born(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Invalid:
    taken = dated("born", prefer="past", up_to_today=True)(form, env, data, given)
    assert isinstance(taken, dict)
    try:
        art9a_end(_day(taken["start"]), _day(taken["born"]), 0)
    except RuleError as exc:
        return Invalid(Reply(msg(str(exc))))
    return taken


def _used(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Invalid:
    text = "0" if given.choice == "0" else (given.text or "").strip()
    zero = one_button("used", "0", "zero")(form, env, data)
    if not text.isdigit() or not 0 <= int(text) < ART_9A_MAX_MONTHS:
        return Invalid(Reply(msg("used_invalid"), zero))
    try:
        art9a_end(_day(data["start"]), _day(data["born"]), int(text))
    except RuleError as exc:
        return Invalid(Reply(msg(str(exc)), zero))
    return {**data, "used": int(text)}


def _basis_after(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return dict(picked("basis", OTHER_BASES)(form, env, data, given))


def _case(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Invalid:
    if given.choice == NONE:
        return {**data, "case": None}
    text = (given.text or "").strip()
    if not CASE_NUMBER.fullmatch(text):
        return Invalid(
            Reply(msg("case_invalid"), one_button("case", NONE, "no_case")(form, env, data))
        )
    return {**data, "case": text}


#: Grondslagen besides the art. 9a request (which only an art. 9a ontheffing has).
OTHER_BASES = (ExemptionBasis.INSURANCE_DOCTOR, ExemptionBasis.OTHER)
#: A zaaknummer: a short code of the municipality's case system, never free text.
CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]{0,39}")


def decision_steps(
    skip_basis: Callable[[Data], bool], skip_all: Callable[[Data], bool] = lambda data: False
) -> tuple[Step, ...]:
    """The questions that record the college's decision: date, grondslag (with a short note for
    "anders") and an optional zaaknummer (W10; 000:L151, L161; 003:L363). ``skip_all``: no
    decision to record (a plain extension)."""
    return (
        ask(
            "decided",
            "ask_decided",
            dated("decided", prefer="past", up_to_today=True),
            buttons=one_button("decided", TODAY, "today"),
            skip=skip_all,
        ),
        ask(
            "basis",
            "ask_basis",
            _basis_after,
            buttons=choices("basis", "basis", OTHER_BASES, 1),
            skip=lambda data: skip_all(data) or skip_basis(data),
        ),
        ask(
            "basis_note",
            "ask_basis_note",
            reason("basis_note"),
            skip=lambda data: skip_all(data) or data.get("basis") != ExemptionBasis.OTHER.value,
        ),
        ask(
            "case",
            "ask_case",
            _case,
            buttons=one_button("case", NONE, "no_case"),
            skip=skip_all,
        ),
    )


def decision_of(data: Data) -> Decision:
    """The recorded decision from a form's answers."""
    return Decision(
        decision_date=_day(data["decided"]),
        basis=ExemptionBasis(data.get("basis") or ExemptionBasis.REQUEST_9A.value),
        basis_note=data.get("basis_note"),
        case_number=data.get("case"),
    )


def _yes_no(step: str) -> Buttons:
    def buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
        return [[form.button(step, YES, label("yes")), form.button(step, NO, label("no"))]]

    return buttons


class ExemptionForm(RecordingForm):
    """``/ontheffing REF``: registreer het besluit. The reason first; art. 9a (a single parent's
    request, art. 9a Participatiewet) asks the request date, the youngest child's date of birth
    and the months used elsewhere, and computes its end; any other reason asks scope, start,
    end and review date. Then the decision: date, grondslag, optional zaaknummer."""

    name = "onth"
    command = "ontheffing"
    usage = "usage_ontheffing"
    step_list = (
        ask(
            "reason",
            "ask_reason",
            _reason,
            buttons=choices("reason", "reason", ExemptionReason, 1),
            variables=_ref,
        ),
        ask(
            "single",
            "ask_single_parent",
            _single,
            buttons=_yes_no("single"),
            skip=lambda data: not _is_9a(data) or data.get("single") == YES,
            variables=_ref,
        ),
        ask(
            "scope",
            "ask_scope",
            picked("scope", ExemptionScope),
            buttons=choices("scope", "scope", ExemptionScope, 2),
            skip=_is_9a,
        ),
        ask(
            "start",
            "ask_start",
            dated("start", prefer="past"),
            buttons=one_button("start", TODAY, "today"),
            # An art. 9a ontheffing starts with the parent's request.
            variables=lambda env, data: {"key": "ask_request"} if _is_9a(data) else {},
        ),
        ask("born", "ask_born", _born, skip=lambda data: not _is_9a(data)),
        ask(
            "used",
            "ask_used",
            _used,
            buttons=one_button("used", "0", "zero"),
            skip=lambda data: not _is_9a(data),
        ),
        ask(
            "end",
            "ask_end",
            _end,
            buttons=one_button("end", NONE, "no_end"),
            skip=_is_9a,
        ),
        ask(
            "review",
            "ask_review",
            _review,
            buttons=default_button("review"),
            skip=_is_9a,
            variables=_default,
        ),
        *decision_steps(skip_basis=_is_9a),
    )

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        config = env.team.deadlines
        if _is_9a(data):
            try:
                made = await service.create_art9a(
                    env.session,
                    team_id=env.actor.team_id,
                    client_id=int(data["client_id"]),
                    request_date=_day(data["start"]),
                    youngest_born=_day(data["born"]),
                    months_used_before=int(data["used"]),
                    decision=decision_of(data),
                    owner_staff_id=env.actor.staff_id,
                    config=config,
                    now=env.clock.now(),
                    confirm_single_parent=data.get("single") == YES,
                )
            except service.DeadlineError as exc:
                return Finish(Reply(msg(exc.code, ref=data["ref"])))
            return Finish(
                Reply(
                    msg(
                        "art9a_saved",
                        ref=data["ref"],
                        start=_day(data["start"]),
                        decided=_day(data["decided"]),
                        case=data.get("case"),
                        end=made.end,
                        followup=made.followup_due,
                        plan=made.plan_due,
                        contact=made.contact_due,
                    )
                )
            )
        end = _day(data["end"]) if data.get("end") else None
        saved = await service.create_exemption(
            env.session,
            team_id=env.actor.team_id,
            client_id=int(data["client_id"]),
            scope=ExemptionScope(data["scope"]),
            reason=ExemptionReason(data["reason"]),
            start=_day(data["start"]),
            end=end,
            review_date=_day(data["review"]),
            youngest_turns_five=None,
            owner_staff_id=env.actor.staff_id,
            now=env.clock.now(),
            decision=decision_of(data),
            config=config,
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
                    decided=_day(data["decided"]),
                    case=data.get("case"),
                    escalation_days=config.escalation_days,
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
        partner = env.team.deadlines.welfare_partner
        keyboard: list[list[Button]] = []
        if saved.follow_up is ContactFollowUp.REFERRAL:
            keyboard = referral_keyboard(saved.contact_id, partner)
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
                    follow_up=saved.follow_up.value,
                    task_due=saved.task_due,
                    partner=partner,
                ),
                keyboard,
            )
        )


# --- Gedaan on an exemption review --------------------------------------------------------------


def _review_outcome(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    reason = ExemptionReason(data["reason"])
    taken = picked("outcome", review_outcomes(reason))(form, env, data, given)
    if taken["outcome"] != ExemptionOutcome.ENDED.value:
        # The reason's own rhythm (W3), not a fixed 12 months.
        taken["default"] = _iso(
            exemption_review_due(
                today(env),
                reason,
                review_months=env.team.deadlines.review_months,
                end=_day(data["end"]) if data.get("end") else None,
            )
        )
    return dict(taken)


def _ended(data: Data) -> bool:
    return bool(data["outcome"] == ExemptionOutcome.ENDED.value)


def _outcome_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    allowed = review_outcomes(ExemptionReason(data["reason"]))
    return choices("outcome", "review", allowed, 3)(form, env, data)


class ReviewForm(DeadlineForm):
    """Gedaan on an ontheffing review: verlengd / gewijzigd (new date) / beëindigd (a task). An
    end or a change records the decision behind it; an art. 9a ontheffing can only end."""

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
        # An end or a change records the decision behind it; a plain extension none.
        *decision_steps(
            skip_basis=lambda data: False,
            skip_all=lambda data: data["outcome"] == ExemptionOutcome.EXTENDED.value,
        ),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        reason = await service.exemption_reason(env.session, loaded)
        end = await service.exemption_end(env.session, loaded)
        data = {
            "id": loaded.id,
            "ref": loaded.client_ref or "",
            "kind": loaded.kind,
            "reason": reason.value,
            "end": _iso(end) if end else None,
        }
        return await self.go(env, data, None)

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
            decision=decision_of(data) if data.get("decided") else None,
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
    # The team's rhythm first and marked (deadlines.wage_value_assessment_years); per case any
    # of 1-3 years (001:L112).
    usual = env.team.deadlines.wage_value_assessment_years
    order = [usual, *(n for n in (1, 2, 3) if n != usual)]
    return [[form.button("years", n, label("years", n=n, team=n == usual)) for n in order]]


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
