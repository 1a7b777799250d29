"""Rendering: every user-facing text is a Jinja2 template in ``bot/templates`` (Telegram HTML),
and the one way a long text is cut into Telegram messages.

Autoescape is on, so anything a user typed is shown, never interpreted. Telegram refuses messages
longer than 4,096 characters (UTF-16 code units) and HTML with a tag cut in half, so
:func:`split_message` packs whole blocks (items marked with :data:`SEP`, else lines) into
messages. Only a single block longer than a message is cut inside, and then tag-aware: open tags
are closed at the cut and reopened in the next part.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.core.dates import format_clock, format_date, format_moment, format_short

TEMPLATES_DIR = Path(__file__).parents[1] / "templates"
#: Telegram's limit for one text message (``telegram.constants.MessageLimit.MAX_TEXT_LENGTH``;
#: core imports no library of the transport, so :mod:`bot.outbound` passes the library's value
#: and a test keeps the two equal).
MESSAGE_LIMIT = 4096
#: Marks an item boundary in rendered text (ASCII record separator; never in user text, which is
#: HTML-escaped and stripped of control characters before it is stored).
SEP = "\x1e"

_TOKEN = re.compile(r"<[^>]*>|&[#0-9A-Za-z]+;|[^<&]|[<&]", re.DOTALL)
_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][\w-]*)[^>]*?(/)?\s*>")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment of the product."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["datum"] = format_date
    env.filters["kortedatum"] = format_short
    env.filters["tijd"] = format_clock
    env.filters["moment"] = format_moment
    return env


def render(template: str, **variables: Any) -> str:
    """Render ``template`` (name without ``.j2``) to text, trimmed of outer blank lines."""
    return environment().get_template(f"{template}.j2").render(**variables).strip()


def render_file(template: str, **variables: Any) -> str:
    """Render a template given with its extension (``weekdate/agenda_pdf.html.j2``), untrimmed."""
    return environment().get_template(template).render(**variables)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into Telegram messages of at most ``limit`` characters.

    Where the text marks items with :data:`SEP`, whole items are packed; otherwise whole lines.
    """
    if SEP in text:
        blocks = [block.strip("\n") for block in text.split(SEP)]
        return split_blocks([b for b in blocks if b], limit) or [""]
    return split_blocks(text.split("\n"), limit) or [""]


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), so emoji are not undercounted."""
    return len(text.encode("utf-16-le")) // 2


def split_blocks(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack blocks (each a piece of balanced HTML) into as few messages as fit in ``limit``.

    Blocks are joined with a newline and never split unless one alone exceeds ``limit``.
    """
    if limit < 64:
        raise ValueError("limit too small to hold a tag and some text")
    parts: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if telegram_length(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _fit(block: str, limit: int) -> list[str]:
    """``block`` in pieces of at most ``limit``, cut at newlines where possible, tags kept whole
    and balanced (closed before a cut and reopened after it)."""
    if telegram_length(block) <= limit:
        return [block]
    tokens = _TOKEN.findall(block)
    pieces: list[str] = []
    stack: list[tuple[str, str]] = []  # (name, opening tag as written)
    current: list[str] = []
    current_len = 0
    opened_with = ""

    def closing(tags: list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(tags))

    def closers_after(tags: list[tuple[str, str]], token: str) -> int:
        # The closing tags the piece would need if ``token`` were added to it.
        after = list(tags)
        _track(after, token)
        return telegram_length(closing(after))

    for token in tokens:
        size = telegram_length(token)
        closers = closers_after(stack, token)
        while current and current_len + size + closers > limit:
            # Prefer cutting after the last newline in this piece.
            cut = len(current)
            for n in range(len(current) - 1, 0, -1):
                if current[n] == "\n":
                    cut = n + 1
                    break
            head, tail = current[:cut], current[cut:]
            head_stack = _stack_after(opened_with, head)
            pieces.append((opened_with + "".join(head) + closing(head_stack)).rstrip("\n"))
            opened_with = "".join(tag for _, tag in head_stack)
            current = tail
            current_len = telegram_length(opened_with + "".join(tail))
            stack = _stack_after(opened_with, tail)
            closers = closers_after(stack, token)
        current.append(token)
        current_len += size
        _track(stack, token)
    if current:
        pieces.append(opened_with + "".join(current) + closing(stack))
    return [p for p in pieces if p.strip()]


def _track(stack: list[tuple[str, str]], token: str) -> None:
    match = _TAG.fullmatch(token)
    if not match:
        return
    closing_tag, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
    if self_closing:
        return
    if closing_tag:
        for n in range(len(stack) - 1, -1, -1):
            if stack[n][0] == name:
                del stack[n:]
                break
    else:
        stack.append((name, token))


def _stack_after(prefix: str, tokens: list[str]) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for token in _TOKEN.findall(prefix):
        _track(stack, token)
    for token in tokens:
        _track(stack, token)
    return stack
