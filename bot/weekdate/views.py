"""Rendering the weekdate agenda: Telegram HTML messages, an A4 PDF and an ``.ics`` invitation.

Telegram refuses messages longer than 4,096 characters and HTML with a tag cut in half, so the
agenda template marks item boundaries with :data:`SEP` and :func:`split_blocks` packs whole items
into messages. Only a single item longer than a message (not possible with 300-character notes,
but never assumed) is cut inside, and then tag-aware: open tags are closed at the cut and reopened
in the next part.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path

from icalendar import Calendar, Event
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.weekdate.agenda import Agenda
from bot.weekdate.meeting import Minutes
from bot.weekdate.schedule import WEEKDAYS_NL, Occurrence

#: Marks an item boundary in rendered agenda text (ASCII record separator; never in user text,
#: which is HTML-escaped and stripped of control characters before it is stored).
SEP = "\x1e"
TELEGRAM_LIMIT = 4096
TEMPLATES = Path(__file__).parents[1] / "templates"

_TOKEN = re.compile(r"<[^>]*>|&[#0-9A-Za-z]+;|[^<&]|[<&]", re.DOTALL)
_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][\w-]*)[^>]*?(/)?\s*>")


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), so emoji are not undercounted."""
    return len(text.encode("utf-16-le")) // 2


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def render_agenda_text(agenda: Agenda, start: time, *, private: bool) -> str:
    """The agenda as one Telegram HTML string with :data:`SEP` between items."""
    template = _env().get_template("weekdate/agenda.j2")
    return template.render(
        agenda=agenda,
        private=private,
        start=_clock(start),
        weekday=WEEKDAYS_NL[agenda.meeting_date.weekday()],
        SEP=SEP,
    )


def render_agenda_messages(
    agenda: Agenda, start: time, *, private: bool, limit: int = TELEGRAM_LIMIT
) -> list[str]:
    """The agenda as Telegram messages of at most ``limit`` characters, split between items."""
    return split_rendered(render_agenda_text(agenda, start, private=private), limit)


def split_blocks(blocks: list[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
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


def render_agenda_pdf(agenda: Agenda, start: time) -> bytes:
    """A printable A4 PDF of the teamleider's copy, with team and date."""
    from weasyprint import HTML  # imported lazily: loading Pango takes a moment

    html = (
        _env()
        .get_template("weekdate/agenda_pdf.html.j2")
        .render(
            agenda=agenda,
            start=_clock(start),
            weekday=WEEKDAYS_NL[agenda.meeting_date.weekday()],
        )
    )
    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


def agenda_ics(
    *,
    team_id: int,
    team_name: str,
    occ: Occurrence,
    duration_minutes: int,
    zone: tzinfo,
    stamp: datetime,
) -> bytes:
    """An iCalendar invitation for one weekdate; ``stamp`` is the creation time (aware)."""
    start = occ.starts_at(zone)
    end = (start.astimezone(UTC) + timedelta(minutes=duration_minutes)).astimezone(zone)
    calendar = Calendar()
    calendar.add("prodid", "-//weekdate-bot//NL")
    calendar.add("version", "2.0")
    event = Event()
    # The UID follows the regular date, so a moved occurrence updates the same calendar entry.
    event.add("uid", f"weekdate-{team_id}-{occ.regular_date.isoformat()}@weekdate-bot")
    event.add("summary", f"Weekdate {team_name}")
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("description", "Wekelijks teamoverleg. De agenda komt via de bot.")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def render_minutes_text(minutes: Minutes) -> str:
    """The minutes as Telegram HTML with :data:`SEP` between lines (as archived)."""
    return (
        _env()
        .get_template("weekdate/minutes.j2")
        .render(minutes=minutes, weekday=WEEKDAYS_NL[minutes.meeting_date.weekday()], SEP=SEP)
    )


def split_rendered(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Messages from a rendered text with :data:`SEP` item boundaries (an archived agenda)."""
    blocks = [block.strip("\n") for block in text.split(SEP)]
    return split_blocks([b for b in blocks if b], limit)


def render_minutes_messages(minutes: Minutes, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The minutes as Telegram messages, split between lines."""
    return split_rendered(render_minutes_text(minutes), limit)
