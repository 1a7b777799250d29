r"""Weekdate forms: meeting mode (walk the items, decide each) and moving one occurrence.

Meeting mode keeps the walk and the cursor in the meeting row; the form only holds the sub-steps
of the current item (category → subcategory → loopbaanbegeleider; or actiepunt: who → due date →
what). So a restart, a timeout or ``/annuleer`` never loses a decision: ``/weekdate start`` picks
up at the item where the meeting was.

The plain questions are declarative :class:`~bot.forms.steps.Step`\ s (template, buttons,
parser); the walk itself (which item, which outcome, what comes next) stays in code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from markupsafe import Markup

from bot.caselog.catalog import Choice, label_of
from bot.core import dates
from bot.core.answers import InputProblem
from bot.core.dates import format_clock
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Button, Reply, keyboard_rows
from bot.core.vocabulary import CaseItemKind, MeetingOutcome, OverrideAction
from bot.core.workdays import holiday_name
from bot.forms.engine import Finish, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.forms.parsers import date_answer, today
from bot.forms.steps import DirectStepForm, Step, StepForm
from bot.profiles.meaning import needs_lb_appointment, subcategories_of
from bot.weekdate import meeting_service
from bot.weekdate.meeting_service import MeetingInfo, can_carry, decide, may_decide_exit
from bot.weekdate.rules.schedule import WEEKDAYS_NL, Occurrence
from bot.weekdate.service import movable_occurrences, move_clash, set_override

STOP = "stop"
#: The item buttons of a walk item that is no aanmelding.
DISCUSS = "besproken"
ACTION = "actie"
CARRY = "door"
#: A succes decided to be an uitstroom.
EXIT = "uit"
NO_TITLE = "geen"
#: The step where a teamleider who does not chair may take the chair over.
TAKEOVER = "chair"
TAKE = "take"
MAX_TITLE = 200
MANAGERS = (Role.TEAMLEIDER, Role.ADMIN)
#: Days ahead an actiepunt may be due, and an occurrence may be moved to.
ACTION_DUE_DAYS = 366
MOVE_AHEAD_DAYS = 120
#: Keys of values a prompt needs but the stored form state does not keep (the walk item, the
#: people to pick from, the slots to move): passed to :meth:`WeekdateSteps.ask` only.
ENTRY = "_entry"
PEOPLE = "_people"
SLOTS = "_slots"

Data = dict[str, Any]


def may_chair(env: FormEnv) -> bool:
    """Only a teamleider (or admin) runs the weekdate."""
    return env.actor.has(*MANAGERS)


class WeekdateSteps(DirectStepForm):
    """The weekdate's way of refusing an answer: "use the buttons" on its own, anything else
    the same question with the reason on top (``bare_refusals``: without its buttons)."""

    bare_refusals: frozenset[str] = frozenset()
    #: How this form is stopped, for the "use the buttons" reply.
    stop_command = "/annuleer"

    def ask(self, env: FormEnv, step: str, data: Data, **transient: Any) -> Next:
        """Go to ``step``; ``transient`` values feed the prompt but are not stored."""
        return Next(step, data, self.prompt(env, step, {**data, **transient}))

    def refuse(self, env: FormEnv, step: str, data: Data, problem: InputProblem) -> Invalid:
        """The reply to an answer ``step`` cannot take."""
        if problem.code == "use_buttons":
            return Invalid(Reply(render("weekdate/use_buttons", stop=self.stop_command)))
        reply = self.prompt(env, step, data, str(problem.values.get("message", problem.code)))
        return Invalid(Reply(reply.text) if step in self.bare_refusals else reply)

    async def answer(self, env: FormEnv, step: str, data: Data, given: FormInput) -> Data | Invalid:
        """The answers with ``step`` taken, or the refusal."""
        try:
            taken = await self.take(env, step, data, given)
        except InputProblem as problem:
            return self.refuse(env, step, data, problem)
        assert isinstance(taken, dict)
        return taken


# --- meeting mode: the plain questions -------------------------------------------------------


def _entry_vars(env: FormEnv, data: Data) -> dict[str, Any]:
    return {"entry": data.get(ENTRY, {})}


def _sub_vars(env: FormEnv, data: Data) -> dict[str, Any]:
    return {
        "entry": data.get(ENTRY, {}),
        "category": label_of(env.team.caselog.categories, data["cat"]),
    }


def _sub_options(env: FormEnv, category: str) -> list[Choice]:
    """The subcategories of ``category``: the ones its profile allows (004's 1A-3B are per
    category), all configured ones when the profile names none for it; none when the scheme
    has no subcategories at all (Steenwijkerland), and then the step is skipped."""
    allowed = subcategories_of(env.team.profile, category)
    return [c for c in env.team.caselog.subcategories if not allowed or c.code in allowed]


def _sub_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return keyboard_rows(
        [form.button("sub", c.code, c.label) for c in _sub_options(env, str(data["cat"]))], 1
    )


def _take_sub(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice not in {c.code for c in _sub_options(env, str(data["cat"]))}:
        raise InputProblem("use_buttons")
    return {**data, "sub": given.choice}


def _people_buttons(step: str) -> Callable[[StepForm, FormEnv, Data], list[list[Button]]]:
    def buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
        people = data.get(PEOPLE, [])
        return keyboard_rows([form.button(step, sid, name) for sid, name in people], 2)

    return buttons


def _take_person(step: str, role: Role | None) -> Callable[..., Any]:
    async def take(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
        choice = given.choice
        if choice is None or not choice.isdigit():
            raise InputProblem("use_buttons")
        people = await meeting_service.people(env.session, env.actor.team_id, role)
        if int(choice) not in {p.staff_id for p in people}:
            raise InputProblem("use_buttons")
        return {**data, step: int(choice)}

    return take


def _due_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return [
        [
            form.button("due", "7", render("weekdate/button_due_1w")),
            form.button("due", "14", render("weekdate/button_due_2w")),
        ]
    ]


def _future_date(env: FormEnv, given: FormInput, days: int) -> date:
    """A typed date from today up to ``days`` ahead."""
    if given.text is None:
        raise InputProblem("date", {"message": dates.HINT})
    now = today(env)
    return date_answer(
        FormInput(text=given.text),
        now,
        prefer="future",
        earliest=now,
        latest=now + timedelta(days=days),
    )


def _take_due(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice in ("7", "14"):
        due = today(env) + timedelta(days=int(given.choice))
    else:
        due = _future_date(env, given, ACTION_DUE_DAYS)
    return {**data, "due": due.isoformat()}


def _title_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return [[form.button("title", NO_TITLE, render("weekdate/button_no_title"))]]


def _take_title(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == NO_TITLE:
        return {**data, "title": None}
    if given.text is None or not given.text.strip():
        raise InputProblem("empty")
    if len(given.text) > MAX_TITLE:
        raise InputProblem("long")
    return {**data, "title": " ".join(given.text.split())}


class MeetingForm(WeekdateSteps):
    """``/weekdate start``: the teamleider walks the agenda item by item."""

    name = "wdm"
    command = "weekdate start"
    stop_command = "/weekdate stop"
    step_list = (
        Step(
            "sub",
            "weekdate/ask_sub",
            parse=_take_sub,
            buttons=_sub_buttons,
            variables=_sub_vars,
            cancel=False,
        ),
        Step(
            "lb",
            "weekdate/ask_lb",
            parse=_take_person("lb", Role.LOOPBAANBEGELEIDER),
            buttons=_people_buttons("lb"),
            variables=_entry_vars,
            cancel=False,
        ),
        Step(
            "who",
            "weekdate/ask_who",
            parse=_take_person("who", None),
            buttons=_people_buttons("who"),
            variables=_entry_vars,
            cancel=False,
        ),
        Step("due", "weekdate/ask_due", parse=_take_due, buttons=_due_buttons, cancel=False),
        Step(
            "title",
            "weekdate/ask_title",
            parse=_take_title,
            buttons=_title_buttons,
            cancel=False,
            fixed={"limit": MAX_TITLE},
        ),
    )
    #: A refused description shows the question again without its button (as it always did).
    bare_refusals = frozenset({"title"})

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        meeting = await meeting_service.active_meeting(env.session, env.actor.team_id)
        if meeting is None:
            return Finish(Reply(render("weekdate/no_meeting")))
        if meeting.chair_staff_id != env.actor.staff_id:
            return await self._offer_chair(env, meeting)
        return await self._item(env, meeting, intro=not args)

    async def _offer_chair(self, env: FormEnv, meeting: MeetingInfo) -> StepResult:
        """One chair at a time: someone else gets who chairs and may take over explicitly."""
        chair = await meeting_service.chair_name(env.session, meeting)
        rows = [
            [
                self.button(TAKEOVER, TAKE, render("weekdate/button_take_over")),
                self.button(TAKEOVER, STOP, render("weekdate/button_cancel")),
            ]
        ]
        data = {"meeting": meeting.id, "chair": meeting.chair_staff_id}
        return Next(TAKEOVER, data, Reply(render("weekdate/chair_busy", chair=chair), rows))

    async def _on_takeover(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        meeting = await meeting_service.running_meeting(env.session, int(state.data["meeting"]))
        if meeting is None:
            return Finish(Reply(render("weekdate/no_meeting")))
        if given.choice == STOP:
            chair = await meeting_service.chair_name(env.session, meeting)
            return Finish(Reply(render("weekdate/chair_kept", chair=chair)))
        if given.choice != TAKE:
            return Invalid(Reply(render("weekdate/use_buttons", stop=self.stop_command)))
        if meeting.chair_staff_id != env.actor.staff_id:
            if meeting.chair_staff_id != state.data.get("chair"):
                # The chair changed since the question: ask again, naming the new chair.
                return await self._offer_chair(env, meeting)
            if not await meeting_service.take_chair(env.session, env.clock, meeting, env.actor):
                fresh = await meeting_service.after_decision(env.session, meeting)
                return await self._offer_chair(env, fresh)
        fresh = await meeting_service.after_decision(env.session, meeting)
        return await self._item(env, fresh, note=Markup(render("weekdate/chair_now_you")))

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        # Meeting mode decides item by item in :meth:`advance`; nothing is saved at the end.
        return Finish(Reply(render("weekdate/no_meeting")))

    async def _item(
        self, env: FormEnv, meeting: MeetingInfo, *, intro: bool = False, note: str = ""
    ) -> StepResult:
        cursor = await meeting_service.current_item(env.session, meeting)
        if cursor >= len(meeting.walk):
            return Finish(Reply(render("weekdate/walk_done", note=note)))
        entry = meeting.walk[cursor]

        def item_button(choice: str, label: str) -> Button:
            # Each tap names the item it decides, so a tap meant for an earlier item (a double
            # tap, an old message) cannot decide the one that came after it unseen.
            return self.button("item", _name_item(meeting.id, cursor, choice), label)

        if _categorise(entry):
            buttons = [item_button(c.code, c.label) for c in env.team.caselog.categories]
        else:
            buttons = [
                item_button(DISCUSS, render("weekdate/button_discussed")),
                item_button(ACTION, render("weekdate/button_action")),
            ]
        if may_decide_exit(entry):
            buttons.append(item_button(EXIT, render("weekdate/button_exit")))
        if can_carry(entry):
            buttons.append(item_button(CARRY, render("weekdate/button_carry")))
        rows = keyboard_rows(buttons, 3)
        text = render(
            "weekdate/walk_item",
            entry=entry,
            number=cursor + 1,
            total=len(meeting.walk),
            intro=intro,
            note=note,
        )
        return Next("item", {"meeting": meeting.id, "key": entry["key"]}, Reply(text, rows))

    async def _meeting(self, env: FormEnv, state: FormState) -> tuple[MeetingInfo, Data] | None:
        meeting = await meeting_service.running_meeting(env.session, int(state.data["meeting"]))
        if meeting is None:
            return None
        for entry in meeting.walk:
            if entry["key"] == state.data["key"]:
                return meeting, entry
        return None

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        step = state.step
        if step == TAKEOVER:
            return await self._on_takeover(env, state, given)
        found = await self._meeting(env, state)
        if found is None:
            return Finish(Reply(render("weekdate/no_meeting")))
        meeting, entry = found
        if meeting.chair_staff_id != env.actor.staff_id:
            # Someone took the chair over: this person's buttons and answers no longer count.
            chair = await meeting_service.chair_name(env.session, meeting)
            return Finish(Reply(render("weekdate/chair_taken", chair=chair)))
        if step == "item":
            return await self._on_item(env, meeting, entry, dict(state.data), given.choice)
        if self.step(step) is None:
            return Invalid(Reply(render("weekdate/use_buttons", stop=self.stop_command)))
        data = await self.answer(env, step, dict(state.data), given)
        if isinstance(data, Invalid):
            return data
        if step == "sub" and needs_lb_appointment(env.team.profile, str(data["cat"])):
            return await self._ask_person(env, data, "lb", entry)
        if step in ("sub", "lb"):
            return await self._apply(env, meeting, entry, MeetingOutcome.CATEGORISED, data)
        if step == "who":
            return self.ask(env, "due", data)
        if step == "due":
            return self.ask(env, "title", data)
        return await self._apply(env, meeting, entry, MeetingOutcome.ACTION, data)

    async def _on_item(
        self,
        env: FormEnv,
        meeting: MeetingInfo,
        entry: Data,
        data: Data,
        tapped: str | None,
    ) -> StepResult:
        named = _named_item(tapped)
        if named is None:
            return Invalid(Reply(render("weekdate/use_buttons", stop=self.stop_command)))
        meeting_id, position, choice = named
        if (
            meeting_id != meeting.id
            or position >= len(meeting.walk)
            or meeting.walk[position]["key"] != entry["key"]
        ):
            # A tap for another item than the one at hand: that one is decided already.
            known = (
                meeting.walk[position]
                if meeting_id == meeting.id and position < len(meeting.walk)
                else None
            )
            return Invalid(Reply(render("weekdate/item_already_decided", entry=known)))
        if choice in {c.code for c in env.team.caselog.categories} and _categorise(entry):
            if _sub_options(env, choice):
                return self.ask(env, "sub", {**data, "cat": choice}, **{ENTRY: entry})
            # No subcategories for this category: straight on to what it sets in motion.
            data = {**data, "cat": choice}
            if needs_lb_appointment(env.team.profile, choice):
                return await self._ask_person(env, data, "lb", entry)
            return await self._apply(env, meeting, entry, MeetingOutcome.CATEGORISED, data)
        if choice == DISCUSS and not _categorise(entry):
            return await self._apply(env, meeting, entry, MeetingOutcome.DISCUSSED, data)
        if choice == ACTION and not _categorise(entry):
            return await self._ask_person(env, data, "who", entry)
        if choice == EXIT and may_decide_exit(entry):
            return await self._apply(env, meeting, entry, MeetingOutcome.EXIT, data)
        if choice == CARRY and can_carry(entry):
            return await self._apply(env, meeting, entry, MeetingOutcome.CARRIED, data)
        return Invalid(Reply(render("weekdate/use_buttons", stop=self.stop_command)))

    async def _ask_person(self, env: FormEnv, data: Data, step: str, entry: Data) -> StepResult:
        role = Role.LOOPBAANBEGELEIDER if step == "lb" else None
        people = await meeting_service.people(env.session, env.actor.team_id, role)
        if not people:
            return Finish(Reply(render("weekdate/nobody", role=role.label if role else None)))
        pick = [(p.staff_id, p.display_name) for p in people]
        return self.ask(env, step, data, **{ENTRY: entry, PEOPLE: pick})

    async def _apply(
        self,
        env: FormEnv,
        meeting: MeetingInfo,
        entry: Data,
        outcome: MeetingOutcome,
        data: Data,
    ) -> StepResult:
        summary = await decide(
            env.session,
            meeting=meeting,
            entry=entry,
            outcome=outcome,
            actor_staff_id=env.actor.staff_id,
            clock=env.clock,
            category=data.get("cat"),
            subcategory=data.get("sub"),
            lb_staff_id=data.get("lb"),
            owner_staff_id=data.get("who"),
            due=date.fromisoformat(data["due"]) if data.get("due") else None,
            title=data.get("title"),
            scheme=env.team.caselog,
            lb_working_days=env.team.deadlines.lb_appointment_working_days,
            profile=env.team.profile,
        )
        # Already rendered (and escaped) HTML: Markup keeps the next template from escaping it
        # a second time.
        if summary is None:
            note = Markup(render("weekdate/item_already_decided", entry=entry))
        else:
            note = Markup(render("weekdate/decided", entry=entry, summary=summary))
        fresh = await meeting_service.after_decision(env.session, meeting)
        return await self._item(env, fresh, note=note)


# --- moving one occurrence -------------------------------------------------------------------


def _which_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    slots: list[Occurrence] = data.get(SLOTS, [])
    buttons = [
        form.button("which", o.regular_date.isoformat(), _label_day(o.date, o.start)) for o in slots
    ]
    buttons.append(form.button("which", STOP, render("weekdate/button_cancel")))
    return keyboard_rows(buttons, 1)


def _take_which(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if not given.choice or not _is_iso(given.choice):
        raise InputProblem("use_buttons")
    return {**data, "regular": given.choice}


def _action_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    return [
        [
            form.button("action", "move", render("weekdate/button_move_other")),
            form.button("action", "skip", render("weekdate/button_move_skip")),
            form.button("action", STOP, render("weekdate/button_cancel")),
        ]
    ]


def _action_vars(env: FormEnv, data: Data) -> dict[str, Any]:
    return {"day": date.fromisoformat(str(data["regular"]))}


def _take_action(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice not in ("move", "skip"):
        raise InputProblem("use_buttons")
    return {**data, "action": given.choice}


def _take_date(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    day = _future_date(env, given, MOVE_AHEAD_DAYS)
    holiday = holiday_name(day)
    if holiday is not None:
        # Nobody plans a weekdate on Eerste Kerstdag on purpose: say which holiday it is.
        message = render("weekdate/move_refused", reason="holiday", holiday=holiday, day=day)
        raise InputProblem("holiday", {"message": message})
    return {**data, "new_date": day.isoformat()}


def _usual(env: FormEnv) -> str:
    return format_clock(env.team.weekdate.start)


def _time_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    usual = _usual(env)
    # Callback data may not hold ':', so the button carries 10.00.
    return [
        [
            form.button(
                "time", usual.replace(":", "."), render("weekdate/button_keep_time", usual=usual)
            )
        ]
    ]


def _time_vars(env: FormEnv, data: Data) -> dict[str, Any]:
    return {"usual": _usual(env)}


async def _take_time(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    raw = given.choice.replace(".", ":") if given.choice else (given.text or "")
    parsed = _parse_clock(raw)
    if parsed is None:
        raise InputProblem("bad")
    regular, new_date = date.fromisoformat(data["regular"]), date.fromisoformat(data["new_date"])
    clash = await move_clash(env.session, env.actor, env.team.weekdate, regular, new_date, parsed)
    if clash is not None:
        message = render(
            "weekdate/move_refused",
            reason="clash",
            clash=_label_day(clash.date, clash.start),
            other=clash.regular_date,
        )
        raise InputProblem("clash", {"message": message})
    return {**data, "new_time": format_clock(parsed)}


class MoveForm(WeekdateSteps):
    """``/weekdate verzet``: move (or skip) one occurrence."""

    name = "wdv"
    command = "weekdate verzet"
    step_list = (
        Step(
            "which", "weekdate/move_which", parse=_take_which, buttons=_which_buttons, cancel=False
        ),
        Step(
            "action",
            "weekdate/move_action",
            parse=_take_action,
            buttons=_action_buttons,
            variables=_action_vars,
            cancel=False,
        ),
        Step("date", "weekdate/move_date", parse=_take_date, cancel=False),
        Step(
            "time",
            "weekdate/move_time",
            parse=_take_time,
            buttons=_time_buttons,
            variables=_time_vars,
            cancel=False,
        ),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        if not may_chair(env):
            return Finish(Reply(render("common/not_allowed")))
        if args and _is_iso(args[0]):
            return self.ask(env, "action", {"regular": args[0]})
        # Offer the coming regular slots (including ones already moved, to move them again).
        slots = await movable_occurrences(env.session, env.clock, env.actor, env.team.weekdate)
        return self.ask(env, "which", {}, **{SLOTS: slots})

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        if given.choice == STOP:
            return Finish(Reply(render("forms/form_cancelled", had_form=True)))
        step = state.step
        if self.step(step) is None:
            return Invalid(Reply(render("weekdate/use_buttons", stop=self.stop_command)))
        data = await self.answer(env, step, dict(state.data), given)
        if isinstance(data, Invalid):
            return data
        if step == "which":
            return self.ask(env, "action", data)
        if step == "action":
            action = data.pop("action")
            if action == "skip":
                return await self._save(env, data, OverrideAction.SKIPPED)
            return self.ask(env, "date", data)
        if step == "date":
            return self.ask(env, "time", data)
        return await self._save(env, data, OverrideAction.MOVED)

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        return await self._save(env, data, OverrideAction.MOVED)

    async def _save(self, env: FormEnv, data: Data, action: OverrideAction) -> StepResult:
        regular = date.fromisoformat(str(data["regular"]))
        new_date = date.fromisoformat(data["new_date"]) if data.get("new_date") else None
        new_time = _parse_clock(str(data["new_time"])) if data.get("new_time") else None
        await set_override(
            env.session,
            env.clock,
            env.actor,
            regular,
            action,
            new_date,
            new_time,
            settings=env.team.weekdate,
        )
        return Finish(
            Reply(
                render(
                    "weekdate/moved",
                    action=action,
                    regular=regular,
                    new_day=_label_day(new_date, new_time) if new_date and new_time else "",
                )
            )
        )


def _name_item(meeting_id: int, position: int, choice: str) -> str:
    """A walk item's button value: the meeting, the item's place in the stored walk, a choice."""
    return f"{meeting_id}.{position}.{choice}"


def _named_item(value: str | None) -> tuple[int, int, str] | None:
    """The meeting, walk position and choice a tapped item button names (``None``: not one)."""
    parts = (value or "").split(".", 2)
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0]), int(parts[1]), parts[2]


def _categorise(entry: dict[str, Any]) -> bool:
    """An aanmelding of a known client gets category buttons; anything else the usual three."""
    return entry["kind"] == CaseItemKind.INTAKE and entry.get("client_id") is not None


def _is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _parse_clock(text: str) -> time | None:
    parts = text.strip().replace(".", ":").split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return time(hours, minutes)


def _label_day(day: date, start: time) -> str:
    return f"{WEEKDAYS_NL[day.weekday()]} {dates.format_date(day)} {format_clock(start)}"
