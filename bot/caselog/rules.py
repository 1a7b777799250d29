"""Pure rules for what people type into the case log forms.

Each check returns the clean value or raises :class:`InputProblem` with a ``code`` (and values
for the message); the template ``forms/problem.j2`` turns it into a Dutch sentence that says
what to do next. Time is passed in (``today``), never read here.
"""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import date, timedelta
from typing import Literal, TypedDict

from bot.core.answers import InputProblem, clean_text, date_text, normalise_text
from bot.core.vocabulary import CaseItemKind

#: How people call each kind of case item: the ONE source of these labels (templates, buttons,
#: the weekdate agenda).
KIND_LABELS: dict[CaseItemKind, str] = {
    CaseItemKind.INTAKE: "aanmelding",
    CaseItemKind.SUCCESS: "succes",
    CaseItemKind.BOTTLENECK: "knelpunt",
    CaseItemKind.TRAJECTORY: "traject",
    CaseItemKind.NOTE: "notitie",
}


def kind_label(kind: str) -> str:
    """The Dutch label of a case item kind (the code itself for a kind the case log does not
    know)."""
    try:
        return KIND_LABELS[CaseItemKind(kind)]
    except ValueError:
        return kind


#: Notes are short on purpose: Telegram chats are not end-to-end encrypted (issue 3, domain).
NOTE_MAX = 300
#: Employer, function and similar short fields.
SHORT_MAX = 100
HOURS_MIN, HOURS_MAX = 1, 40
LADDER_MIN, LADDER_MAX = 1, 6
#: How far back a first conversation or a traject start may lie.
PAST_LIMIT = timedelta(days=366)
#: How far ahead a closing date or traject date may lie.
FUTURE_LIMIT = timedelta(days=2 * 366)
#: The longest traject the form accepts (an ontwikkelroute is at most 24 months, 004:L81).
MAX_TRAJECTORY = timedelta(days=3 * 366)


def check_note(text: str | None) -> str:
    """A note of 1–300 characters."""
    value = clean_text(text or "")
    if not value:
        raise InputProblem("empty")
    if len(value) > NOTE_MAX:
        raise InputProblem("too_long", {"limit": NOTE_MAX, "length": len(value)})
    return value


def check_short(text: str | None, what: str) -> str:
    """A one-line field (employer, function) of 1–100 characters; ``what`` names it."""
    value = " ".join(clean_text(text or "").split())
    if not value:
        raise InputProblem("empty_field", {"what": what})
    if len(value) > SHORT_MAX:
        raise InputProblem("too_long", {"limit": SHORT_MAX, "length": len(value)})
    return value


def _whole_number(text: str | None, unit: str = "") -> int | None:
    value = clean_text(text or "").lower()
    if unit and value.endswith(unit):
        value = value[: -len(unit)].strip()
    return int(value) if re.fullmatch(r"\d{1,3}", value) else None


def check_hours(text: str | None) -> int:
    """Hours a week: a whole number 1–40 ("32" or "32 uur")."""
    hours = _whole_number(text, "uur")
    if hours is None or not HOURS_MIN <= hours <= HOURS_MAX:
        raise InputProblem("hours", {"low": HOURS_MIN, "high": HOURS_MAX})
    return hours


def check_ladder(text: str | None) -> int:
    """A step on the participatieladder, 1–6."""
    step = _whole_number(text)
    if step is None or not LADDER_MIN <= step <= LADDER_MAX:
        raise InputProblem("ladder", {"low": LADDER_MIN, "high": LADDER_MAX})
    return step


class DateWindow(TypedDict):
    """Which dates a date question takes: the keyword arguments of the shared date parsers
    (:func:`bot.core.answers.date_text`, :func:`bot.forms.parsers.date_answer`)."""

    prefer: Literal["past", "future"]
    earliest: date
    latest: date


def first_conversation_window(today: date) -> DateWindow:
    """The date of the first conversation: today or in the past year."""
    return DateWindow(prefer="past", earliest=today - PAST_LIMIT, latest=today)


def benefit_start_window(today: date) -> DateWindow:
    """When the benefit starts: within a year before or after today."""
    return DateWindow(prefer="past", earliest=today - PAST_LIMIT, latest=today + PAST_LIMIT)


def closing_date_window(today: date) -> DateWindow:
    """A vacature's closing date: today or later, within two years."""
    return DateWindow(prefer="future", earliest=today, latest=today + FUTURE_LIMIT)


def trajectory_start_window(today: date) -> DateWindow:
    """When a traject starts: in the past year or the next two."""
    return DateWindow(prefer="future", earliest=today - PAST_LIMIT, latest=today + FUTURE_LIMIT)


def trajectory_end_window(start: date) -> DateWindow:
    """When a traject ends: after its start (a traject of no days is none), at most three years
    later (an instrument's own maximum is checked on top, ``bot.route.traject_rules``)."""
    return DateWindow(
        prefer="future", earliest=start + timedelta(days=1), latest=start + MAX_TRAJECTORY
    )


def check_first_conversation(text: str | None, today: date) -> date:
    """The date of the first conversation: today or in the past year."""
    return date_text(text or "", today, **first_conversation_window(today))


def check_benefit_start(text: str | None, today: date) -> date:
    """When the benefit starts: within a year before or after today."""
    return date_text(text or "", today, **benefit_start_window(today))


def check_closing_date(text: str | None, today: date) -> date:
    """A vacature's closing date: today or later, within two years."""
    return date_text(text or "", today, **closing_date_window(today))


def check_trajectory_start(text: str | None, today: date) -> date:
    """When a traject starts: in the past year or the next two."""
    return date_text(text or "", today, **trajectory_start_window(today))


def check_trajectory_end(text: str | None, start: date, today: date) -> date:
    """When a traject ends: after its start, at most three years later."""
    return date_text(text or "", today, **trajectory_end_window(start))


def placed_note(function: str, employer: str) -> str:
    """The text of the succes logged when a vacature is filled with a client.

    This is stored data, not a message: it is written once into the case item (like a note a
    person types) and later shown, escaped, wherever that item appears, so it is built here as
    plain text rather than rendered by an (HTML-escaping) template.
    """
    return f"Geplaatst: {function} bij {employer}"[:NOTE_MAX]


def is_expired(closing_date: date | None, today: date) -> bool:
    """A vacature expires the day after its closing date."""
    return closing_date is not None and closing_date < today


def trajectory_is_open(end: object, today: date) -> bool:
    """A traject is open until its end date (an ISO date, or ``None`` for no end) has passed."""
    if end is None:
        return True
    return date.fromisoformat(str(end)) >= today


# --- client references: the one canonical form ------------------------------------------------

#: The dash family, unified to "-" in a reference as shown.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_KEY_CHARS = frozenset(string.ascii_uppercase + string.digits)


def _fold_char(ch: str) -> str:
    if ch in _DASHES:
        return "-"
    if ch.isascii():
        return ch
    # Look-alikes that are a plain letter with a mark (the dotted capital I, U+0130) become
    # that letter; NFKC (in normalise_text) has already made the Kelvin sign a K.
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base.isascii() and base else ch


def reference_display(text: str) -> str:
    """A reference as shown and stored: normalised text, look-alike letters folded to ASCII,
    dashes unified, upper-case. The team's own spelling (``C-10234`` or ``C10234``) is kept."""
    return "".join(_fold_char(ch) for ch in normalise_text(text)).upper()


def reference_key(text: str) -> str:
    """The ONE form in which references are compared: :func:`reference_display` with only its
    ASCII letters and digits kept (``C-10234``, ``c10234`` and ``C–10234`` are all ``C10234``).

    Stored as ``clients.ref_key`` (unique per team); empty when nothing of it is left.
    """
    return "".join(ch for ch in reference_display(text) if ch in _KEY_CHARS)


def key_without_prefix(key: str) -> str:
    """The number part of a key whose letters all come first (``C10234`` → ``10234``); the key
    itself otherwise. A reference typed without its letter prefix means the one client with
    that number (see README, "Cliëntreferenties")."""
    digits = key.lstrip(string.ascii_uppercase)
    return digits if digits[:1].isdigit() else key


# --- work and health (issue 11 item 7) ----------------------------------------------------------

#: Instruments that put a client to work at an employer (a stage, a trial placement, a learning
#: workplace, a jobcoach, a secondment). A client with a full medical ontheffing is "niet in staat
#: om te werken" by a UWV verzekeringsarts's diagnosis (003:L363); their trajecten are "gericht
#: op participatie" (003:L365), so one of these asks for confirmation first.
WORK_AIMED_INSTRUMENTS = frozenset(
    {"werkstage", "proefplaatsing", "leerwerkplek", "jobcoaching", "detachering"}
)


def aimed_at_work(instrument: str) -> bool:
    """Whether a traject with ``instrument`` (a stored code) is aimed at work."""
    return instrument.strip().lower() in WORK_AIMED_INSTRUMENTS
