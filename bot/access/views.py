"""What the access commands show: the team overview with its deactivate buttons, and the
confirmation asked before a colleague is deactivated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.callbacks import family
from bot.core.render import render
from bot.core.ui import Button, Reply

#: Deactivation buttons of ``/team``: ``team:<off|offok|keep>:<staff id>``.
TEAM_BUTTONS = family(
    "team", "collega deactiveren", {"off": (int,), "offok": (int,), "keep": (int,)}
)


def team_reply(member: Any, colleagues: Sequence[Any], deactivatable: Sequence[Any]) -> Reply:
    """The team with roles; one deactivate button per colleague the caller may deactivate."""
    keyboard = [
        [
            Button(
                render("access/button_deactivate", name=c.display_name),
                TEAM_BUTTONS.encode("off", c.staff_id),
            )
        ]
        for c in deactivatable
    ]
    return Reply(render("access/team", member=member, colleagues=colleagues), keyboard)


def confirm_deactivation(target: Any, staff_id: int) -> Reply:
    """Ask before deactivating ``target``."""
    keyboard = [
        [
            Button(render("access/button_deactivate_yes"), TEAM_BUTTONS.encode("offok", staff_id)),
            Button(render("access/button_keep"), TEAM_BUTTONS.encode("keep", staff_id)),
        ]
    ]
    return Reply(render("access/team_confirm", target=target), keyboard)
