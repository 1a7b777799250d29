"""Deadlines as the user sees them: the digest, ``/termijnen``, the item card and short texts.

Plain values only (:class:`~bot.core.ui.Reply`, :class:`~bot.core.ui.Button`); the way out to
Telegram is :mod:`bot.outbound`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.callbacks import Offset, family
from bot.core.paging import Page, page_row
from bot.core.render import render
from bot.core.ui import Button, Reply, keyboard_rows
from bot.deadlines.rules import DigestItem, DigestView, termijnen_view

#: Callback namespace of deadline buttons: ``ddl:<action>:<deadline id>[:…]``.
DEADLINE_BUTTONS = family(
    "ddl",
    "termijnen",
    {
        "open": (int,),
        "done": (int,),
        "post": (int,),
        "nvt": (int,),
        "hand": (int,),
        "give": (int, int),
        "keep": (int,),
        "page": (Offset,),
        # After a participation contact (the argument is the contact's id, not a deadline's).
        "refer": (int,),
        "norefer": (int,),
    },
)
#: At most this many item buttons per digest (Telegram allows 100 per message).
MAX_BUTTONS = 60


def msg(key: str, **variables: Any) -> str:
    """A short deadline text from ``deadlines/msg.j2``."""
    variables.setdefault("error", "")
    return render("deadlines/msg", key=key, **variables)


def label(key: str, **variables: Any) -> str:
    """A button label from ``deadlines/button.j2``."""
    return render("deadlines/button", key=key, **variables)


def code_label(kind: str, code: str) -> str:
    """How a stored code of the deadline forms is called (``deadlines/label.j2``): ``kind`` is
    scope, reason, contact, outcome or review. Plain text, escaped where it is shown."""
    return render("deadlines/label", kind=kind, code=str(code))


def _numbered(deadline_ids: list[int], start: int = 1) -> list[list[Button]]:
    buttons = [
        Button(str(n), DEADLINE_BUTTONS.encode("open", deadline_id))
        for n, deadline_id in enumerate(deadline_ids[:MAX_BUTTONS], start=start)
    ]
    return keyboard_rows(buttons, 6)


def render_digest(view: DigestView, name: str) -> Reply:
    """The digest text and one numbered button per item (a tap opens the item's card)."""
    text = render("deadlines/digest", view=view, name=name, max_buttons=MAX_BUTTONS)
    return Reply(text, _numbered(view.deadline_ids))


def termijnen_reply(today: date, items: list[DigestItem], *, team: str, page: Page) -> Reply:
    """One page of ``/termijnen``: overdue first, one numbered button per item (numbers go on
    across pages), and "Vorige"/"Meer" when there are more."""
    view = termijnen_view(today, items)
    ordered = [*view.overdue, *view.upcoming]
    text = render(
        "deadlines/list",
        view=view,
        today=today,
        total=page.total,
        page=page,
        team=team,
        max_buttons=MAX_BUTTONS,
    )
    buttons = _numbered([item.deadline_id for item in ordered], start=page.first_number)
    nav = page_row(page, lambda offset: DEADLINE_BUTTONS.encode("page", offset))
    return Reply(text, [*buttons, *([nav] if nav else [])])


def card_keyboard(deadline_id: int) -> list[list[Button]]:
    """Gedaan, Uitstellen, Niet van toepassing, Overdragen."""
    return [
        [
            Button(label("done"), DEADLINE_BUTTONS.encode("done", deadline_id)),
            Button(label("postpone"), DEADLINE_BUTTONS.encode("post", deadline_id)),
        ],
        [
            Button(label("not_applicable"), DEADLINE_BUTTONS.encode("nvt", deadline_id)),
            Button(label("hand_over"), DEADLINE_BUTTONS.encode("hand", deadline_id)),
        ],
    ]


def colleague_keyboard(deadline_id: int, people: list[tuple[int, str]]) -> list[list[Button]]:
    """One button per colleague to hand a deadline to."""
    buttons = [
        Button(name, DEADLINE_BUTTONS.encode("give", deadline_id, sid)) for sid, name in people
    ]
    cancel = Button(label("cancel"), DEADLINE_BUTTONS.encode("keep", deadline_id))
    return [*keyboard_rows(buttons, 2), [cancel]]


def referral_keyboard(contact_id: int, partner: str) -> list[list[Button]]:
    """The offered actiepunt after a contact: "Actiepunt: doorverwijzen naar <partner>" / Nee."""
    return [
        [Button(label("refer", partner=partner), DEADLINE_BUTTONS.encode("refer", contact_id))],
        [Button(label("no"), DEADLINE_BUTTONS.encode("norefer", contact_id))],
    ]
