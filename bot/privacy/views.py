"""Showing the privacy filter's warnings: the Dutch texts (templates) and the two buttons."""

from __future__ import annotations

from bot.core.callbacks import family
from bot.core.render import render
from bot.core.ui import Button, Reply
from bot.privacy.service import Caution

#: The buttons under a warning; the argument is the held text's random token (never the text).
HELD_BUTTONS = family(
    "prv",
    "privacy warning: send the held text on, or drop it to rephrase",
    {"ok": (str,), "no": (str,)},
)


def warning_reply(caution: Caution) -> Reply:
    """The private warning: what kind of detail was seen, and confirm or rephrase."""
    kinds = [kind.value for kind in caution.kinds]
    if caution.token is None:
        raise ValueError("a private warning needs the held text's token")
    buttons = [
        [Button(render("privacy/button_confirm"), HELD_BUTTONS.encode("ok", caution.token))],
        [Button(render("privacy/button_rephrase"), HELD_BUTTONS.encode("no", caution.token))],
    ]
    return Reply(render("privacy/personal_warning", kinds=kinds), buttons)


def group_notice(caution: Caution, *, deleted: bool) -> Reply:
    """Sent privately to whoever put such a detail in a group message."""
    kinds = [kind.value for kind in caution.kinds]
    return Reply(render("privacy/personal_group", kinds=kinds, deleted=deleted))


def rephrase_reply() -> Reply:
    """After "Herformuleer": nothing was stored; send it again."""
    return Reply(render("privacy/rephrase"))


def held_gone() -> str:
    """A tap on a warning whose text is no longer held (at most 200 characters)."""
    return render("privacy/held_gone")
