"""Dates as people type them in Dutch: ``vandaag``, ``gisteren``, ``12-3``, ``12-03-2026``,
``12/3/26``, ``12 maart``, ``12 mrt 2026``. Pure: "today" is passed in.

A date without a year is read as the nearest one in the expected direction (``prefer``): a first
conversation lies in the past, a closing date in the future.

Every date anyone types lies in :data:`FIRST_DAY` .. :data:`LAST_DAY` (1900 to 2100), whatever
the question's own window: nothing this bot records (a start, an end, a review, a child's fifth
birthday) lies outside it, and it leaves room for the date arithmetic done on typed dates
(months added for reviews, years for reminders) never to leave what ``datetime.date`` can hold
(year 9999). ``31-12-9999`` is refused here, not in an overflow three steps later.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
RELATIVE = {"vandaag": 0, "gisteren": -1, "eergisteren": -2, "morgen": 1, "overmorgen": 2}

HINT = "Gebruik een datum als 12-03-2026 of 12 maart, of typ 'vandaag'."

#: The first and last date the parser accepts (see the module docstring).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)

_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?")
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?")


class DateInputError(ValueError):
    """The text is not a usable date; ``str(error)`` is a Dutch message saying what to do."""


def format_date(day: date) -> str:
    """A date as users read it: ``12 maart 2026``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_short(day: date) -> str:
    """A compact date: ``12-03-2026``."""
    return day.strftime("%d-%m-%Y")


def format_day_month(day: date) -> str:
    """A date within the current year, as in a short list: ``12-03``."""
    return day.strftime("%d-%m")


def format_clock(moment: time | datetime) -> str:
    """A time of day: ``16:00``."""
    return moment.strftime("%H:%M")


def format_moment(moment: datetime) -> str:
    """A date and time: ``12-03-2026 16:00`` (give it in the zone the reader is in)."""
    return f"{format_short(moment)} {format_clock(moment)}"


def _build(day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInputError(
            f"{day}-{month}-{year} bestaat niet. {HINT}"
            if 1 <= month <= 12
            else f"Maand {month} bestaat niet. {HINT}"
        ) from None


def _without_year(day: int, month: int, today: date, prefer: Literal["past", "future"]) -> date:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise DateInputError(f"{day}-{month} bestaat niet. {HINT}")
    if prefer == "past":
        past = [c for c in candidates if c <= today]
        return max(past) if past else min(candidates)
    future = [c for c in candidates if c >= today]
    return min(future) if future else max(candidates)


def parse_date(
    text: str,
    today: date,
    *,
    prefer: Literal["past", "future"] = "past",
    earliest: date | None = None,
    latest: date | None = None,
) -> date:
    """The date ``text`` means, checked against ``earliest``/``latest``.

    Raises :class:`DateInputError` with a Dutch message for anything else.
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise DateInputError(f"Ik zie geen datum. {HINT}")
    if len(cleaned) > 40:
        raise DateInputError(f"Dat is geen datum. {HINT}")
    result: date
    if cleaned in RELATIVE:
        result = today + timedelta(days=RELATIVE[cleaned])
    elif match := _NUMERIC.fullmatch(cleaned):
        day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
        if year_text is None:
            if not 1 <= month <= 12:
                raise DateInputError(f"Maand {month} bestaat niet. {HINT}")
            result = _without_year(day, month, today, prefer)
        else:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            result = _build(day, month, year)
    elif match := _WORDS.fullmatch(cleaned):
        month_word = match.group(2)
        if month_word not in MONTHS:
            raise DateInputError(f"Ik ken de maand '{month_word[:20]}' niet. {HINT}")
        day, month = int(match.group(1)), MONTHS[month_word]
        if match.group(3):
            result = _build(day, month, int(match.group(3)))
        else:
            result = _without_year(day, month, today, prefer)
    else:
        raise DateInputError(f"Dat is geen datum. {HINT}")
    if not FIRST_DAY <= result <= LAST_DAY:
        raise DateInputError(
            f"{format_date(result)} kan niet kloppen; kies een datum tussen "
            f"{FIRST_DAY.year} en {LAST_DAY.year}. {HINT}"
        )
    if earliest is not None and result < earliest:
        raise DateInputError(
            f"{format_date(result)} ligt te ver terug; de vroegste datum is "
            f"{format_date(earliest)}."
        )
    if latest is not None and result > latest:
        raise DateInputError(
            f"{format_date(result)} ligt te ver vooruit; de laatste datum is {format_date(latest)}."
        )
    return result
