"""Long lists in pages: Telegram takes at most 100 buttons and 4096 characters per message, and a
team's lists (vacatures, termijnen, colleagues) grow past that.

A :class:`Page` says which slice of a list is shown; the storage query fetches only that slice
(``LIMIT``/``OFFSET`` plus a count), and the "Vorige"/"Meer" buttons carry the offset to go to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.render import render
from bot.core.ui import Button

#: Rows per page: one message with its buttons stays well inside Telegram's limits.
PAGE_SIZE = 15


@dataclass(frozen=True)
class Page:
    """Rows ``offset`` up to ``offset + size`` of ``total``."""

    offset: int
    size: int
    total: int

    @classmethod
    def at(cls, offset: int, total: int, size: int = PAGE_SIZE) -> Page:
        """The page starting at ``offset``, clamped to the list (a stale "Meer" after rows went
        away shows the last page, not an empty one)."""
        size = max(size, 1)
        last_start = max(total - 1, 0) // size * size
        return cls(min(max(offset, 0), last_start), size, max(total, 0))

    @property
    def first_number(self) -> int:
        """The 1-based number of the first row shown."""
        return self.offset + 1

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.size < self.total

    @property
    def previous_offset(self) -> int:
        return max(self.offset - self.size, 0)

    @property
    def next_offset(self) -> int:
        return self.offset + self.size


def page_row(page: Page, encode: Callable[[int], str]) -> list[Button]:
    """The "Vorige"/"Meer" buttons of ``page`` (empty when it all fits); ``encode`` makes the
    callback data for an offset."""
    row: list[Button] = []
    if page.has_previous:
        row.append(Button(render("common/button_previous"), encode(page.previous_offset)))
    if page.has_next:
        row.append(Button(render("common/button_more", page=page), encode(page.next_offset)))
    return row
