"""What the people side of the route shows outside its forms: the question who takes over the
work of a colleague being deactivated, and what happened after."""

from __future__ import annotations

from bot.access.views import TEAM_BUTTONS
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.route.people_service import AskReceiver, Deactivated


def ask_receiver_reply(ask: AskReceiver) -> Reply:
    """Who gets the clients and open deadlines: one button per colleague who may, and
    "Niet deactiveren"."""
    target = ask.target.staff_id
    buttons = [
        Button(
            render("route/people_button", name="give", who=name),
            TEAM_BUTTONS.encode("give", target, staff_id),
        )
        for staff_id, name in ask.candidates
    ]
    keep = Button(render("route/people_button", name="keep"), TEAM_BUTTONS.encode("keep", target))
    text = render(
        "route/people_work_ask",
        target=ask.target,
        clients=ask.clients,
        deadlines=ask.deadlines,
        candidates=ask.candidates,
        refusal=ask.refusal.value if ask.refusal else None,
    )
    return Reply(text, [*keyboard_rows(buttons, 2), [keep]])


def deactivated_reply(done: Deactivated) -> Reply:
    """The outcome of a deactivation, with who took over the work when some moved."""
    text = render("access/team_deactivated", outcome=done.outcome, target=done.target)
    if done.receiver_name is not None:
        moved = render(
            "route/people_work_moved",
            receiver=done.receiver_name,
            clients=done.clients,
            deadlines=done.deadlines,
        )
        text = f"{text}\n{moved}"
    return Reply(text)
