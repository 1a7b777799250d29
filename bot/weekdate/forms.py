"""Weekdate forms: meeting mode (walk the items, decide each) and moving one occurrence.

Meeting mode keeps the walk and the cursor in the meeting row; the form only holds the sub-steps
of the current item (category → subcategory → loopbaanbegeleider; or actiepunt: who → due date →
what). So a restart, a timeout or ``/annuleer`` never loses a decision: ``/weekdate start`` picks
up at the item where the meeting was.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from markupsafe import Markup

from bot.caselog.catalog import label_of
from bot.core import dates
from bot.core.clock import local_today
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Reply, keyboard_rows
from bot.core.vocabulary import CaseItemKind, MeetingOutcome, OverrideAction
from bot.forms.engine import Finish, Form, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.weekdate import meeting_service
from bot.weekdate.meeting import needs_loopbaanbegeleider
from bot.weekdate.meeting_service import MeetingInfo, can_carry, decide
from bot.weekdate.schedule import WEEKDAYS_NL
from bot.weekdate.service import movable_occurrences, set_override
from storage.staff import StaffMember

STOP = "stop"
#: The item buttons of a walk item that is no aanmelding.
DISCUSS = "besproken"
ACTION = "actie"
CARRY = "door"
NO_TITLE = "geen"
MAX_TITLE = 200
MANAGERS = (Role.TEAMLEIDER, Role.ADMIN)


def may_chair(env: FormEnv) -> bool:
    """Only a teamleider (or admin) runs the weekdate."""
    return env.actor.has(*MANAGERS)


class MeetingForm(Form):
    """``/weekdate start``: the teamleider walks the agenda item by item."""

    name = "wdm"
    command = "weekdate start"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        meeting = await meeting_service.active_meeting(env.session, env.actor.team_id)
        if meeting is None:
            return Finish(Reply(render("weekdate/no_meeting")))
        return await self._item(env, meeting, intro=not args)

    async def _item(
        self, env: FormEnv, meeting: MeetingInfo, *, intro: bool = False, note: str = ""
    ) -> StepResult:
        cursor = await meeting_service.current_item(env.session, meeting)
        if cursor >= len(meeting.walk):
            return Finish(Reply(render("weekdate/walk_done", note=note)))
        entry = meeting.walk[cursor]
        if _categorise(entry):
            buttons = [self.button("item", c.code, c.label) for c in env.team.caselog.categories]
        else:
            buttons = [
                self.button("item", DISCUSS, render("weekdate/button_discussed")),
                self.button("item", ACTION, render("weekdate/button_action")),
            ]
        if can_carry(entry):
            buttons.append(self.button("item", CARRY, render("weekdate/button_carry")))
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

    async def _meeting(
        self, env: FormEnv, state: FormState
    ) -> tuple[MeetingInfo, dict[str, Any]] | None:
        meeting = await meeting_service.running_meeting(env.session, int(state.data["meeting"]))
        if meeting is None:
            return None
        for entry in meeting.walk:
            if entry["key"] == state.data["key"]:
                return meeting, entry
        return None

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        found = await self._meeting(env, state)
        if found is None:
            return Finish(Reply(render("weekdate/no_meeting")))
        meeting, entry = found
        step, choice = state.step, given.choice
        data = dict(state.data)
        if step == "item":
            return await self._on_item(env, meeting, entry, data, choice)
        if step == "sub":
            if choice not in {c.code for c in env.team.caselog.subcategories}:
                return Invalid(Reply(render("weekdate/use_buttons")))
            data["sub"] = choice
            if needs_loopbaanbegeleider(str(data["cat"])):
                return await self._ask_person(env, data, "lb", "weekdate/ask_lb", entry)
            return await self._apply(env, meeting, entry, MeetingOutcome.CATEGORISED, data)
        if step == "lb":
            person = await self._person(env, choice, Role.LOOPBAANBEGELEIDER)
            if person is None:
                return Invalid(Reply(render("weekdate/use_buttons")))
            data["lb"] = person
            return await self._apply(env, meeting, entry, MeetingOutcome.CATEGORISED, data)
        if step == "who":
            person = await self._person(env, choice, None)
            if person is None:
                return Invalid(Reply(render("weekdate/use_buttons")))
            data["who"] = person
            return self._ask_due(data)
        if step == "due":
            return self._on_due(env, data, given)
        if step == "title":
            if choice == NO_TITLE:
                data["title"] = None
            elif given.text is None or not given.text.strip():
                return Invalid(Reply(render("weekdate/ask_title", error="empty")))
            elif len(given.text) > MAX_TITLE:
                return Invalid(Reply(render("weekdate/ask_title", error="long", limit=MAX_TITLE)))
            else:
                data["title"] = " ".join(given.text.split())
            return await self._apply(env, meeting, entry, MeetingOutcome.ACTION, data)
        return Invalid(Reply(render("weekdate/use_buttons")))

    async def _on_item(
        self,
        env: FormEnv,
        meeting: MeetingInfo,
        entry: dict[str, Any],
        data: dict[str, Any],
        choice: str | None,
    ) -> StepResult:
        scheme = env.team.caselog
        if choice in {c.code for c in scheme.categories} and _categorise(entry):
            data["cat"] = choice
            buttons = [self.button("sub", c.code, c.label) for c in scheme.subcategories]
            return Next(
                "sub",
                data,
                Reply(
                    render(
                        "weekdate/ask_sub",
                        category=label_of(scheme.categories, choice),
                        entry=entry,
                    ),
                    keyboard_rows(buttons, 1),
                ),
            )
        if choice == DISCUSS and not _categorise(entry):
            return await self._apply(env, meeting, entry, MeetingOutcome.DISCUSSED, data)
        if choice == ACTION and not _categorise(entry):
            return await self._ask_person(env, data, "who", "weekdate/ask_who", entry)
        if choice == CARRY and can_carry(entry):
            return await self._apply(env, meeting, entry, MeetingOutcome.CARRIED, data)
        return Invalid(Reply(render("weekdate/use_buttons")))

    async def _ask_person(
        self,
        env: FormEnv,
        data: dict[str, Any],
        step: str,
        template: str,
        entry: dict[str, Any],
    ) -> StepResult:
        role = Role.LOOPBAANBEGELEIDER if step == "lb" else None
        people = await self._people(env, role)
        if not people:
            return Finish(Reply(render("weekdate/nobody", role=role.label if role else None)))
        buttons = [self.button(step, p.staff_id, p.display_name) for p in people]
        return Next(step, data, Reply(render(template, entry=entry), keyboard_rows(buttons, 2)))

    async def _people(self, env: FormEnv, role: Role | None) -> list[StaffMember]:
        return await meeting_service.people(env.session, env.actor.team_id, role)

    async def _person(self, env: FormEnv, choice: str | None, role: Role | None) -> int | None:
        if choice is None or not choice.isdigit():
            return None
        ids = {p.staff_id for p in await self._people(env, role)}
        return int(choice) if int(choice) in ids else None

    def _ask_due(self, data: dict[str, Any], error: str = "") -> Next:
        buttons = [
            self.button("due", "7", render("weekdate/button_due_1w")),
            self.button("due", "14", render("weekdate/button_due_2w")),
        ]
        return Next("due", data, Reply(render("weekdate/ask_due", error=error), [buttons]))

    def _on_due(self, env: FormEnv, data: dict[str, Any], given: FormInput) -> StepResult:
        today = local_today(env.clock)
        if given.choice in ("7", "14"):
            due = today + timedelta(days=int(given.choice))
        elif given.text is not None:
            try:
                due = dates.parse_date(
                    given.text,
                    today,
                    prefer="future",
                    earliest=today,
                    latest=today + timedelta(days=366),
                )
            except dates.DateInputError as exc:
                return Invalid(self._ask_due(data, error=str(exc)).reply)
        else:
            return Invalid(self._ask_due(data, error=dates.HINT).reply)
        data["due"] = due.isoformat()
        return Next(
            "title",
            data,
            Reply(
                render("weekdate/ask_title", error=""),
                [[self.button("title", NO_TITLE, render("weekdate/button_no_title"))]],
            ),
        )

    async def _apply(
        self,
        env: FormEnv,
        meeting: MeetingInfo,
        entry: dict[str, Any],
        outcome: MeetingOutcome,
        data: dict[str, Any],
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
        )
        # Already rendered (and escaped) HTML: Markup keeps the next template from escaping it
        # a second time.
        note = Markup(render("weekdate/decided", entry=entry, summary=summary)) if summary else ""
        fresh = await meeting_service.next_item(env.session, meeting)
        return await self._item(env, fresh, note=note)


class MoveForm(Form):
    """``/weekdate verzet``: move (or skip) one occurrence."""

    name = "wdv"
    command = "weekdate verzet"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        if not may_chair(env):
            return Finish(Reply(render("not_allowed")))
        if args and _is_iso(args[0]):
            return self._ask_action({"regular": args[0]})
        # Offer the coming regular slots (including ones already moved, to move them again).
        occurrences = await movable_occurrences(
            env.session, env.clock, env.actor, env.team.weekdate
        )
        buttons = [
            self.button("which", o.regular_date.isoformat(), _label_day(o.date, o.start))
            for o in occurrences
        ]
        buttons.append(self.button("which", STOP, render("weekdate/button_cancel")))
        return Next("which", {}, Reply(render("weekdate/move_which"), keyboard_rows(buttons, 1)))

    def _ask_action(self, data: dict[str, Any]) -> Next:
        buttons = [
            self.button("action", "move", render("weekdate/button_move_other")),
            self.button("action", "skip", render("weekdate/button_move_skip")),
            self.button("action", STOP, render("weekdate/button_cancel")),
        ]
        day = date.fromisoformat(str(data["regular"]))
        return Next("action", data, Reply(render("weekdate/move_action", day=day), [buttons]))

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        if given.choice == STOP:
            return Finish(Reply(render("form_cancelled", had_form=True)))
        data = dict(state.data)
        today = local_today(env.clock)
        if state.step == "which":
            if not given.choice or not _is_iso(given.choice):
                return Invalid(Reply(render("weekdate/use_buttons")))
            data["regular"] = given.choice
            return self._ask_action(data)
        if state.step == "action":
            if given.choice == "skip":
                return await self._save(env, data, OverrideAction.SKIPPED)
            if given.choice == "move":
                return Next("date", data, Reply(render("weekdate/move_date", error="")))
            return Invalid(Reply(render("weekdate/use_buttons")))
        if state.step == "date":
            if given.text is None:
                return Invalid(Reply(render("weekdate/move_date", error=dates.HINT)))
            try:
                new_date = dates.parse_date(
                    given.text,
                    today,
                    prefer="future",
                    earliest=today,
                    latest=today + timedelta(days=120),
                )
            except dates.DateInputError as exc:
                return Invalid(Reply(render("weekdate/move_date", error=str(exc))))
            data["new_date"] = new_date.isoformat()
            return self._ask_time(env, data)
        if state.step == "time":
            raw = given.choice.replace(".", ":") if given.choice else (given.text or "")
            parsed = _parse_clock(raw)
            if parsed is None:
                return Invalid(self._ask_time(env, data, error="bad").reply)
            data["new_time"] = parsed.strftime("%H:%M")
            return await self._save(env, data, OverrideAction.MOVED)
        return Invalid(Reply(render("weekdate/use_buttons")))

    def _ask_time(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Next:
        usual = env.team.weekdate.start.strftime("%H:%M")
        # Callback data may not hold ':', so the button carries 10.00.
        keep = self.button(
            "time", usual.replace(":", "."), render("weekdate/button_keep_time", usual=usual)
        )
        return Next(
            "time", data, Reply(render("weekdate/move_time", error=error, usual=usual), [[keep]])
        )

    async def _save(self, env: FormEnv, data: dict[str, Any], action: OverrideAction) -> StepResult:
        regular = date.fromisoformat(str(data["regular"]))
        new_date = date.fromisoformat(data["new_date"]) if data.get("new_date") else None
        new_time = _parse_clock(str(data["new_time"])) if data.get("new_time") else None
        await set_override(env.session, env.clock, env.actor, regular, action, new_date, new_time)
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
    return f"{WEEKDAYS_NL[day.weekday()]} {dates.format_date(day)} {start.strftime('%H:%M')}"
