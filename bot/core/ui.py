"""What a feature hands to the outbound layer: replies, buttons and documents, as plain values.

Features and services never build Telegram objects; :mod:`bot.outbound` turns these into Bot API
calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    """An inline button: the label shown and the callback data sent back, or a link to open."""

    label: str
    data: str = ""
    url: str = ""


Keyboard = Sequence[Sequence[Button]]


@dataclass(frozen=True)
class Reply:
    """A rendered message (Telegram HTML) with optional inline buttons."""

    text: str
    keyboard: Keyboard = ()


@dataclass(frozen=True)
class Document:
    """A file to send (a PDF, a calendar invitation), with an optional caption."""

    data: bytes
    filename: str
    caption: str = ""


def keyboard_rows(buttons: Sequence[Button], per_row: int = 2) -> list[list[Button]]:
    """Lay ``buttons`` out in rows of ``per_row``."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
