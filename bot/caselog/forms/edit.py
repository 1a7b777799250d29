"""``/wijzig``: change the text of one of one's own recent items, or delete it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.caselog import rules, service
from bot.caselog.forms.common import Data, Rows, conf
from bot.caselog.rules import kind_label
from bot.caselog.views import button_label
from bot.core.answers import InputProblem
from bot.core.dates import format_day_month
from bot.core.render import render
from bot.core.ui import Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.forms.parsers import problem_text, typed_text
from bot.forms.steps import SKIP, STOP, DirectStepForm, Step, StepForm, Taken
from bot.route import people_service
from bot.route.people_rules import DeleteRefusal

#: The button that asks to delete the item instead, and the one that confirms it.
DELETE, CONFIRM = "del", "yes"


def _text(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    if given.choice == SKIP:
        return {**data, "text": None}
    if given.choice == DELETE:
        return Next(DELETE, data, form.prompt(env, DELETE, data))
    return {**data, "text": rules.check_note(typed_text(given))}


def _text_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    return [
        [
            form.button("text", SKIP, button_label("remove_text")),
            form.button("text", DELETE, render("route/people_button", name="delete")),
            form.stop_button("text"),
        ]
    ]


async def _delete(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Taken:
    if given.choice != CONFIRM:
        raise InputProblem("use_buttons")
    edit_days = conf(env).edit_days
    deleted = await people_service.delete_own_item(
        env.session,
        env.actor,
        int(data["item_id"]),
        since=service.edit_since(env.clock.now(), edit_days),
        now=env.clock.now(),
    )
    if isinstance(deleted, DeleteRefusal):
        return Finish(Reply(render("route/people_delete_refused", refusal=deleted.value)))
    return Finish(Reply(render("route/people_deleted", item=deleted, kind_label=kind_label)))


class EditItemForm(DirectStepForm):
    """Change the text of one of one's own recent items."""

    name = "wijz"
    command = "wijzig"
    #: The first step (which item?) reads the database, so it is written out below.
    steps = ("item", "text", DELETE)
    step_list = (
        Step(
            "text",
            "caselog/edit_text",
            parse=_text,
            buttons=_text_buttons,
            cancel=False,
            fixed={"kind_label": kind_label},
        ),
        # Reached only from the Verwijderen button of the text step, never in order.
        Step(
            DELETE,
            "route/people_delete_confirm",
            parse=_delete,
            buttons=lambda form, env, data: [
                [form.button(DELETE, CONFIRM, render("route/people_button", name="delete_yes"))]
            ],
            skip=lambda data: True,
            fixed={"kind_label": kind_label},
        ),
    )

    def since(self, env: FormEnv) -> datetime:
        return service.edit_since(env.clock.now(), conf(env).edit_days)

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        recent = await service.own_recent_items(env.session, env.actor, self.since(env))
        if not recent:
            return Finish(Reply(render("caselog/edit_nothing", days=conf(env).edit_days)))
        return Next("item", {"ids": [i.id for i in recent]}, await self._pick(env, recent))

    async def _pick(
        self, env: FormEnv, recent: list[service.ItemInfo] | None = None, error: str = ""
    ) -> Reply:
        if recent is None:
            recent = await service.own_recent_items(env.session, env.actor, self.since(env))
        buttons = [
            self.button(
                "item",
                item.id,
                f"{kind_label(item.kind)} {item.client_ref or ''} "
                f"{format_day_month(item.created_at.astimezone(env.clock.tz))}",
            )
            for item in recent
        ]
        rows = keyboard_rows(buttons, 1)
        rows.append([self.stop_button("item")])
        text = render(
            "caselog/edit_pick", items=recent, tz=env.clock.tz, error=error, kind_label=kind_label
        )
        return Reply(text, rows)

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        if state.step == "item" and given.choice != STOP:
            allowed = {str(i) for i in state.data.get("ids", [])}
            if given.choice not in allowed:
                return Invalid(
                    await self._pick(env, error=problem_text(InputProblem("use_buttons")))
                )
            item = await service.get_item(env.session, int(given.choice))
            if item is None:
                return Finish(Reply(render("caselog/edit_gone")))
            data = {"item_id": item.id, "kind": item.kind, "ref": item.client_ref, "old": item.text}
            return Next("text", data, self.prompt(env, "text", data))
        return await super().advance(env, state, given)

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        saved = await service.edit_item_text(
            env.session,
            env.actor,
            int(data["item_id"]),
            since=self.since(env),
            text=data.get("text"),
        )
        if saved is None:
            return Finish(Reply(render("caselog/edit_gone")))
        return Finish(Reply(render("caselog/edit_saved", item=saved, kind_label=kind_label)))
