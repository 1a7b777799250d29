"""The case log's forms: /aanmelding, /vacature, /traject, /succes, /knelpunt, /categorie,
/wijzig, a vacature marked vervuld, and the chat-style "what is this message?" question.

All of them run on the form engine (``bot/forms.py``), so their state is a database row and a
restart mid-form resumes. :class:`StepForm` adds what these forms share: an ordered list of
steps, a summary with Opslaan / Wijzigen / Annuleren, and one way to refuse an answer (the
prompt is shown again with a Dutch reason; the state does not change). Saving happens in one
storage call inside the update's transaction, so a form is saved completely or not at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.caselog import rules as caselog
from bot.caselog.catalog import (
    ENTITLEMENTS,
    LADDER_STEPS,
    VACANCY_SOURCES,
    CaselogConfig,
    Choice,
    label_of,
)
from bot.core.answers import InputProblem
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.forms.parsers import check_ref, pick, problem_text, today, typed_text
from bot.forms.steps import (
    DONE,
    NONE,
    SKIP,
    STOP,
    DirectStepForm,
    Stay,
    StepForm,
)
from storage import caselog as items
from storage import clients, vacancies
from storage import deadlines as deadline_store


def settings(env: FormEnv) -> CaselogConfig:
    """The ``[caselog]`` configuration."""
    return env.config.caselog


async def find_client(env: FormEnv, text: str) -> clients.ClientInfo:
    """The actor's team's client for a typed reference; refuses bad and unknown references."""
    ref = check_ref(env, text)
    client = await clients.get_client_by_ref(env.session, env.actor.team_id, ref)
    if client is None:
        raise InputProblem("ref_unknown", {"ref": ref})
    return client


# --- /aanmelding ------------------------------------------------------------------------------


class IntakeForm(StepForm):
    """A new client after the first conversation; goes on the next weekdate agenda."""

    name = "aanm"
    command = "aanmelding"
    steps = ("ref", "date", "ent", "benefit", "tags", "cat", "note")
    editable = (
        ("date", "Datum"),
        ("ent", "Uitkering"),
        ("tags", "Doelgroepen"),
        ("cat", "Categorie"),
        ("note", "Notitie"),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        return await self.begin_with_ref(env, args, tags=[])

    def skip(self, step: str, data: dict[str, Any]) -> bool:
        # The benefit start date only matters when there is a right to a benefit.
        return super().skip(step, data) or (step == "benefit" and data.get("ent") != "ja")

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        conf = settings(env)
        buttons: list[list[Button]] = []
        if step == "date":
            buttons = [
                [self.button(step, "vandaag", "Vandaag"), self.button(step, "gisteren", "Gisteren")]
            ]
        elif step == "ent":
            buttons = keyboard_rows([self.button(step, c.code, c.label) for c in ENTITLEMENTS], 2)
        elif step == "benefit":
            buttons = [[self.button(step, SKIP, "Weet ik nog niet")]]
        elif step == "tags":
            chosen = set(data.get("tags", []))
            buttons = keyboard_rows(
                [
                    self.button(step, c.code, ("✓ " if c.code in chosen else "") + c.label)
                    for c in conf.tags
                ],
                2,
            )
            buttons.append([self.button(step, DONE, "Klaar")])
        elif step == "cat":
            options = [self.button(step, c.code, c.label) for c in conf.categories]
            options.append(self.button(step, NONE, "Weet ik nog niet"))
            buttons = keyboard_rows(options, 3)
        elif step == "note":
            buttons = [[self.button(step, SKIP, "Geen notitie")]]
        buttons.append([self.stop_button(step)])
        return Reply(
            render("intake_prompt", step=step, data=data, error=error, tags=conf.tags), buttons
        )

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        conf = settings(env)
        if step == "ref":
            ref = check_ref(env, typed_text(given))
            existing = await clients.get_client_by_ref(env.session, env.actor.team_id, ref)
            if existing is not None and existing.status in clients.ACTIVE_STATUSES:
                raise InputProblem("ref_active", {"ref": ref})
            return {**data, "ref": ref, "herinstroom": existing is not None}
        if step == "date":
            text = given.choice if given.choice in ("vandaag", "gisteren") else typed_text(given)
            day = caselog.check_first_conversation(text, today(env))
            return {**data, "date": day.isoformat()}
        if step == "ent":
            ent = pick(given, ENTITLEMENTS)
            if ent != "ja":
                return {**data, "ent": ent, "benefit": None}
            if data.get("editing"):
                # Changed to "ja" from the summary: ask the start date before going back.
                changed = {**data, "ent": ent}
                return Next("benefit", changed, self.prompt(env, "benefit", changed))
            return {**data, "ent": ent}
        if step == "benefit":
            if given.choice == SKIP:
                return {**data, "benefit": None}
            start = caselog.check_benefit_start(typed_text(given), today(env))
            return {**data, "benefit": start.isoformat()}
        if step == "tags":
            if given.choice == DONE:
                return data
            code = pick(given, conf.tags)
            tags = list(data.get("tags", []))
            if code in tags:
                tags.remove(code)
            else:
                tags.append(code)
            return Stay({**data, "tags": tags})
        if step == "cat":
            if given.choice == NONE:
                return {**data, "cat": None}
            return {**data, "cat": pick(given, conf.categories)}
        if step == "note":
            if given.choice == SKIP:
                return {**data, "note": None}
            return {**data, "note": caselog.check_note(typed_text(given))}
        raise InputProblem("use_buttons")

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        return self.summary_reply(render("intake_summary", **self._view(env, data), error=error))

    def _view(self, env: FormEnv, data: dict[str, Any]) -> dict[str, Any]:
        conf = settings(env)
        return {
            "ref": data["ref"],
            "herinstroom": data.get("herinstroom", False),
            "day": date.fromisoformat(data["date"]),
            "entitlement": label_of(ENTITLEMENTS, data.get("ent")),
            "benefit": date.fromisoformat(data["benefit"]) if data.get("benefit") else None,
            "tags": [label_of(conf.tags, t) for t in data.get("tags", [])],
            "category": label_of(conf.categories, data.get("cat")) if data.get("cat") else None,
            "note": data.get("note"),
        }

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        try:
            saved = await clients.register_intake(
                env.session,
                team_id=env.actor.team_id,
                ref=data["ref"],
                author_staff_id=env.actor.staff_id,
                first_conversation=date.fromisoformat(data["date"]),
                entitlement=data["ent"],
                benefit_start=date.fromisoformat(data["benefit"]) if data.get("benefit") else None,
                tags=list(data.get("tags", [])),
                proposed_category=data.get("cat"),
                note=data.get("note"),
                now=env.clock.now(),
            )
        except clients.ClientAlreadyActive:
            return Finish(Reply(problem_text(InputProblem("ref_active", {"ref": data["ref"]}))))
        view = self._view(env, data) | {"herinstroom": saved.herinstroom}
        return Finish(Reply(render("intake_saved", **view)))


# --- /vacature ---------------------------------------------------------------------------------


class VacancyForm(StepForm):
    """A vacature from an employer or the WSP."""

    name = "vac"
    command = "vacature"
    steps = ("emp", "func", "branche", "hours", "place", "ladder", "closing", "source", "contact")
    editable = (
        ("emp", "Werkgever"),
        ("func", "Functie"),
        ("branche", "Branche"),
        ("hours", "Uren"),
        ("place", "Soort plek"),
        ("ladder", "Trede"),
        ("closing", "Sluitingsdatum"),
        ("source", "Bron"),
        ("contact", "Contact"),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        return await self.go(env, {}, None)

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        conf = settings(env)
        buttons: list[list[Button]] = []
        if step == "branche":
            buttons = keyboard_rows([self.button(step, c.code, c.label) for c in conf.branches], 2)
        elif step == "place":
            buttons = keyboard_rows(
                [self.button(step, c.code, c.label) for c in conf.place_kinds], 2
            )
        elif step == "ladder":
            buttons = keyboard_rows([self.button(step, c.code, c.code) for c in LADDER_STEPS], 6)
        elif step == "closing":
            buttons = [[self.button(step, SKIP, "Geen sluitingsdatum")]]
        elif step == "source":
            buttons = [[self.button(step, c.code, c.label) for c in VACANCY_SOURCES]]
        elif step == "contact":
            buttons = [[self.button(step, SKIP, "Geen")]]
        buttons.append([self.stop_button(step)])
        return Reply(render("vacancy_prompt", step=step, error=error, ladder=LADDER_STEPS), buttons)

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        conf = settings(env)
        if step == "emp":
            return {**data, "emp": caselog.check_short(typed_text(given), "werkgever")}
        if step == "func":
            return {**data, "func": caselog.check_short(typed_text(given), "functie")}
        if step == "branche":
            return {**data, "branche": pick(given, conf.branches)}
        if step == "hours":
            return {**data, "hours": caselog.check_hours(typed_text(given))}
        if step == "place":
            return {**data, "place": pick(given, conf.place_kinds)}
        if step == "ladder":
            text = given.choice if given.choice is not None else typed_text(given)
            return {**data, "ladder": caselog.check_ladder(text)}
        if step == "closing":
            if given.choice == SKIP:
                return {**data, "closing": None}
            closing = caselog.check_closing_date(typed_text(given), today(env))
            return {**data, "closing": closing.isoformat()}
        if step == "source":
            return {**data, "source": pick(given, VACANCY_SOURCES)}
        if step == "contact":
            if given.choice == SKIP:
                return {**data, "contact": None}
            return {**data, "contact": caselog.check_note(typed_text(given))}
        raise InputProblem("use_buttons")

    def _view(self, env: FormEnv, data: dict[str, Any]) -> dict[str, Any]:
        conf = settings(env)
        return {
            "employer": data["emp"],
            "function": data["func"],
            "branche": label_of(conf.branches, data.get("branche")),
            "hours": data["hours"],
            "place": label_of(conf.place_kinds, data.get("place")),
            "ladder": data["ladder"],
            "closing": date.fromisoformat(data["closing"]) if data.get("closing") else None,
            "source": label_of(VACANCY_SOURCES, data.get("source")),
            "contact": data.get("contact"),
        }

    def summary(self, env: FormEnv, data: dict[str, Any], error: str = "") -> Reply:
        return self.summary_reply(render("vacancy_summary", **self._view(env, data), error=error))

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        closing = date.fromisoformat(data["closing"]) if data.get("closing") else None
        if closing is not None and caselog.is_expired(closing, today(env)):
            # The form stayed open past midnight and the closing date is now in the past.
            return Next(
                "closing",
                data,
                self.prompt(env, "closing", data, problem_text(InputProblem("closing_passed"))),
            )
        saved = await vacancies.add_vacancy(
            env.session,
            team_id=env.actor.team_id,
            author_staff_id=env.actor.staff_id,
            employer=data["emp"],
            function=data["func"],
            branche=data.get("branche"),
            hours_per_week=data["hours"],
            place_kind=data["place"],
            ladder_step=data["ladder"],
            closing_date=closing,
            source=data.get("source"),
            contact_note=data.get("contact"),
            now=env.clock.now(),
        )
        return Finish(Reply(render("vacancy_saved", id=saved.id, **self._view(env, data))))


# --- /traject and the chat-style question -----------------------------------------------------


class TrajectoryForm(DirectStepForm):
    """A traject about to start: instrument, start date, optional end date. No summary."""

    name = "traj"
    command = "traject"
    steps = ("ref", "instr", "start", "end")

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        buttons: list[list[Button]] = []
        if step == "instr":
            buttons = keyboard_rows(
                [self.button(step, c.code, c.label) for c in settings(env).instruments], 2
            )
        elif step == "start":
            buttons = [
                [
                    self.button(step, "vandaag", "Vandaag"),
                    self.button(step, "maandag", "Komende maandag"),
                ]
            ]
        elif step == "end":
            buttons = [[self.button(step, SKIP, "Geen einddatum")]]
        buttons.append([self.stop_button(step)])
        return Reply(render("trajectory_prompt", step=step, data=data, error=error), buttons)

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        if step == "ref":
            client = await find_client(env, typed_text(given))
            return {**data, "ref": client.ref, "client_id": client.id}
        if step == "instr":
            return {**data, "instr": pick(given, settings(env).instruments)}
        if step == "start":
            if given.choice == "vandaag":
                start = today(env)
            elif given.choice == "maandag":
                start = today(env) + timedelta(days=7 - today(env).weekday())
            else:
                start = caselog.check_trajectory_start(typed_text(given), today(env))
            return {**data, "start": start.isoformat()}
        if step == "end":
            if given.choice == SKIP:
                return {**data, "end": None}
            start = date.fromisoformat(data["start"])
            end = caselog.check_trajectory_end(typed_text(given), start, today(env))
            return {**data, "end": end.isoformat()}
        raise InputProblem("use_buttons")

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        saved = await items.add_item(
            env.session,
            team_id=env.actor.team_id,
            client_id=int(data["client_id"]),
            author_staff_id=env.actor.staff_id,
            kind="trajectory",
            text=data.get("text"),
            data={"instrument": data["instr"], "start": data["start"], "end": data.get("end")},
            now=env.clock.now(),
        )
        if data.get("end"):
            # A traject with an end date gets its deadline (issue 5), owned by the client's owner.
            client = await clients.get_client(env.session, int(data["client_id"]))
            await deadline_store.deadline_for_trajectory(
                env.session,
                team_id=env.actor.team_id,
                case_item_id=saved.id,
                client_id=int(data["client_id"]),
                start=date.fromisoformat(data["start"]),
                end=date.fromisoformat(data["end"]),
                owner_staff_id=(client.owner_staff_id if client else None) or env.actor.staff_id,
                now=env.clock.now(),
                title=label_of(settings(env).instruments, data["instr"])[:200],
            )
        return Finish(
            Reply(
                render(
                    "item_saved",
                    item=saved,
                    instrument=label_of(settings(env).instruments, data["instr"]),
                    start=date.fromisoformat(data["start"]),
                    end=date.fromisoformat(data["end"]) if data.get("end") else None,
                )
            )
        )


class ChatStyleForm(TrajectoryForm):
    """Plain text naming a client: "C-10234 heeft een contract bij de bakker!" → what is it?"""

    name = "chat"
    command = "traject"
    steps = ("kind", "instr", "start", "end")

    KINDS = (
        Choice("success", "Succes"),
        Choice("bottleneck", "Knelpunt"),
        Choice("trajectory", "Traject"),
        Choice("note", "Notitie"),
        Choice(NONE, "Niets"),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """``args``: the recognised reference and the whole message text."""
        ref, text = args
        client = await clients.get_client_by_ref(env.session, env.actor.team_id, ref)
        if client is None:
            return Finish(Reply(problem_text(InputProblem("ref_unknown", {"ref": ref}))))
        try:
            note = caselog.check_note(text)
        except InputProblem as problem:
            return Finish(Reply(problem_text(problem)))
        return await self.go(env, {"ref": client.ref, "client_id": client.id, "text": note}, None)

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        if step != "kind":
            return super().prompt(env, step, data, error)
        buttons = [self.button(step, c.code, c.label) for c in self.KINDS]
        return Reply(
            render("chat_style_prompt", ref=data["ref"], error=error), keyboard_rows(buttons, 3)
        )

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        if step != "kind":
            return await super().take(env, step, data, given)
        kind = pick(given, self.KINDS)
        if kind == NONE:
            return Finish(Reply(render("chat_style_nothing")))
        if kind == "trajectory":
            return {**data, "kind": kind}
        saved = await items.add_item(
            env.session,
            team_id=env.actor.team_id,
            client_id=int(data["client_id"]),
            author_staff_id=env.actor.staff_id,
            kind=kind,
            text=data["text"],
            now=env.clock.now(),
        )
        return Finish(Reply(render("item_saved", item=saved)))


# --- /succes and /knelpunt ---------------------------------------------------------------------


class QuickUpdateForm(DirectStepForm):
    """``/succes REF [tekst]`` or ``/knelpunt REF [tekst]``: saved at once when all is given."""

    steps = ("ref", "text")

    def __init__(self, name: str, command: str, kind: str) -> None:
        self.name = name
        self.command = command
        self.kind = kind

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        """``args``: optionally the reference, then optionally the text (one string)."""
        data: dict[str, Any] = {}
        text_error = ""
        if len(args) > 1:
            try:
                data["text"] = caselog.check_note(args[1])
            except InputProblem as problem:
                text_error = problem_text(problem)
        result = await self.begin_with_ref(env, args[:1], **data)
        if text_error and isinstance(result, Next) and result.step == "text":
            return Next("text", result.data, self.prompt(env, "text", result.data, text_error))
        return result

    def skip(self, step: str, data: dict[str, Any]) -> bool:
        return step in data

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        buttons: list[list[Button]] = []
        if step == "text":
            buttons = [[self.button(step, SKIP, "Opslaan zonder tekst")]]
        buttons.append([self.stop_button(step)])
        return Reply(
            render("quick_prompt", step=step, kind=self.kind, data=data, error=error), buttons
        )

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        if step == "ref":
            client = await find_client(env, typed_text(given))
            return {**data, "ref": client.ref, "client_id": client.id}
        if step == "text":
            if given.choice == SKIP:
                return {**data, "text": None}
            return {**data, "text": caselog.check_note(typed_text(given))}
        raise InputProblem("use_buttons")

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        saved = await items.add_item(
            env.session,
            team_id=env.actor.team_id,
            client_id=int(data["client_id"]),
            author_staff_id=env.actor.staff_id,
            kind=self.kind,
            text=data.get("text"),
            now=env.clock.now(),
        )
        return Finish(Reply(render("item_saved", item=saved)))


# --- /categorie ------------------------------------------------------------------------------


class CategoryForm(DirectStepForm):
    """Change a client's category outside the weekdate, with a reason (kept in the history)."""

    name = "cat"
    command = "categorie"
    steps = ("ref", "cat", "sub", "reason")

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        conf = settings(env)
        buttons: list[list[Button]] = []
        if step == "cat":
            buttons = keyboard_rows(
                [self.button(step, c.code, c.label) for c in conf.categories], 3
            )
        elif step == "sub":
            buttons = keyboard_rows(
                [self.button(step, c.code, c.label) for c in conf.subcategories], 1
            )
        buttons.append([self.stop_button(step)])
        current = {
            "category": label_of(conf.categories, data["current_cat"])
            if data.get("current_cat")
            else "nog geen categorie",
            "subcategory": label_of(conf.subcategories, data.get("current_sub")),
        }
        return Reply(
            render("category_prompt", step=step, data=data, current=current, error=error), buttons
        )

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        conf = settings(env)
        if step == "ref":
            client = await find_client(env, typed_text(given))
            return {
                **data,
                "ref": client.ref,
                "client_id": client.id,
                "current_cat": client.category,
                "current_sub": client.subcategory,
            }
        if step == "cat":
            return {**data, "cat": pick(given, conf.categories)}
        if step == "sub":
            return {**data, "sub": pick(given, conf.subcategories)}
        if step == "reason":
            return {**data, "reason": caselog.check_note(typed_text(given))}
        raise InputProblem("use_buttons")

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        conf = settings(env)
        await clients.change_category(
            env.session,
            int(data["client_id"]),
            category=data["cat"],
            subcategory=data["sub"],
            actor_staff_id=env.actor.staff_id,
            reason=data["reason"],
            now=env.clock.now(),
        )
        return Finish(
            Reply(
                render(
                    "category_saved",
                    ref=data["ref"],
                    category=label_of(conf.categories, data["cat"]),
                    subcategory=label_of(conf.subcategories, data["sub"]),
                    old=label_of(conf.categories, data.get("current_cat")),
                    reason=data["reason"],
                )
            )
        )


# --- /wijzig ---------------------------------------------------------------------------------


class EditItemForm(DirectStepForm):
    """Change the text of one of one's own recent items."""

    name = "wijz"
    command = "wijzig"
    steps = ("item", "text")

    def since(self, env: FormEnv) -> Any:
        return env.clock.now() - timedelta(days=settings(env).edit_days)

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        recent = await items.own_recent_items(env.session, env.actor.staff_id, self.since(env))
        if not recent:
            return Finish(Reply(render("edit_nothing", days=settings(env).edit_days)))
        return Next("item", {"ids": [i.id for i in recent]}, await self._pick(env, recent))

    async def _pick(
        self, env: FormEnv, recent: list[items.ItemInfo] | None = None, error: str = ""
    ) -> Reply:
        if recent is None:
            recent = await items.own_recent_items(env.session, env.actor.staff_id, self.since(env))
        buttons = [
            self.button(
                "item",
                item.id,
                f"{render('item_kind', kind=item.kind)} {item.client_ref or ''} "
                f"{item.created_at.astimezone(env.clock.tz):%d-%m}",
            )
            for item in recent
        ]
        rows = keyboard_rows(buttons, 1)
        rows.append([self.stop_button("item")])
        return Reply(render("edit_pick", items=recent, tz=env.clock.tz, error=error), rows)

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        return Reply(
            render("edit_text", data=data, error=error),
            [[self.button(step, SKIP, "Tekst weghalen"), self.stop_button(step)]],
        )

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        if state.step == "item" and given.choice != STOP:
            allowed = {str(i) for i in state.data.get("ids", [])}
            if given.choice not in allowed:
                return Invalid(
                    await self._pick(env, error=problem_text(InputProblem("use_buttons")))
                )
            item = await items.get_item(env.session, int(given.choice))
            if item is None:
                return Finish(Reply(render("edit_gone")))
            data = {"item_id": item.id, "kind": item.kind, "ref": item.client_ref, "old": item.text}
            return Next("text", data, self.prompt(env, "text", data))
        return await super().advance(env, state, given)

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        if given.choice == SKIP:
            return {**data, "text": None}
        return {**data, "text": caselog.check_note(typed_text(given))}

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        saved = await items.set_item_text(
            env.session,
            int(data["item_id"]),
            author_staff_id=env.actor.staff_id,
            since=self.since(env),
            text=data.get("text"),
        )
        if saved is None:
            return Finish(Reply(render("edit_gone")))
        return Finish(Reply(render("edit_saved", item=saved)))


# --- a vacature vervuld -----------------------------------------------------------------------


class FillVacancyForm(DirectStepForm):
    """Mark a vacature vervuld, optionally with the client placed (a success, exit candidate)."""

    name = "vvul"
    command = "vacatures"
    steps = ("ref",)

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        vacancy = await vacancies.get_vacancy(env.session, int(args[0])) if args else None
        if vacancy is None or vacancy.team_id != env.actor.team_id or vacancy.status != "open":
            return Finish(Reply(render("vacancy_not_open")))
        data = {"vid": vacancy.id, "employer": vacancy.employer, "function": vacancy.function}
        return Next("ref", data, self.prompt(env, "ref", data))

    def skip(self, step: str, data: dict[str, Any]) -> bool:
        return False

    def prompt(self, env: FormEnv, step: str, data: dict[str, Any], error: str = "") -> Reply:
        return Reply(
            render("vacancy_fill_prompt", data=data, error=error),
            [[self.button(step, SKIP, "Zonder cliënt"), self.stop_button(step)]],
        )

    async def take(
        self, env: FormEnv, step: str, data: dict[str, Any], given: FormInput
    ) -> dict[str, Any] | Stay | StepResult:
        if given.choice == SKIP:
            return {**data, "client_id": None, "ref": None}
        client = await find_client(env, typed_text(given))
        return {**data, "client_id": client.id, "ref": client.ref}

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        now = env.clock.now()
        client_id = data.get("client_id")
        filled = await vacancies.mark_filled(
            env.session, int(data["vid"]), team_id=env.actor.team_id, client_id=client_id, now=now
        )
        if filled is None:
            return Finish(Reply(render("vacancy_not_open")))
        if client_id is not None:
            await items.add_item(
                env.session,
                team_id=env.actor.team_id,
                client_id=int(client_id),
                author_staff_id=env.actor.staff_id,
                kind="success",
                text=f"Geplaatst: {filled.function} bij {filled.employer}"[: caselog.NOTE_MAX],
                data={"vacancy_id": filled.id, "exit_candidate": True},
                now=now,
            )
        return Finish(Reply(render("vacancy_filled", vacancy=filled)))
