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


#: Characters that show as nothing but are letters or symbols to Unicode (Hangul fillers, the
#: Braille blank) or combining marks that join nothing (the combining grapheme joiner).
_INVISIBLE_SPACES = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_MARKS = frozenset("\u034f")


def _normal_char(ch: str) -> str:
    if ch == "\n":
        return ch
    category = unicodedata.category(ch)
    if category in ("Cf", "Cs") or ch in _INVISIBLE_MARKS:
        # Format characters (zero-width space and joiners, bidi marks and isolates, the soft
        # hyphen, the byte-order mark) are invisible: the text reads as if they were not there.
        return ""
    if category in ("Zl", "Zp"):
        return "\n"
    if category[0] == "C" or category == "Zs" or ch in _INVISIBLE_SPACES:
        return " "  # tabs, other controls and every kind of space
    if ch.isdecimal() and not ch.isascii():
        return str(unicodedata.decimal(ch))  # Arabic-Indic, Devanagari, … digits
    return ch


def normalise_text(text: str) -> str:
    """``text`` as the bot reads and stores it: the ONE normalisation of typed text.

    NFKC (fullwidth letters and digits, ligatures, compatibility spaces become their plain
    form); invisible format characters removed; tabs, controls and every kind of space become a
    plain space, line and paragraph separators (and ``\r\n``) a line break; decimal digits of
    any script become ASCII digits; outer whitespace stripped. Inner runs of spaces are kept.

    The privacy filter judges this form and every stored text is this form, so a number hidden
    with zero-width spaces or foreign digits is seen exactly as it would be stored.
    """
    if text.isascii() and text.isprintable():
        # Printable ASCII is its own NFKC form and every character maps to itself (the space
        # included), so only the strip is left. The privacy filter reads every cell of a
        # 10,000-row import through here, most of them plain ASCII.
        return text.strip()
    return _normalise_any(text)


def _normalise_any(text: str) -> str:
    """:func:`normalise_text` for any text, character by character."""
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n"))
    mapped = "".join(_normal_char(ch) for ch in text)
    # Again: removing an invisible character can leave a letter and its accent side by side.
    return unicodedata.normalize("NFKC", mapped).strip()


def clean_text(text: str) -> str:
    """Typed text as stored: :func:`normalise_text` (kept as the name the rules use)."""
    return normalise_text(text)


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
