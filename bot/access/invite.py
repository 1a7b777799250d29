"""The ``/uitnodigen`` form: pick a team and one or more roles with buttons, get a code."""

from __future__ import annotations

from datetime import timedelta

from bot.access import service as access
from bot.access.rules import invitable_roles, may_manage
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Reply, keyboard_rows
from bot.forms.engine import Finish, Form, FormEnv, FormInput, FormState, Invalid, Next, StepResult
from bot.forms.steps import DONE, STOP


def _problem(code: str) -> str:
    """Why an answer was refused (a line above the prompt)."""
    return render("access/invite_problem", problem=code)


class InviteForm(Form):
    """Teamleider or admin invites a colleague."""

    name = "inv"
    command = "uitnodigen"

    async def begin(self, env: FormEnv, args: list[str]) -> StepResult:
        if not may_manage(env.actor):
            return Finish(Reply(render("common/not_allowed")))
        options = await access.invite_choices(env.session, env.actor)
        if len(options) == 1:
            return self._ask_roles(env, options[0].id, [])
        return Next("team", {"roles": []}, await self._team_prompt(env))

    async def _team_prompt(self, env: FormEnv, error: str = "") -> Reply:
        options = await access.invite_choices(env.session, env.actor)
        buttons = [self.button("team", t.id, t.name) for t in options]
        buttons.append(self.button("team", STOP, render("forms/button_cancel")))
        return Reply(render("access/invite_team", error=error), keyboard_rows(buttons, 1))

    def _ask_roles(self, env: FormEnv, team_id: int, roles: list[str], error: str = "") -> Next:
        data = {"team_id": team_id, "roles": roles}
        chosen = set(roles)
        buttons = [
            self.button(
                "roles",
                role.value,
                render("access/button_role", role=role, chosen=role.value in chosen),
            )
            for role in invitable_roles(env.actor)
        ]
        rows = keyboard_rows(buttons, 2)
        rows.append(
            [
                self.button("roles", DONE, render("access/button_done")),
                self.button("roles", STOP, render("forms/button_cancel")),
            ]
        )
        return Next("roles", data, Reply(render("access/invite_roles", error=error), rows))

    async def advance(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        if given.choice == STOP:
            return Finish(Reply(render("forms/form_cancelled", had_form=True)))
        if state.step == "team":
            allowed = {str(t.id): t for t in await access.invite_choices(env.session, env.actor)}
            if given.choice not in allowed:
                return Invalid(await self._team_prompt(env, error=_problem("team")))
            return self._ask_roles(env, allowed[given.choice].id, [])
        return await self._roles(env, state, given)

    async def _roles(self, env: FormEnv, state: FormState, given: FormInput) -> StepResult:
        team_id = int(state.data["team_id"])
        roles: list[str] = list(state.data.get("roles", []))
        if given.choice is None:
            return Invalid(self._ask_roles(env, team_id, roles, _problem("buttons")).reply)
        if given.choice == DONE:
            if not roles:
                return Invalid(self._ask_roles(env, team_id, roles, _problem("no_role")).reply)
            created = await access.create_invitation(
                env.session,
                env.actor,
                team_id=team_id,
                roles=[Role(r) for r in roles],
                now=env.clock.now(),
                valid_for=timedelta(hours=env.config.invitation_hours),
            )
            link = f"https://t.me/{env.bot_username}?start={created.code}"
            return Finish(
                Reply(
                    render(
                        "access/invite_created",
                        invitation=created,
                        link=link,
                        expires=created.expires_at.astimezone(env.clock.tz),
                    )
                )
            )
        valid = {r.value for r in invitable_roles(env.actor)}
        if given.choice not in valid:
            return Invalid(self._ask_roles(env, team_id, roles, _problem("role")).reply)
        if given.choice in roles:
            roles.remove(given.choice)
        else:
            roles.append(given.choice)
        return self._ask_roles(env, team_id, roles)
