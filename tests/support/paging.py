"""Walking a paged list through its "Meer" buttons, checking every page against Telegram's
limits (at most 100 buttons and 4096 characters per message)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.transport import BotCall

MAX_BUTTONS = 100
MAX_CHARS = 4096


def check_limits(calls: list[BotCall]) -> None:
    """Every message among ``calls`` fits Telegram's limits."""
    for call in calls:
        assert len(call.buttons) <= MAX_BUTTONS, len(call.buttons)
        assert len(call.text) <= MAX_CHARS, len(call.text)


def more_button(calls: list[BotCall]) -> str | None:
    """The callback data of the "Meer" button, if there is one."""
    for call in calls:
        for label, data in call.buttons:
            if label.startswith("Meer"):
                return data
    return None


async def walk_pages(
    first: list[BotCall], tap: Callable[[str], Awaitable[list[BotCall]]], *, limit: int = 50
) -> list[list[BotCall]]:
    """The first page and every page reached by tapping "Meer" until there is none."""
    pages = [first]
    check_limits(first)
    while (data := more_button(pages[-1])) is not None:
        assert len(pages) < limit, "paging does not end"
        page = await tap(data)
        check_limits(page)
        pages.append(page)
    return pages
