"""The case log's lists of choices: categories, doelgroepen, branches, instruments, place kinds.

Municipalities classify differently (Dalfsen: three categories; Steenwijkerland: six
klantgroepen; Midden-Drenthe: eleven doelgroepen), so the categories come from the team's
profile (``bot/profiles``) and every list is configuration (``[caselog]`` in the config
file). A list is given as Dutch labels; each label's code (stored in the database and used
in buttons) is its slug: ``"jongere <27"`` becomes ``jongere_27``. Codes of the fixed lists
(uitkering, status, bron) are proper names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot import profiles
from bot.caselog.references import DEFAULT_PATTERN, ReferenceRule
from bot.caselog.rules import KIND_LABELS
from bot.core.vocabulary import ClientStatus, VacancyStatus

#: Codes go into callback data and database columns of 32 characters.
MAX_CODE = 24


@dataclass(frozen=True)
class Choice:
    """One option: the stored ``code`` and the Dutch ``label`` people see."""

    code: str
    label: str


def slug(label: str) -> str:
    """The code for ``label``: ASCII lower-case words joined by ``_``."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:MAX_CODE].strip("_")


def choices(labels: Iterable[str | Choice]) -> tuple[Choice, ...]:
    """Choices from labels (code = slug) or explicit choices; ``ValueError`` on an empty label,
    a malformed code or two entries with one code."""
    result: list[Choice] = []
    seen: set[str] = set()
    for entry in labels:
        if isinstance(entry, Choice):
            code, label = entry.code, entry.label
            if not re.fullmatch(rf"[a-z0-9_]{{1,{MAX_CODE}}}", code):
                raise ValueError(f"code {code!r}: gebruik 1 tot {MAX_CODE} tekens a-z, 0-9 en _")
        else:
            code, label = slug(entry), entry
        if not code:
            raise ValueError(f"{label!r} heeft geen letters of cijfers")
        if code in seen:
            raise ValueError(f"{label!r} lijkt te veel op een andere keuze")
        seen.add(code)
        result.append(Choice(code, label.strip()))
    return tuple(result)


def label_of(options: Iterable[Choice], code: str | None) -> str:
    """The label for ``code`` (the code itself when the list no longer has it)."""
    if code is None:
        return "–"
    for option in options:
        if option.code == code:
            return option.label
    return code


#: The default profile's categories and subcategories (codes and labels come from
#: ``bot/profiles/dalfsen.toml``; a team's own profile replaces them in ``bot.settings``).
DEFAULT_CATEGORIES = tuple(Choice(c.code, c.label) for c in profiles.default().categories)
DEFAULT_SUBCATEGORIES = tuple(Choice(s.code, s.label) for s in profiles.default().subcategories)
DEFAULT_TAGS = (
    "statushouder",
    "jongere <27",
    "IOAW/IOAZ",
    "alleenstaande ouder",
    "NUG",
    "banenafspraak/LKS",
    "beschut werk",
)
#: The regional Werkgeversservicepunt's themes (the default profile's list).
DEFAULT_BRANCHES = profiles.default().branches
DEFAULT_INSTRUMENTS = (
    "werkstage",
    "taalstage",
    "proefplaatsing",
    "leerwerkplek",
    "jobcoaching",
    "training/certificaat",
    "workshop",
    "extern re-integratietraject",
    "vrijwilligerswerk",
)
DEFAULT_PLACE_KINDS = (
    "betaald werk",
    "leerwerkplek",
    "werkstage",
    "proefplaatsing",
    "vrijwilligerswerk",
)

#: Recht op uitkering after the first conversation.
ENTITLEMENTS = (
    Choice("ja", "ja"),
    Choice("nee", "nee"),
    Choice("in_onderzoek", "in onderzoek"),
    Choice("nug", "NUG"),
)
VACANCY_SOURCES = (
    Choice("wsp", "WSP"),
    Choice("eigen_netwerk", "eigen netwerk"),
    Choice("anders", "anders"),
)
CLIENT_STATUSES = (
    Choice(ClientStatus.REGISTERED, "aangemeld"),
    Choice(ClientStatus.ACTIVE, "actief"),
    Choice(ClientStatus.EXITED, "uitgestroomd"),
    Choice(ClientStatus.TRANSFERRED, "overgedragen"),
    Choice(ClientStatus.PLACED, "geplaatst"),
)
#: Uitstroom reasons: the lists the plans steer on (001:L423 werk, andere inkomsten, onderwijs,
#: verloop, handhaving, overig; 004:L122 adds zelfstandig). The code ``werk`` asks the kind of
#: work and the hours, so a configured list must keep it.
DEFAULT_EXIT_REASONS = (
    "werk",
    Choice("zelfstandig", "zelfstandig beroep/bedrijf"),
    "onderwijs",
    "andere inkomsten",
    "verhuizing",
    "handhaving",
    "overig",
)
#: Case item kinds and how people call them (labels from :data:`bot.caselog.rules.KIND_LABELS`).
ITEM_KINDS = tuple(Choice(kind.value, label) for kind, label in KIND_LABELS.items())
VACANCY_STATUSES = (
    Choice(VacancyStatus.OPEN, "open"),
    Choice(VacancyStatus.FILLED, "vervuld"),
    Choice(VacancyStatus.EXPIRED, "vervallen"),
)
LADDER_STEPS = (
    Choice("1", "1 geïsoleerd"),
    Choice("2", "2 sociale contacten buiten huis"),
    Choice("3", "3 deelname georganiseerde activiteiten"),
    Choice("4", "4 onbetaald werk"),
    Choice("5", "5 betaald werk met ondersteuning"),
    Choice("6", "6 betaald werk"),
)


@dataclass(frozen=True)
class CaselogConfig:
    """``[caselog]``: reference formats and the lists people choose from."""

    #: The default client reference format (a regular expression on the whole reference).
    ref_pattern: str = DEFAULT_PATTERN
    #: Per-team formats: (team name, pattern).
    team_ref_patterns: tuple[tuple[str, str], ...] = ()
    categories: tuple[Choice, ...] = field(default_factory=lambda: choices(DEFAULT_CATEGORIES))
    subcategories: tuple[Choice, ...] = field(
        default_factory=lambda: choices(DEFAULT_SUBCATEGORIES)
    )
    tags: tuple[Choice, ...] = field(default_factory=lambda: choices(DEFAULT_TAGS))
    branches: tuple[Choice, ...] = field(default_factory=lambda: choices(DEFAULT_BRANCHES))
    instruments: tuple[Choice, ...] = field(default_factory=lambda: choices(DEFAULT_INSTRUMENTS))
    place_kinds: tuple[Choice, ...] = field(default_factory=lambda: choices(DEFAULT_PLACE_KINDS))
    #: Why a client left (``/uitstroom``); must hold the code ``werk``.
    exit_reasons: tuple[Choice, ...] = field(default_factory=lambda: choices(DEFAULT_EXIT_REASONS))
    #: How many days back /wijzig can reach for one's own items.
    edit_days: int = 14
    #: Whether ``categories`` was set in ``[caselog]``; otherwise each team's profile gives the
    #: categories and subcategories (see ``bot.settings.resolve``).
    categories_given: bool = False
    #: Likewise for ``subcategories``.
    subcategories_given: bool = False
    #: Whether ``instruments`` was set in ``[caselog]``; otherwise the team's profile adds its
    #: own instruments (Midden-Drenthe's Stark traject) to the list.
    instruments_given: bool = False
    #: Whether ``[caselog] exit_reasons`` was set (else the team's profile gives the reasons).
    exit_reasons_given: bool = False

    def ref_rule(self, team_name: str) -> ReferenceRule:
        """The reference format of the team called ``team_name``."""
        for name, pattern in self.team_ref_patterns:
            if name.casefold() == team_name.casefold():
                return ReferenceRule(pattern)
        return ReferenceRule(self.ref_pattern)
