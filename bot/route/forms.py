"""``/wensen REF`` (and the card's "Wensen voor werk" button): a client's wishes for work in a
few taps: branches and kinds of place from the team's own lists, hours a week."""

from __future__ import annotations

from typing import Any

from bot.caselog import rules as caselog_rules
from bot.caselog.catalog import Choice, label_of
from bot.caselog.forms.common import Data, Rows, conf, find_client
from bot.caselog.views import button_label
from bot.core.render import render
from bot.core.ui import Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, StepResult
from bot.forms.parsers import pick, typed_text
from bot.forms.steps import DONE, NONE, DirectStepForm, Stay, Step, StepForm
from bot.route import service

TEMPLATE = "route/wishes_prompt"
#: The hours offered as buttons (any whole number in the vacature's range may be typed).
HOUR_BUTTONS = ("8", "16", "24", "32", "36")


async def _ref(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    client = await find_client(env, typed_text(given))
    wishes = await service.wishes_for(env.session, client.id)
    return {
        **data,
        "ref": client.ref,
        "client_id": client.id,
        "branches": list(wishes.branches),
        "hours": wishes.hours_per_week,
        "places": list(wishes.place_kinds),
    }


def _toggle_buttons(step: str, key: str, options: tuple[Choice, ...]) -> Any:
    def rows(form: StepForm, env: FormEnv, data: Data) -> Rows:
        chosen = set(data.get(key, []))
        mark = button_label("chosen")
        made = keyboard_rows(
            [
                form.button(step, c.code, (f"{mark} " if c.code in chosen else "") + c.label)
                for c in options
            ],
            2,
        )
        made.append([form.button(step, DONE, button_label("done"))])
        return made

    return rows


def _toggle(step: str, key: str, which: str) -> Any:
    def parse(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Stay:
        if given.choice == DONE:
            return data
        code = pick(given, getattr(conf(env), which))
        chosen = list(data.get(key, []))
        if code in chosen:
            chosen.remove(code)
        else:
            chosen.append(code)
        return Stay({**data, key: chosen})

    return parse


def _hour_buttons(form: StepForm, env: FormEnv, data: Data) -> Rows:
    rows = keyboard_rows([form.button("hours", h, h) for h in HOUR_BUTTONS], 5)
    rows.append([form.button("hours", NONE, render("route/button_card", name="no_hours"))])
    return rows


def _hours(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data:
    if given.choice == NONE:
        return {**data, "hours": None}
    if given.choice in HOUR_BUTTONS:
        return {**data, "hours": int(given.choice)}
    return {**data, "hours": caselog_rules.check_hours(typed_text(given))}


def _step(name: str, **kwargs: Any) -> Step:
    return Step(name, TEMPLATE, fixed={"step": name}, **kwargs)


class WishesForm(DirectStepForm):
    """A client's wishes for work, used to rank candidates for a vacature."""

    name = "wens"
    command = "wensen"
    step_list = (
        _step("ref", parse=_ref),
        _step(
            "branches",
            parse=_toggle("branches", "branches", "branches"),
            buttons=lambda form, env, data: _toggle_buttons(
                "branches", "branches", conf(env).branches
            )(form, env, data),
        ),
        _step("hours", parse=_hours, buttons=_hour_buttons),
        _step(
            "places",
            parse=_toggle("places", "places", "place_kinds"),
            buttons=lambda form, env, data: _toggle_buttons(
                "places", "places", conf(env).place_kinds
            )(form, env, data),
        ),
    )

    async def save(self, env: FormEnv, data: dict[str, Any]) -> StepResult:
        lists = conf(env)
        await service.set_wishes(
            env.session,
            env.actor,
            client_id=int(data["client_id"]),
            branches=list(data.get("branches", [])),
            hours_per_week=data.get("hours"),
            place_kinds=list(data.get("places", [])),
            now=env.clock.now(),
        )
        return Finish(
            Reply(
                render(
                    "route/wishes_saved",
                    ref=data["ref"],
                    branches=[label_of(lists.branches, b) for b in data.get("branches", [])],
                    hours=data.get("hours"),
                    places=[label_of(lists.place_kinds, k) for k in data.get("places", [])],
                )
            )
        )


WISHES_FORM = WishesForm()
