"""The ``/uitnodigen`` form: pick a team and one or more roles with buttons, get a code.

Two declared steps: ``team`` (skipped when the inviter may invite into one team only) and
``roles`` (a multi-select: a tap toggles a role, Klaar creates the invitation via the service).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.access import service as access
from bot.access.rules import invitable_roles, may_manage
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Button, Reply, keyboard_rows
from bot.forms.engine import Finish, FormEnv, FormInput, Invalid, StepResult
from bot.forms.steps import DONE, DirectStepForm, Stay, Step, StepForm

Data = dict[str, Any]


def _problem(code: str) -> str:
    """Why an answer was refused (a line above the prompt)."""
    return render("access/invite_problem", problem=code)


async def _team_options(env: FormEnv) -> list[list[Any]]:
    """The teams the inviter may pick, as JSON-safe ``[id, name]`` pairs."""
    return [[t.id, t.name] for t in await access.invite_choices(env.session, env.actor)]


def _team_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    buttons = [form.button("team", team_id, name) for team_id, name in data.get("teams", [])]
    return keyboard_rows(buttons, 1)


async def _take_team(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Invalid:
    options = await _team_options(env)
    if given.choice not in {str(team_id) for team_id, _ in options}:
        return Invalid(form.prompt(env, "team", {**data, "teams": options}, _problem("team")))
    return {"team_id": int(given.choice), "roles": []}


def _role_buttons(form: StepForm, env: FormEnv, data: Data) -> list[list[Button]]:
    chosen = set(data.get("roles", []))
    buttons = [
        form.button(
            "roles",
            role.value,
            render("access/button_role", role=role, chosen=role.value in chosen),
        )
        for role in invitable_roles(env.actor)
    ]
    rows = keyboard_rows(buttons, 2)
    rows.append(
        [form.button("roles", DONE, render("access/button_done")), form.stop_button("roles")]
    )
    return rows


def _take_role(form: StepForm, env: FormEnv, data: Data, given: FormInput) -> Data | Stay | Invalid:
    roles: list[str] = list(data.get("roles", []))
    if given.choice is None:
        return Invalid(form.prompt(env, "roles", data, _problem("buttons")))
    if given.choice == DONE:
        if not roles:
            return Invalid(form.prompt(env, "roles", data, _problem("no_role")))
        return data  # the last step: the form saves
    if given.choice not in {r.value for r in invitable_roles(env.actor)}:
        return Invalid(form.prompt(env, "roles", data, _problem("role")))
    if given.choice in roles:
        roles.remove(given.choice)
    else:
        roles.append(given.choice)
    return Stay({**data, "roles": roles})


class InviteForm(DirectStepForm):
    """Teamleider or admin invites a colleague."""

    name = "inv"
    command = "uitnodigen"
    step_list = (
        Step(
            "team",
            template="access/invite_team",
            parse=_take_team,
            buttons=_team_buttons,
            skip=lambda data: "team_id" in data,
        ),
        Step(
            "roles",
            template="access/invite_roles",
            parse=_take_role,
            buttons=_role_buttons,
            cancel=False,  # Annuleren sits next to Klaar
        ),
    )

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        if not may_manage(env.actor):
            return Finish(Reply(render("common/not_allowed")))
        options = await _team_options(env)
        if len(options) == 1:
            return await self.go(env, {"team_id": options[0][0], "roles": []}, None)
        return await self.go(env, {"roles": [], "teams": options}, None)

    async def save(self, env: FormEnv, data: Data) -> StepResult:
        created = await access.create_invitation(
            env.session,
            env.actor,
            team_id=int(data["team_id"]),
            roles=[Role(r) for r in data["roles"]],
            now=env.clock.now(),
            valid_for=timedelta(hours=env.config.invitation_hours),
        )
        link = f"https://t.me/{env.bot_username}?start={created.code}"
        expires = created.expires_at.astimezone(env.clock.tz)
        text = render("access/invite_created", invitation=created, link=link, expires=expires)
        # The link is meant to be passed on to the new colleague: no forwarding block.
        return Finish(Reply(text, protect_content=False))
