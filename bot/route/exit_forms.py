"""``/uitstroom REF``: reason, date, for werk the kind and the hours, a note, summary, Opslaan.

Started from a vacature vervuld with a client (the "Ja, uitstroom vastleggen" button), the form
comes prefilled with reason werk and the vacature's hours, and completes that vacature's
placement instead of adding a second one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.caselog.catalog import CLIENT_STATUSES, label_of
from bot.caselog.rules import check_note
from bot.core.answers import InputProblem
from bot.core.callbacks import family
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, Next, StepResult
from bot.forms.parsers import check_ref, date_answer, pick, today, typed_text
from bot.forms.steps import SKIP, Step, StepForm, Taken
from bot.route import exit_rules as rules
from bot.route import exit_service as service

TEMPLATE = "route/exit_prompt"
#: ``/uitstroom`` started from a vervulde vacature: the argument is this prefix and its id (no
#: reference can start with it, so a typed one is never mistaken for it).
FROM_VACANCY = "+vacature"
#: Buttons under a vacature vervuld with a client: does the client leave with this job?
EXIT_BUTTONS = family("uit", "uitstroom na vervulde vacature", {"ja": (int,), "nee": (int,)})

Data = dict[str, Any]
Rows = list[list[Button]]


def label(name: str) -> str:
    """The uitstroom button called ``name`` (``route/exit_button.j2``)."""
    return render("route/exit_button", name=name)


def ask_leaves(vacancy_id: int, ref: str, hours: int | None) -> Reply:
    """After a vacature vervuld with ``ref``: stroomt de cliënt uit? (Ja opens this form.)"""
    return Reply(
        render("route/exit_ask_leaves", ref=ref, hours=hours),
        [
            [
                Button(label("leaves"), EXIT_BUTTONS.encode("ja", vacancy_id)),
                Button(label("stays"), EXIT_BUTTONS.encode("nee", vacancy_id)),
            ]
        ],
    )


def _in_caseload(client: service.ClientInfo) -> Data:
    if not rules.may_place(client.status):
        status = label_of(CLIENT_STATUSES, client.status)
        raise InputProblem("not_in_caseload", {"ref": client.ref, "status": status})
    return {
        "ref": client.ref,
        "client_id": client.id,
        "entered": client.entered_on.isoformat() if client.entered_on else None,
    }


async def _ref(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    ref = check_ref(env, typed_text(given))
    client = await service.client_in_caseload(env.session, env.actor, ref)
    if client is None:
        raise InputProblem("ref_unknown", {"ref": ref})
    return {**data, **_in_caseload(client)}


def _reason_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    reasons = env.team.caselog.exit_reasons
    return keyboard_rows([form.button("reason", c.code, c.label) for c in reasons], 2)


def _reason(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    reason = pick(given, env.team.caselog.exit_reasons)
    changed = {**data, "reason": reason}
    if data.get("editing") and rules.is_work(reason) and not data.get("kind"):
        # Changed to werk from the summary: ask the kind and hours before going back.
        changed.pop("editing")
        return Next("kind", changed, form.prompt(env, "kind", changed))
    return changed


def _date_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return [
        [
            form.button("date", "vandaag", label("today")),
            form.button("date", "gisteren", label("yesterday")),
        ]
    ]


def _entered(data: Data) -> date | None:
    return date.fromisoformat(data["entered"]) if data.get("entered") else None


def _date(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    now = today(env)
    if given.choice == "vandaag":
        day = now
    elif given.choice == "gisteren":
        day = now - timedelta(days=1)
    else:
        day = date_answer(given, now, prefer="past")
    rules.check_exit_date(day, now, _entered(data))
    return {**data, "date": day.isoformat()}


def _kind(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "kind": pick(given, rules.WORK_KINDS)}


def _hours(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    return {**data, "hours": rules.check_hours(typed_text(given))}


def _note(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == SKIP:
        return {**data, "note": None}
    return {**data, "note": check_note(typed_text(given))}


def _not_work(data: Data) -> bool:
    return not rules.is_work(data.get("reason"))


def _step(name: str, **kwargs: Any) -> Step:
    return Step(name, TEMPLATE, fixed={"step": name}, **kwargs)


class ExitForm(StepForm):
    """``/uitstroom REF``: the client leaves the caseload (uitgestroomd, or geplaatst with LKS)."""

    name = "uitst"
    command = "uitstroom"
    step_list = (
        _step("ref", parse=_ref),
        # Prefilled (from a vervulde vacature) answers are not asked again; Wijzigen can.
        _step("reason", parse=_reason, buttons=_reason_buttons, skip=lambda d: "reason" in d),
        _step(
            "date",
            parse=_date,
            buttons=_date_buttons,
            variables=lambda env, data: {"entered": _entered(data)},
        ),
        _step(
            "kind",
            parse=_kind,
            buttons=lambda form, env, data: keyboard_rows(
                [form.button("kind", c.code, c.label) for c in rules.WORK_KINDS], 1
            ),
            skip=lambda d: _not_work(d) or bool(d.get("kind")),
        ),
        _step("hours", parse=_hours, skip=lambda d: _not_work(d) or bool(d.get("hours"))),
        _step(
            "note",
            parse=_note,
            buttons=lambda form, env, data: [[form.button("note", SKIP, label("no_note"))]],
            skip=lambda d: "note" in d,
        ),
    )

    editable = tuple(
        (step, label(f"edit_{step}")) for step in ("reason", "date", "kind", "hours", "note")
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        if args and args[0].startswith(FROM_VACANCY):
            return await self._from_vacancy(env, args[0].removeprefix(FROM_VACANCY))
        return await self.begin_with_ref(env, args)

    async def _from_vacancy(self, env: FormEnv, raw_id: str) -> StepResult:
        """Prefilled from a vacature vervuld with a client: reason werk, the vacature's hours."""
        found = (
            await service.filled_vacancy(env.session, env.actor, int(raw_id))
            if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10
            else None
        )
        if found is None:
            return Finish(Reply(render("caselog/vacancy_not_open")))
        vacancy, client = found
        try:
            data = _in_caseload(client)
        except InputProblem:
            return Finish(Reply(render("route/exit_gone", ref=client.ref)))
        data.update(
            reason=rules.WORK,
            vid=vacancy.id,
            vacancy=f"{vacancy.function} bij {vacancy.employer}",
        )
        if vacancy.hours_per_week is not None:
            data["hours"] = vacancy.hours_per_week
        return await self.go(env, data, "ref")

    def _view(self, env: FormEnv, data: Data) -> dict[str, Any]:
        work = rules.is_work(data.get("reason"))
        return {
            "ref": data["ref"],
            "reason": label_of(env.team.caselog.exit_reasons, data.get("reason")),
            "day": date.fromisoformat(data["date"]),
            "work": work,
            "kind": label_of(rules.WORK_KINDS, data.get("kind")) if work else None,
            "hours": data.get("hours") if work else None,
            "vacancy": data.get("vacancy") if work else None,
            "lks": rules.with_lks(data.get("reason"), data.get("kind")),
            "note": data.get("note"),
        }

    def summary(self, env: FormEnv, data: Data, error: str = "") -> Reply:
        return self.summary_reply(
            render("route/exit_summary", **self._view(env, data), error=error)
        )

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        work = rules.is_work(data.get("reason"))
        saved = await service.save_exit(
            env.session,
            env.actor,
            client_id=int(data["client_id"]),
            reason=str(data["reason"]),
            on=date.fromisoformat(data["date"]),
            work_kind=data.get("kind") if work else None,
            hours=int(data["hours"]) if work and data.get("hours") else None,
            note=data.get("note"),
            vacancy_id=int(data["vid"]) if work and data.get("vid") else None,
            now=env.clock.now(),
        )
        if saved is None:
            return Finish(Reply(render("route/exit_gone", ref=data["ref"])))
        text = render(
            "route/exit_saved",
            **self._view(env, data),
            assessment_due=saved.assessment_due,
            assessor=saved.assessor_name,
            closed=saved.closed_deadlines,
            ended=saved.ended_exemptions,
        )
        return Finish(Reply(text), saved.outbox)


EXIT_FORM = ExitForm()
