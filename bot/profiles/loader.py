"""Reading and validating the profiles (stdlib ``tomllib``).

Precedence, lowest first: the profile's TOML file, then the team's own ``[teams.overrides]``
table in the configuration (same shape as a profile; tables merge key by key, and a list of
tables such as ``[[categories]]`` merges entry by entry on ``code``). The merged result is
validated as a whole, so an override that names a category the profile lacks is refused too.

Every mistake is one :class:`ProfileError` whose Dutch message names the profile, the key and
the line of the file (or "teamconfiguratie" for an override).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bot.core.roles import Role
from bot.profiles.model import (
    AgendaSection,
    Cadence,
    Category,
    ExemptionScopeMeaning,
    ExtraMeeting,
    Figure,
    Instrument,
    Meeting,
    Option,
    PlaceKind,
    Profile,
    RoleVariant,
    Towards,
)

FOLDER = Path(__file__).parent
#: The profile of a team that names none: the behaviour the product had before profiles.
DEFAULT_PROFILE = "dalfsen"


CATEGORY_KEYS = {
    "code",
    "label",
    "counts_as",
    "owner_role",
    "subcategories",
    "lb_appointment",
    "handover_to",
    "participation_contact",
    "first_contact_months",
    "review_months",
    "review_kind",
}
INSTRUMENT_KEYS = {
    "code",
    "label",
    "step_months",
    "max_extensions",
    "max_months",
    "extension_requires",
    "on_max_handover_to",
    "on_max_exempt",
    "owner_role",
    "at_max",
    "seed",
}

#: The longest traject the product allows (``bot.route.traject_rules.ABSOLUTE_MAX_MONTHS``; a
#: test keeps the two equal): a profile's instrument limit beyond it could never be applied.
LONGEST_TRAJECT_MONTHS = 36


def _check_limits(r: _Reader, instrument: Instrument, path: str) -> None:
    """An instrument's months fit a traject, and its usual step does not exceed its maximum:
    the traject engine reads these limits (``bot.settings``), so a wrong one is refused here."""
    for key in ("step_months", "max_months"):
        value = getattr(instrument, key)
        if value is not None and not 1 <= value <= LONGEST_TRAJECT_MONTHS:
            raise r.fail(
                f"{path}.{key}", f"verwacht 1 tot {LONGEST_TRAJECT_MONTHS} maanden, kreeg {value}"
            )
    step, most = instrument.step_months, instrument.max_months
    if step is not None and most is not None and step > most:
        raise r.fail(f"{path}.step_months", "langer dan max_months", step)


class ProfileError(Exception):
    """A profile mistake; the message is one Dutch line."""


def names() -> tuple[str, ...]:
    """The profiles that ship with the product, sorted."""
    return tuple(sorted(path.stem for path in FOLDER.glob("*.toml")))


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if (
        isinstance(base, list)
        and isinstance(override, list)
        and all(isinstance(e, Mapping) and "code" in e for e in [*base, *override])
    ):
        by_code = {entry["code"]: dict(entry) for entry in base}
        for entry in override:
            code = entry["code"]
            by_code[code] = _merge(by_code[code], entry) if code in by_code else dict(entry)
        return list(by_code.values())
    return override


class _Reader:
    """Reads one profile's merged data; errors name the profile, the key and the line."""

    def __init__(self, name: str, text: str, overrides: Mapping[str, Any]) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.overrides = overrides

    def fail(self, key: str, problem: str, value: Any = None) -> ProfileError:
        leaf = key.rsplit(".", 1)[-1].split("[", 1)[0]
        where = "teamconfiguratie" if self._overridden(key) else self._line(leaf, value)
        return ProfileError(f"profiel {self.name}, {key} ({where}): {problem}")

    def _overridden(self, key: str) -> bool:
        top = key.split(".", 1)[0].split("[", 1)[0]
        return top in self.overrides

    def _line(self, leaf: str, value: Any) -> str:
        pattern = re.compile(rf"^\s*{re.escape(leaf)}\s*=")
        hits = [n for n, line in enumerate(self.lines, 1) if pattern.match(line)]
        if value is not None:
            text = str(value)
            hits = [n for n in hits if text in self.lines[n - 1]] or hits
        return f"regel {hits[0]}" if hits else "regel onbekend"

    def known(self, data: Mapping[str, Any], path: str, keys: set[str]) -> None:
        """Refuse a key the loader does not read (a typo would silently mean nothing)."""
        unknown = sorted(set(data) - keys)
        if unknown:
            raise self.fail(f"{path}.{unknown[0]}", "onbekende instelling")

    def text(self, data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{path}.{key}", "verwacht tekst", value)
        return value.strip()

    def number(
        self, data: Mapping[str, Any], key: str, path: str, default: int | None = None
    ) -> int | None:
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
            raise self.fail(f"{path}.{key}", f"verwacht een getal van 0 tot 120, kreeg {value!r}")
        return value

    def flag(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", f"verwacht true of false, kreeg {value!r}", value)
        return value

    def words(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"{path}.{key}", "verwacht een lijst met namen", value)
        return tuple(value)

    def tables(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(key, "verwacht [[" + key + "]]-tabellen")
        return value

    def options(self, data: Mapping[str, Any], key: str) -> tuple[Option, ...]:
        return tuple(
            Option(self.text(e, "code", f"{key}[{i}]"), self.text(e, "label", f"{key}[{i}]"))
            for i, e in enumerate(self.tables(data, key))
        )

    def choice(self, data: Mapping[str, Any], key: str, path: str, allowed: set[str]) -> str:
        value = self.text(data, key, path)
        if value not in allowed:
            raise self.fail(
                f"{path}.{key}",
                f"{value!r} bestaat niet; kies uit {', '.join(sorted(allowed))}",
                value,
            )
        return value


def _roles(r: _Reader, data: Mapping[str, Any]) -> tuple[RoleVariant, ...]:
    product_roles = {role.value for role in Role}
    return tuple(
        RoleVariant(
            r.text(e, "code", f"roles[{i}]"),
            r.text(e, "label", f"roles[{i}]"),
            r.choice(e, "base", f"roles[{i}]", product_roles),
        )
        for i, e in enumerate(r.tables(data, "roles"))
    )


def build(name: str, text: str, overrides: Mapping[str, Any] | None = None) -> Profile:
    """The profile ``name`` from its TOML ``text`` with the team's ``overrides`` applied."""
    overrides = overrides or {}
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profiel {name}: geen geldige TOML: {exc}") from None
    data = _merge(raw, overrides)
    r = _Reader(name, text, overrides)
    head = data.get("profile", {})
    roles = _roles(r, data)
    role_codes = {role.code for role in roles}
    subcategories = r.options(data, "subcategories")
    sub_codes = {s.code for s in subcategories}
    raw_categories = r.tables(data, "categories")
    category_codes = {r.text(e, "code", f"categories[{i}]") for i, e in enumerate(raw_categories)}
    towards = {t.value for t in Towards}
    categories = []
    for i, e in enumerate(raw_categories):
        path = f"categories[{i}]"
        r.known(e, path, CATEGORY_KEYS)
        subs = r.words(e, "subcategories", path)
        for sub in subs:
            if sub not in sub_codes:
                raise r.fail(f"{path}.subcategories", f"subcategorie {sub!r} bestaat niet", sub)
        handover = e.get("handover_to")
        categories.append(
            Category(
                code=r.text(e, "code", path),
                label=r.text(e, "label", path),
                counts_as=Towards(r.choice(e, "counts_as", path, towards)),
                owner_role=r.choice(e, "owner_role", path, role_codes),
                subcategories=subs,
                lb_appointment=r.flag(e, "lb_appointment", path),
                handover_to=(
                    r.choice(e, "handover_to", path, role_codes) if handover is not None else None
                ),
                participation_contact=r.flag(e, "participation_contact", path),
                first_contact_months=r.number(e, "first_contact_months", path, 12) or 12,
                review_months=r.number(e, "review_months", path, 12) or 12,
                review_kind=r.text(e, "review_kind", path, "participatiecontact"),
            )
        )
    if not categories:
        raise r.fail("categories", "een profiel heeft minstens één categorie nodig")
    instruments = []
    for i, e in enumerate(r.tables(data, "instruments")):
        path = f"instruments[{i}]"
        r.known(e, path, INSTRUMENT_KEYS)
        on_max = e.get("on_max_handover_to")
        for code in r.words(e, "on_max_exempt", path):
            if code not in category_codes:
                raise r.fail(f"{path}.on_max_exempt", f"categorie {code!r} bestaat niet", code)
        instruments.append(
            Instrument(
                code=r.text(e, "code", path),
                label=r.text(e, "label", path),
                step_months=r.number(e, "step_months", path),
                max_extensions=r.number(e, "max_extensions", path),
                max_months=r.number(e, "max_months", path),
                extension_requires=r.words(e, "extension_requires", path),
                on_max_handover_to=(
                    r.choice(e, "on_max_handover_to", path, category_codes)
                    if on_max is not None
                    else None
                ),
                on_max_exempt=r.words(e, "on_max_exempt", path),
                owner_role=(
                    r.choice(e, "owner_role", path, role_codes) if "owner_role" in e else None
                ),
                at_max=r.text(e, "at_max", path, "-") if "at_max" in e else "",
                seed=r.text(e, "seed", path, "-") if "seed" in e else "",
            )
        )
        _check_limits(r, instruments[-1], path)
    instrument_codes = {i.code for i in instruments}
    exemptions = data.get("exemptions", {})
    scopes = tuple(
        ExemptionScopeMeaning(
            r.text(e, "code", f"exemptions.scopes[{i}]"),
            r.words(e, "duties", f"exemptions.scopes[{i}]"),
            r.flag(e, "counts_in_share", f"exemptions.scopes[{i}]"),
        )
        for i, e in enumerate(r.tables(exemptions, "scopes"))
    )
    participation = data.get("participation", {})
    meeting_raw = data.get("meeting", {})
    meeting = Meeting(
        cadence=Cadence(r.choice(meeting_raw, "cadence", "meeting", {c.value for c in Cadence})),
        minutes=r.number(meeting_raw, "minutes", "meeting", 30) or 30,
        sections=tuple(
            AgendaSection(
                r.text(e, "key", f"meeting.sections[{i}]"),
                r.text(e, "label", f"meeting.sections[{i}]"),
                r.number(e, "weight", f"meeting.sections[{i}]", 1) or 1,
            )
            for i, e in enumerate(r.tables(meeting_raw, "sections"))
        ),
        extra=tuple(
            ExtraMeeting(
                r.text(e, "name", f"meeting.extra[{i}]"),
                r.number(e, "every_weeks", f"meeting.extra[{i}]") or 0,
                r.choice(e, "owner_role", f"meeting.extra[{i}]", role_codes)
                if "owner_role" in e
                else None,
            )
            for i, e in enumerate(r.tables(meeting_raw, "extra"))
        ),
    )
    place_kinds = tuple(
        PlaceKind(
            r.text(e, "code", f"place_kinds[{i}]"),
            r.text(e, "label", f"place_kinds[{i}]"),
            Towards(r.choice(e, "suits", f"place_kinds[{i}]", towards)),
        )
        for i, e in enumerate(r.tables(data, "place_kinds"))
    )
    for i, e in enumerate(r.tables(data, "rules")):
        # Free-standing rules (deadline kinds the other slices build) name categories, roles
        # and instruments; each name must exist so a typo is refused at start.
        path = f"rules[{i}]"
        if "category" in e:
            r.choice(e, "category", path, category_codes)
        if "owner_role" in e:
            r.choice(e, "owner_role", path, role_codes)
        if "instrument" in e:
            r.choice(e, "instrument", path, instrument_codes)
    return Profile(
        name=name,
        label=r.text(head, "label", "profile"),
        seeds=r.words(head, "seeds", "profile"),
        summary=r.text(head, "summary", "profile"),
        roles=roles,
        categories=tuple(categories),
        subcategories=subcategories,
        place_kinds=place_kinds,
        branches=r.words(data.get("caselog", {}), "branches", "caselog"),
        instruments=tuple(instruments),
        exemption_scopes=scopes,
        exemption_contact_owner=r.choice(exemptions, "contact_owner", "exemptions", role_codes),
        participation_contact_owner=r.choice(
            participation, "owner_role", "participation", role_codes
        ),
        exit_reasons=r.options(data, "exit_reasons"),
        figures=tuple(
            Figure(
                r.text(e, "key", f"figures[{i}]"),
                r.text(e, "label", f"figures[{i}]"),
                str(e.get("target", "")),
            )
            for i, e in enumerate(r.tables(data, "figures"))
        ),
        meeting=meeting,
        shared_vacancies=r.flag(head, "shared_vacancies", "profile"),
    )


def load(name: str, overrides: Mapping[str, Any] | None = None) -> Profile:
    """The shipped profile ``name`` with ``overrides``; ``ProfileError`` if there is none."""
    if name not in names():
        raise ProfileError(f"profiel {name}: bestaat niet; kies uit {', '.join(names())}")
    text = (FOLDER / f"{name}.toml").read_text(encoding="utf-8")
    return build(name, text, overrides)


@cache
def shipped(name: str) -> Profile:
    """The shipped profile ``name`` without overrides (cached: it never changes at run time)."""
    return load(name)


def default() -> Profile:
    """The profile of a team that names none."""
    return shipped(DEFAULT_PROFILE)
