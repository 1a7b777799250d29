"""The period a figure is about: parsed from what people type after ``/cijfers`` or ``/export``.

Pure. ``deze maand`` (the default), ``vorige maand``, a quarter ``2026Q3``, a half year
``2026H1``, a year ``2026``, or two dates (``1-1-2026 30-6-2026``). Problems raise
:class:`PeriodProblem`, whose ``code`` picks the Dutch sentence in ``figures/period_problem.j2``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.dates import DateInputError, parse_date

#: Longer periods make no sense for a report and would make every chart unreadable.
MAX_YEARS = 10

_QUARTER = re.compile(r"(\d{4})\s*-?\s*q([1-4])")
_HALF = re.compile(r"(\d{4})\s*-?\s*h([12])")
_YEAR = re.compile(r"(\d{4})")


@dataclass
class PeriodProblem(ValueError):
    """Text that is no period. ``code``: ``unknown``, ``order``, ``too_long``, ``date``."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Period:
    """A closed range of days [start, end], with the kind it was asked as (for the label)."""

    start: date
    end: date
    #: ``month``, ``quarter``, ``half``, ``year`` or ``range``.
    kind: str
    #: A compact name: ``2026-07``, ``2026Q3``, ``2026H1``, ``2026`` or ``2026-01-01_2026-06-30``.
    name: str

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the period."""
        return self.start <= day <= self.end

    def peildatum(self, today: date) -> date:
        """The day a stock figure (Bestand) is counted on: the end, or today if that is earlier
        (a running month is counted as it stands, not as it will be)."""
        return min(self.end, today)


def month_period(year: int, month: int) -> Period:
    """The calendar month ``year``-``month``."""
    last = monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), "month", f"{year}-{month:02d}")


def _months(year: int, first: int, count: int, kind: str, name: str) -> Period:
    last_month = first + count - 1
    return Period(
        date(year, first, 1),
        date(year, last_month, monthrange(year, last_month)[1]),
        kind,
        name,
    )


def parse_period(text: str, today: date) -> Period:
    """The period ``text`` names (empty: this month). Raises :class:`PeriodProblem`."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in ("", "deze maand", "dezemaand"):
        return month_period(today.year, today.month)
    if cleaned in ("vorige maand", "vorigemaand"):
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return month_period(year, month)
    if match := _QUARTER.fullmatch(cleaned):
        year, quarter = int(match.group(1)), int(match.group(2))
        return _months(year, 3 * quarter - 2, 3, "quarter", f"{year}Q{quarter}")
    if match := _HALF.fullmatch(cleaned):
        year, half = int(match.group(1)), int(match.group(2))
        return _months(year, 6 * half - 5, 6, "half", f"{year}H{half}")
    if match := _YEAR.fullmatch(cleaned):
        year = int(match.group(1))
        if not 1900 <= year <= 2100:
            raise PeriodProblem("unknown")
        return _months(year, 1, 12, "year", str(year))
    parts = re.split(r"\s+(?:t/m|tot en met|tot|-)\s+|\s+", cleaned)
    if len(parts) == 2:
        try:
            start = parse_date(parts[0], today)
            end = parse_date(parts[1], today)
        except DateInputError as error:
            raise PeriodProblem("date", {"detail": str(error)}) from None
        if end < start:
            raise PeriodProblem("order")
        if (end - start).days > 366 * MAX_YEARS:
            raise PeriodProblem("too_long", {"years": MAX_YEARS})
        return Period(start, end, "range", f"{start.isoformat()}_{end.isoformat()}")
    raise PeriodProblem("unknown")


def months_between(start: date, end: date) -> list[Period]:
    """The calendar months that touch [start, end], in order."""
    result: list[Period] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append(month_period(year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return result
