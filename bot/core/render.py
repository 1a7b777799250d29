"""Rendering: every user-facing text is a Jinja2 template in ``bot/templates`` (Telegram HTML).

Autoescape is on, so anything a user typed is shown, never interpreted.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.dates import format_date, format_short

TEMPLATES_DIR = Path(__file__).parents[1] / "templates"
#: Telegram's limit for one text message.
MESSAGE_LIMIT = 4096


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared Jinja2 environment."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["datum"] = format_date
    env.filters["kortedatum"] = format_short
    return env


def render(template: str, **variables: Any) -> str:
    """Render ``template`` (name without ``.j2``) to text, trimmed of outer blank lines."""
    return environment().get_template(f"{template}.j2").render(**variables).strip()


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters on line boundaries.

    Templates close every tag on the line that opens it, so a line boundary is never inside a
    tag. A single line longer than ``limit`` is cut as a last resort.
    """
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    return parts or [""]
