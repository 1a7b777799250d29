"""Client references: the only way the product knows a client.

A reference is what the municipality's case system calls the client (or a code the team
chooses). Its format is a per-team regular expression; the default allows 3–16 letters, digits
and dashes with at least one digit (``C-10234``; a surname such as ``Jansen`` is no reference).
References are shown as the team typed them (normalised text, look-alike letters folded to ASCII,
dashes unified, upper-case) and compared in one canonical key
(:func:`bot.caselog.rules.reference_key`: ASCII letters and digits only), so ``C-10234``,
``C10234`` and ``c–10234`` are one client. A reference that is not plain ASCII letters, digits and
dashes after folding is refused, whatever the pattern.

A reference must never be a BSN: whatever the pattern says, a value holding a nine-digit number
that passes the elfproef is refused (and the privacy filter refuses the whole message before this
module ever sees it).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from bot.caselog.rules import reference_display, reference_key
from bot.privacy.rules import contains_bsn

#: The default format: 3–16 letters, digits and dashes, at least one of them a digit.
DEFAULT_PATTERN = r"(?=[A-Z-]*[0-9])[A-Z0-9-]{3,16}"
#: What a reference may hold after folding, whatever the team's pattern.
_ASCII_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9-]*")
#: The database column holds at most this many characters.
MAX_LENGTH = 32

#: Characters stripped from a word in free text before it is tried as a reference.
_PUNCTUATION = "!?,.;:()[]{}\"'«»“”‘’<>*_~`"
#: Words in free text that are dates or times, not references ("12-03", "12-03-2026", "9.30").
_DATE_OR_TIME = re.compile(r"\d{1,2}[-/.:]\d{1,2}(?:[-/.]\d{2,4})?")


class RefProblem(StrEnum):
    """Why a text is not a valid reference."""

    EMPTY = "empty"
    FORMAT = "format"
    BSN = "bsn"


class BadReference(ValueError):
    """The text is not a reference; ``problem`` says why (templates turn it into Dutch)."""

    def __init__(self, problem: RefProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class ReferenceRule:
    """One team's reference format, as a regular expression matched against the whole value.

    The pattern is matched against the normalised (upper-case) value, case-insensitively.
    """

    pattern: str = DEFAULT_PATTERN

    def __post_init__(self) -> None:
        compile_pattern(self.pattern)  # fail early on a bad pattern

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return compile_pattern(self.pattern)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled case-insensitively; ``re.error`` when it is not a regex."""
    return re.compile(pattern, re.IGNORECASE)


def normalise(text: str) -> str:
    """A reference as shown and stored (:func:`bot.caselog.rules.reference_display`)."""
    return reference_display(text)


def validate(text: str, rule: ReferenceRule) -> str:
    """The normalised reference for ``text``, or :class:`BadReference` saying why not."""
    value = normalise(text)
    if not value:
        raise BadReference(RefProblem.EMPTY)
    if contains_bsn(value):
        raise BadReference(RefProblem.BSN)
    if (
        len(value) > MAX_LENGTH
        or _ASCII_REFERENCE.fullmatch(value) is None
        or rule.compiled.fullmatch(value) is None
    ):
        raise BadReference(RefProblem.FORMAT)
    return value


def is_valid(text: str, rule: ReferenceRule) -> bool:
    """Whether ``text`` is a valid reference under ``rule``."""
    try:
        validate(text, rule)
    except BadReference:
        return False
    return True


def _words(text: str) -> list[str]:
    return [word.strip(_PUNCTUATION) for word in text.split()]


def candidate_keys(text: str, rule: ReferenceRule) -> set[str]:
    """The canonical keys of the words in ``text`` that could be references under ``rule``.

    Only these need looking up among the team's clients (not the team's every reference).
    """
    return {
        reference_key(normalise(word)) for word in _words(text) if word and is_valid(word, rule)
    }


def find_reference(text: str, rule: ReferenceRule, known: Collection[str] = ()) -> str | None:
    """The client reference mentioned in free text, normalised, or ``None``.

    "C-10234 heeft een contract bij de bakker!" gives ``C-10234``. A word counts when it is a
    valid reference and either is one of the team's ``known`` references or holds a digit (so
    ordinary words such as "bakker" are not taken for references under a permissive pattern).
    Known references win; then words with letters and digits (``C-10234``); then digits only
    (``10234``), never a date or time ("12-03"). Within each kind the first in the text wins.
    """
    known_by_key = {reference_key(ref): normalise(ref) for ref in known}
    mixed: list[str] = []
    digits_only: list[str] = []
    for word in _words(text):
        if not word or not is_valid(word, rule):
            continue
        value = normalise(word)
        if reference_key(value) in known_by_key:
            return known_by_key[reference_key(value)]
        if not any(ch.isdigit() for ch in value) or _DATE_OR_TIME.fullmatch(value):
            continue
        (mixed if any(ch.isalpha() for ch in value) else digits_only).append(value)
    candidates = mixed + digits_only
    return candidates[0] if candidates else None
