"""What every answer check shares: the one exception for an answer a form cannot take, and the
one way typed text is cleaned.

Pure; rule modules of every feature raise :class:`InputProblem`, and the form engine turns it into
the Dutch sentence of ``templates/forms/problem.j2`` with the prompt shown again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from bot.core.dates import DateInputError, parse_date


@dataclass
class InputProblem(ValueError):
    """An answer the form cannot take. ``code`` picks the Dutch message; ``values`` fill it."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.code


def clean_text(text: str) -> str:
    """``text`` without control characters and outer whitespace; inner runs of spaces kept."""
    kept = "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return kept.strip()


def date_text(
    text: str,
    today: date,
    *,
    prefer: Literal["past", "future"] = "past",
    earliest: date | None = None,
    latest: date | None = None,
) -> date:
    """The date ``text`` means (``12-03-2026``, ``12 maart``, ``vandaag``), refused outside
    ``earliest``..``latest`` when given: the ONE place a date's :class:`DateInputError` becomes
    an :class:`InputProblem` (code ``date``, its Dutch message as ``message``)."""
    try:
        return parse_date(text, today, prefer=prefer, earliest=earliest, latest=latest)
    except DateInputError as error:
        raise InputProblem("date", {"message": str(error)}) from None
