"""Pure rules of the client's route: the overview's year, the search key, and the ranking of
candidates for a vacature."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from bot.caselog.rules import reference_key
from bot.core.answers import InputProblem

#: The longest search text (a reference key is at most 32 characters).
MAX_SEARCH = 32
#: How many candidates a vacature shows.
MAX_CANDIDATES = 5


def year_before(today: date) -> date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def search_key(text: str) -> str:
    """The reference key to search for in typed text; refuses empty and over-long text."""
    key = reference_key(text)
    if not key:
        raise InputProblem("search_empty")
    if len(key) > MAX_SEARCH:
        raise InputProblem("too_long", {"length": len(key), "limit": MAX_SEARCH})
    return key


# --- matching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """A client who might fit a vacature, with its wishes (empty where unknown)."""

    client_id: int
    ref: str
    category: str | None
    entered_on: date | None
    branches: frozenset[str] = frozenset()
    hours_per_week: int | None = None
    place_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Opening:
    """What a vacature asks."""

    place_kind: str
    branche: str | None = None
    hours_per_week: int | None = None


@dataclass(frozen=True)
class Ranked:
    """A candidate with its fit (higher is better) and why."""

    client_id: int
    ref: str
    score: int
    reasons: tuple[str, ...]
    waiting_since: date | None


#: Place kind code -> the categories whose clients suit it: the team profile's meaning
#: (``bot.profiles.meaning.matching``: a paid place suits clients towards work, any other place
#: clients towards participation). No category code is named here.
Matching = Mapping[str, frozenset[str]]


def fit(opening: Opening, applicant: Applicant, matching: Matching) -> Ranked | None:
    """How well ``applicant`` fits ``opening``; ``None`` when it does not fit at all.

    Only a client whose category leads the way the place does fits (towards work for paid
    work, towards participation for any other place; care leads to neither). A wish the client
    stated and the vacature contradicts (another branche, more hours than wanted, another kind
    of place) rules the client out; a wish it meets counts for it; an unknown wish counts for
    nothing, so a known match ranks above an unknown.
    """
    if applicant.category not in matching.get(opening.place_kind, frozenset()):
        return None
    score = 0
    reasons: list[str] = []
    if opening.branche and applicant.branches:
        if opening.branche.lower() not in {b.lower() for b in applicant.branches}:
            return None
        score += 2
        reasons.append("branche")
    if opening.hours_per_week is not None and applicant.hours_per_week is not None:
        if applicant.hours_per_week < opening.hours_per_week:
            return None
        score += 1
        reasons.append("uren")
    if applicant.place_kinds:
        if opening.place_kind not in applicant.place_kinds:
            return None
        score += 1
        reasons.append("soort plek")
    return Ranked(applicant.client_id, applicant.ref, score, tuple(reasons), applicant.entered_on)


def rank_candidates(
    opening: Opening,
    applicants: Iterable[Applicant],
    matching: Matching,
    limit: int = MAX_CANDIDATES,
) -> list[Ranked]:
    """The best ``limit`` candidates: by fit, then longest waiting (earliest entry; unknown
    last), then reference."""
    fitting = [r for r in (fit(opening, a, matching) for a in applicants) if r is not None]
    fitting.sort(key=lambda r: (-r.score, r.waiting_since or date.max, r.ref))
    return fitting[:limit]
