"""What the access commands show: the team overview with its deactivate buttons, and the
confirmation asked before a colleague is deactivated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.callbacks import Offset, family
from bot.core.paging import Page, page_row
from bot.core.render import render
from bot.core.ui import Button, Reply

#: Deactivation buttons of ``/team``: ``team:<off|offok|keep>:<staff id>``; ``give:<staff
#: id>:<receiver id>`` deactivates a colleague who still carries work, handing it all over.
TEAM_BUTTONS = family(
    "team",
    "collega deactiveren",
    {"off": (int,), "offok": (int,), "keep": (int,), "page": (Offset,), "give": (int, int)},
)


def team_reply(
    member: Any, colleagues: Sequence[Any], deactivatable: Sequence[Any], page: Page
) -> Reply:
    """One page of the team with roles; one deactivate button per colleague the caller may
    deactivate, and "Vorige"/"Meer" when the team does not fit one page."""
    keyboard = [
        [
            Button(
                render("access/button_deactivate", name=c.display_name),
                TEAM_BUTTONS.encode("off", c.staff_id),
            )
        ]
        for c in deactivatable
    ]
    nav = page_row(page, lambda offset: TEAM_BUTTONS.encode("page", offset))
    text = render("access/team", member=member, colleagues=colleagues, page=page)
    return Reply(text, [*keyboard, *([nav] if nav else [])])


def confirm_deactivation(target: Any, staff_id: int) -> Reply:
    """Ask before deactivating ``target``."""
    keyboard = [
        [
            Button(render("access/button_deactivate_yes"), TEAM_BUTTONS.encode("offok", staff_id)),
            Button(render("access/button_keep"), TEAM_BUTTONS.encode("keep", staff_id)),
        ]
    ]
    return Reply(render("access/team_confirm", target=target), keyboard)
