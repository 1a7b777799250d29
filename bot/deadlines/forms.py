"""Deadline forms: ``/ontheffing``, ``/contact`` and the short forms behind the digest buttons
(Gedaan, Uitstellen, Niet van toepassing). See ``bot/forms/engine.py`` for how forms work.

Every form that acts on an existing deadline re-checks, when it saves, that the deadline is
still open and that the person may act on it (the owner, or a teamleider of the team).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.caselog.forms import find_client
from bot.core.answers import InputProblem
from bot.core.clock import local_today
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
    working_due,
)
from bot.deadlines.service import OpenDeadline, may_record
from bot.deadlines.views import label, msg
from bot.forms.engine import Finish, Form, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.forms.parsers import date_answer, problem_text

SCOPE_LABELS = {
    ExemptionScope.FULL: "Volledig",
    ExemptionScope.WORK: "Arbeidsplicht",
    ExemptionScope.REINTEGRATION: "Re-integratieplicht",
    ExemptionScope.APPLICATION: "Sollicitatieplicht",
}
REASON_LABELS = {
    ExemptionReason.CHILD_UNDER_5: "Zorg voor kind < 5",
    ExemptionReason.INFORMAL_CARE: "Mantelzorg",
    ExemptionReason.MEDICAL: "Medisch/psychisch/sociaal",
    ExemptionReason.SCHOOLING: "Noodzakelijke scholing",
    ExemptionReason.OTHER: "Overig",
}
CONTACT_LABELS = {
    ContactKind.FACE_TO_FACE: "Face-to-face",
    ContactKind.PHONE: "Telefonisch",
    ContactKind.HOME_VISIT: "Huisbezoek",
}
OUTCOME_LABELS = {
    ContactOutcome.VOLUNTEERING: "Vrijwilligerswerk",
    ContactOutcome.INFORMAL_CARE: "Mantelzorg",
    ContactOutcome.SOCIAL_ACTIVITY: "Andere maatschappelijke activiteit",
    ContactOutcome.TEMPORARILY_IMPOSSIBLE: "Tijdelijk niet mogelijk",
    ContactOutcome.TO_REINTEGRATION: "Doorstroom naar re-integratie",
}
REVIEW_LABELS = {
    ExemptionOutcome.EXTENDED: "Verlengd",
    ExemptionOutcome.CHANGED: "Gewijzigd",
    ExemptionOutcome.ENDED: "Beëindigd",
}
TODAY = "vandaag"
NONE = "geen"
DEFAULT = "standaard"


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


def _date_answer(
    given: FormInput,
    today: date,
    *,
    prefer: str,
    earliest: date | None = None,
    latest: date | None = None,
) -> date | str:
    """A date from the Vandaag button or typed text; the Dutch refusal otherwise."""
    try:
        return date_answer(
            given,
            today,
            prefer="future" if prefer == "future" else "past",
            earliest=earliest,
            latest=latest,
            today_choice=TODAY,
        )
    except InputProblem as problem:
        return problem_text(problem)


def _today(env: FormEnv) -> date:
    return local_today(env.clock)


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


# --- /ontheffing ------------------------------------------------------------------------------


class ExemptionForm(Form):
    """``/ontheffing REF``: scope, reason, start, end, review date (or the child's 5th birthday)."""

    name = "onth"
    command = "ontheffing"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        found = await recordable_client(env, args, usage="usage_ontheffing")
        if isinstance(found, Finish):
            return found
        client_id, ref = found
        return Next("scope", {"ref": ref, "client_id": client_id}, self._ask_scope(ref))

    def _ask_scope(self, ref: str, error: str = "") -> Reply:
        buttons = [self.button("scope", s.value, label) for s, label in SCOPE_LABELS.items()]
        return Reply(msg("ask_scope", ref=ref, error=error), keyboard_rows(buttons, 2))

    def _reasons(self) -> list[list[Button]]:
        return keyboard_rows(
            [self.button("reason", r.value, label) for r, label in REASON_LABELS.items()], 1
        )

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        data = dict(state.data)
        today = _today(env)
        if state.step == "scope":
            if given.choice not in {s.value for s in ExemptionScope}:
                return Invalid(self._ask_scope(data["ref"], "Kies met de knoppen."))
            data["scope"] = given.choice
            return Next("reason", data, Reply(msg("ask_reason"), self._reasons()))
        if state.step == "reason":
            if given.choice not in {r.value for r in ExemptionReason}:
                return Invalid(
                    Reply(
                        msg("ask_reason", error="Kies een reden met de knoppen."), self._reasons()
                    )
                )
            data["reason"] = given.choice
            return Next("start", data, self._ask_start())
        if state.step == "start":
            answer = _date_answer(given, today, prefer="past")
            if isinstance(answer, str):
                return Invalid(Reply(msg("ask_start", error=answer), self._ask_start().keyboard))
            data["start"] = _iso(answer)
            return Next("end", data, self._ask_end())
        start = _day(data["start"])
        if state.step == "end":
            if given.choice == NONE:
                data["end"] = None
            else:
                answer = _date_answer(given, today, prefer="future", earliest=start)
                if isinstance(answer, str):
                    return Invalid(Reply(msg("ask_end", error=answer), self._ask_end().keyboard))
                data["end"] = _iso(answer)
            if data["reason"] == ExemptionReason.CHILD_UNDER_5.value:
                return Next("child", data, Reply(msg("ask_child")))
            default = exemption_review_due(
                start,
                ExemptionReason(data["reason"]),
                review_months=env.team.deadlines.review_months,
            )
            data["default"] = _iso(default)
            return Next("review", data, self._ask_review(default))
        if state.step == "child":
            answer = _date_answer(given, today, prefer="future")
            if isinstance(answer, str) or answer <= start:
                error = (
                    answer if isinstance(answer, str) else "Die datum ligt niet na de ingangsdatum."
                )
                return Invalid(Reply(msg("ask_child", error=error)))
            return await self._save(env, data, answer, youngest_turns_five=answer)
        # review
        default = _day(data["default"])
        if given.choice == DEFAULT:
            return await self._save(env, data, default, youngest_turns_five=None)
        answer = _date_answer(given, today, prefer="future")
        if isinstance(answer, str) or answer <= start:
            error = (
                answer
                if isinstance(answer, str)
                else "De herbeoordeling moet na de ingangsdatum liggen."
            )
            return Invalid(
                Reply(
                    msg("ask_review", default=default, error=error),
                    self._ask_review(default).keyboard,
                )
            )
        return await self._save(env, data, answer, youngest_turns_five=None)

    def _ask_start(self) -> Reply:
        return Reply(msg("ask_start"), [[self.button("start", TODAY, label("today"))]])

    def _ask_end(self) -> Reply:
        return Reply(msg("ask_end"), [[self.button("end", NONE, label("no_end"))]])

    def _ask_review(self, default: date) -> Reply:
        button = self.button("review", DEFAULT, label("date", day=default))
        return Reply(msg("ask_review", default=default), [[button]])

    async def _save(
        self, env: FormEnv, data: dict[str, Any], review: date, *, youngest_turns_five: date | None
    ) -> StepResult:
        now = env.clock.now()
        client_id = int(data["client_id"])
        end = _day(data["end"]) if data.get("end") else None
        saved = await service.create_exemption(
            env.session,
            team_id=env.actor.team_id,
            client_id=client_id,
            scope=ExemptionScope(data["scope"]),
            reason=ExemptionReason(data["reason"]),
            start=_day(data["start"]),
            end=end,
            review_date=review,
            youngest_turns_five=youngest_turns_five,
            owner_staff_id=env.actor.staff_id,
            now=now,
        )
        return Finish(
            Reply(
                msg(
                    "exemption_saved",
                    ref=data["ref"],
                    scope=SCOPE_LABELS[ExemptionScope(data["scope"])].lower(),
                    reason=REASON_LABELS[ExemptionReason(data["reason"])].lower(),
                    start=_day(data["start"]),
                    end=end,
                    review=saved.review_date,
                    escalation_days=env.team.deadlines.escalation_days,
                )
            )
        )


# --- /contact ---------------------------------------------------------------------------------


class ContactForm(Form):
    """``/contact REF``: kind, date, outcome, optional short note."""

    name = "cont"
    command = "contact"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        found = await recordable_client(env, args, usage="usage_contact")
        if isinstance(found, Finish):
            return found
        client_id, ref = found
        return Next("kind", {"ref": ref, "client_id": client_id}, self._ask_kind(ref))

    def _ask_kind(self, ref: str, error: str = "") -> Reply:
        buttons = [self.button("kind", k.value, label) for k, label in CONTACT_LABELS.items()]
        return Reply(msg("ask_contact_kind", ref=ref, error=error), [buttons])

    def _ask_outcome(self, error: str = "") -> Reply:
        buttons = [self.button("outcome", o.value, label) for o, label in OUTCOME_LABELS.items()]
        return Reply(msg("ask_outcome", error=error), keyboard_rows(buttons, 1))

    def _ask_note(self, **extra: Any) -> Reply:
        return Reply(msg("ask_note", **extra), [[self.button("note", NONE, label("no_note"))]])

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        data = dict(state.data)
        today = _today(env)
        if state.step == "kind":
            if given.choice not in {k.value for k in ContactKind}:
                return Invalid(self._ask_kind(data["ref"], "Kies met de knoppen."))
            data["kind"] = given.choice
            return Next(
                "date",
                data,
                Reply(msg("ask_contact_date"), [[self.button("date", TODAY, label("today"))]]),
            )
        if state.step == "date":
            answer = _date_answer(given, today, prefer="past", latest=today)
            if isinstance(answer, str):
                return Invalid(
                    Reply(
                        msg("ask_contact_date", error=answer),
                        [[self.button("date", TODAY, label("today"))]],
                    )
                )
            data["date"] = _iso(answer)
            return Next("outcome", data, self._ask_outcome())
        if state.step == "outcome":
            if given.choice not in {o.value for o in ContactOutcome}:
                return Invalid(self._ask_outcome("Kies een uitkomst met de knoppen."))
            data["outcome"] = given.choice
            return Next("note", data, self._ask_note())
        # note
        note: str | None = None
        if given.choice != NONE:
            if not given.text:
                return Invalid(
                    self._ask_note(error="Typ een korte notitie of tik op Geen notitie.")
                )
            if len(given.text) > 200:
                return Invalid(
                    Reply(
                        msg("note_too_long", length=len(given.text)),
                        [[self.button("note", NONE, label("no_note"))]],
                    )
                )
            note = given.text
        return await self._save(env, data, note)

    async def _save(self, env: FormEnv, data: dict[str, Any], note: str | None) -> StepResult:
        now = env.clock.now()
        client_id = int(data["client_id"])
        kind = ContactKind(data["kind"])
        outcome = ContactOutcome(data["outcome"])
        saved = await service.record_participation_contact(
            env.session,
            client_id=client_id,
            kind=kind,
            contact_date=_day(data["date"]),
            outcome=outcome,
            note=note,
            staff_id=env.actor.staff_id,
            config=env.team.deadlines,
            now=now,
        )
        return Finish(
            Reply(
                msg(
                    "contact_saved",
                    ref=data["ref"],
                    kind=CONTACT_LABELS[kind].lower(),
                    on=_day(data["date"]),
                    outcome=OUTCOME_LABELS[outcome].lower(),
                    note=note,
                    resets=saved.resets_clock,
                    next_due=saved.next_due,
                )
            )
        )


# --- Gedaan on an exemption review --------------------------------------------------------------


class ReviewForm(Form):
    """Gedaan on an ontheffing review: verlengd / gewijzigd (new date) / beëindigd (a task)."""

    name = "rev"
    command = "termijnen"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        buttons = [self.button("outcome", o.value, label) for o, label in REVIEW_LABELS.items()]
        return Next(
            "outcome",
            {"id": loaded.id, "ref": loaded.client_ref or ""},
            Reply(msg("ask_review_outcome", ref=loaded.client_ref or ""), [buttons]),
        )

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        data = dict(state.data)
        today = _today(env)
        if state.step == "outcome":
            if given.choice not in {o.value for o in ExemptionOutcome}:
                buttons = [self.button("outcome", o.value, t) for o, t in REVIEW_LABELS.items()]
                return Invalid(
                    Reply(
                        msg("ask_review_outcome", ref=data["ref"], error="Kies met de knoppen."),
                        [buttons],
                    )
                )
            data["outcome"] = given.choice
            if given.choice == ExemptionOutcome.ENDED.value:
                return await self._save(env, data, None)
            default = working_due(add_months(today, 12))
            data["default"] = _iso(default)
            return Next("next", data, self._ask_next(default))
        default = _day(data["default"])
        if given.choice == DEFAULT:
            return await self._save(env, data, default)
        answer = _date_answer(given, today, prefer="future")
        if isinstance(answer, str) or answer <= today:
            error = answer if isinstance(answer, str) else "Kies een datum na vandaag."
            return Invalid(
                Reply(
                    msg("ask_next_review", default=default, error=error),
                    self._ask_next(default).keyboard,
                )
            )
        return await self._save(env, data, answer)

    def _ask_next(self, default: date) -> Reply:
        return Reply(
            msg("ask_next_review", default=default),
            [[self.button("next", DEFAULT, label("date", day=default))]],
        )

    async def _save(
        self, env: FormEnv, data: dict[str, Any], next_review: date | None
    ) -> StepResult:
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        outcome = ExemptionOutcome(data["outcome"])
        saved = await service.review_exemption(
            env.session,
            loaded.id,
            outcome=outcome,
            reviewed_on=_today(env),
            next_review=next_review,
            staff_id=env.actor.staff_id,
            now=env.clock.now(),
        )
        return Finish(
            Reply(
                msg(
                    "review_saved",
                    ref=data["ref"],
                    outcome=REVIEW_LABELS[outcome].lower(),
                    ended=outcome is ExemptionOutcome.ENDED,
                    next_due=saved.next_due,
                )
            )
        )


# --- Gedaan on any other deadline ----------------------------------------------------------------


class DoneForm(Form):
    """Gedaan: the date; for a loonwaardemeting the next interval, for a stage an extension."""

    name = "done"
    command = "termijnen"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        data = {"id": loaded.id, "ref": loaded.client_ref or "", "kind": loaded.kind}
        return Next("date", data, self._ask_date(data))

    def _ask_date(self, data: dict[str, Any], error: str = "") -> Reply:
        return Reply(
            msg("ask_done_date", kind=data["kind"], ref=data["ref"], error=error),
            [[self.button("date", TODAY, label("today"))]],
        )

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        data = dict(state.data)
        today = _today(env)
        kind = data["kind"]
        if state.step == "date":
            answer = _date_answer(given, today, prefer="past", latest=today)
            if isinstance(answer, str):
                return Invalid(self._ask_date(data, answer))
            data["date"] = _iso(answer)
            if kind == DeadlineKind.WAGE_VALUE_ASSESSMENT.value:
                buttons = [self.button("years", n, label("years", n=n)) for n in (1, 2, 3)]
                return Next("years", data, Reply(msg("ask_years"), [buttons]))
            if kind in (DeadlineKind.LANGUAGE_INTERNSHIP.value, DeadlineKind.WORK_INTERNSHIP.value):
                return Next("extend", data, self._ask_extend())
            return await self._save(env, data)
        if state.step == "years":
            if given.choice not in ("1", "2", "3"):
                buttons = [self.button("years", n, label("years", n=n)) for n in (1, 2, 3)]
                return Invalid(Reply(msg("ask_years", error="Kies met de knoppen."), [buttons]))
            return await self._save(env, data, interval_months=12 * int(given.choice))
        if given.choice not in ("ja", "nee"):
            return Invalid(self._ask_extend("Kies met de knoppen."))
        try:
            return await self._save(env, data, extend=given.choice == "ja")
        except service.DeadlineError as exc:
            return Invalid(Reply(msg(exc.code), self._ask_extend().keyboard))

    def _ask_extend(self, error: str = "") -> Reply:
        return Reply(
            msg("ask_extend", error=error),
            [
                [
                    self.button("extend", "ja", label("extend_yes")),
                    self.button("extend", "nee", label("extend_no")),
                ]
            ],
        )

    async def _save(
        self,
        env: FormEnv,
        data: dict[str, Any],
        *,
        interval_months: int | None = None,
        extend: bool = False,
    ) -> StepResult:
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        done = await service.complete_deadline(
            env.session,
            loaded.id,
            done_on=_day(data["date"]),
            now=env.clock.now(),
            config=env.team.deadlines,
            interval_months=interval_months,
            extend=extend,
        )
        return Finish(
            Reply(msg("done_saved", kind=data["kind"], ref=data["ref"], next_due=done.next_due))
        )


# --- Uitstellen and Niet van toepassing ---------------------------------------------------------


class PostponeForm(Form):
    """Uitstellen: a week or a month, with a reason; refused (and escalated) after the maximum."""

    name = "post"
    command = "termijnen"

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
                today=_today(env),
                now=env.clock.now(),
                staff_id=env.actor.staff_id,
                max_postponements=limit,
            )
            assert isinstance(result, PostponeRefused)
            return Finish(Reply(msg("postpone_refused", count=result.postponements)))
        data = {"id": loaded.id, "ref": loaded.client_ref or "", "kind": loaded.kind}
        return Next("len", data, self._ask_len(loaded, limit))

    def _ask_len(self, loaded: OpenDeadline, limit: int, error: str = "") -> Reply:
        return Reply(
            msg(
                "ask_postpone",
                kind=loaded.kind,
                ref=loaded.client_ref or "",
                due=loaded.due_date,
                max=limit,
                left=limit - loaded.postponements,
                error=error,
            ),
            [
                [
                    self.button("len", "week", label("week")),
                    self.button("len", "maand", label("month")),
                ]
            ],
        )

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        data = dict(state.data)
        if state.step == "len":
            if given.choice not in ("week", "maand"):
                loaded = await load_for(env, int(data["id"]))
                if isinstance(loaded, str):
                    return Finish(Reply(msg(loaded)))
                limit = env.team.deadlines.max_postponements
                return Invalid(self._ask_len(loaded, limit, "Kies met de knoppen."))
            data["len"] = given.choice
            return Next("reason", data, Reply(msg("ask_postpone_reason")))
        if not given.text or len(given.text) > 200:
            return Invalid(Reply(msg("reason_needed")))
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        result = await service.postpone_deadline(
            env.session,
            loaded.id,
            choice=PostponeChoice(data["len"]),
            reason=given.text,
            today=_today(env),
            now=env.clock.now(),
            staff_id=env.actor.staff_id,
            max_postponements=env.team.deadlines.max_postponements,
        )
        if isinstance(result, PostponeRefused):
            return Finish(Reply(msg("postpone_refused", count=result.postponements)))
        return Finish(
            Reply(msg("postponed", new_due=result.new_due, kind=data["kind"], ref=data["ref"]))
        )


class NotApplicableForm(Form):
    """Niet van toepassing: closes the deadline with a reason."""

    name = "nvt"
    command = "termijnen"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        loaded = await load_for(env, int(args[0]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        data = {"id": loaded.id, "ref": loaded.client_ref or "", "kind": loaded.kind}
        return Next("reason", data, Reply(msg("ask_na_reason", kind=loaded.kind, ref=data["ref"])))

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        data = dict(state.data)
        if not given.text or len(given.text) > 200:
            return Invalid(Reply(msg("reason_needed")))
        loaded = await load_for(env, int(data["id"]))
        if isinstance(loaded, str):
            return Finish(Reply(msg(loaded)))
        await service.not_applicable(env.session, loaded.id, now=env.clock.now(), note=given.text)
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
