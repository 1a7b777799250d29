"""The ``[trajecten]`` configuration section: per instrument its usual and maximum length, how
often it may be extended, what an extension requires; per team overrides.

``parse_trajecten`` raises ``ValueError`` with a Dutch message naming the key, which
``bot.config`` wraps in its ``ConfigError`` (as ``[deadlines]`` does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.route.traject_rules import (
    ABSOLUTE_MAX_MONTHS,
    DEFAULT_INSTRUMENT_RULES,
    InstrumentRule,
    TrajectConfig,
    TrajectSettings,
)

_NUMBERS = {
    "usual_months": (1, ABSOLUTE_MAX_MONTHS),
    "max_months": (1, ABSOLUTE_MAX_MONTHS),
    "max_extensions": (0, 12),
}
_TEXTS = {"extension_requires": 200, "at_max": 100, "seed": 40}


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{key}: moet een tabel zijn")
    return value


def _rule(base: InstrumentRule, raw: Any, key: str) -> InstrumentRule:
    """``base`` with the keys of ``raw`` applied; ``0`` months means "no limit"."""
    changes: dict[str, Any] = {}
    for name, value in _table(raw, key).items():
        where = f"{key}.{name}"
        if name in _NUMBERS:
            low, high = _NUMBERS[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{where}: verwacht een geheel getal, kreeg {value!r}")
            if name != "max_extensions" and value == 0:
                changes[name] = None
                continue
            if not low <= value <= high:
                raise ValueError(f"{where}: moet tussen {low} en {high} liggen, kreeg {value}")
            changes[name] = value
        elif name in _TEXTS:
            if not isinstance(value, str) or len(value) > _TEXTS[name]:
                raise ValueError(f"{where}: verwacht tekst van hoogstens {_TEXTS[name]} tekens")
            changes[name] = value.strip()
        else:
            raise ValueError(f"{where}: onbekende instelling")
    try:
        return replace(base, **changes)
    except ValueError:
        raise ValueError(
            f"{key}: de gebruikelijke duur (usual_months) is langer dan de maximale (max_months)"
        ) from None


def _rules(raw: Mapping[str, Any], key: str, base: TrajectSettings) -> Iterable[InstrumentRule]:
    for code, value in raw.items():
        yield _rule(base.rule(code), value, f"{key}.{code}")


def parse_trajecten(raw: Any, team_names: Iterable[str]) -> TrajectConfig:
    """``[trajecten]``: ``[trajecten.instruments.<code>]`` tables over the seed defaults, and
    ``[trajecten.teams."<team>".<code>]`` tables over those for one team."""
    section = _table(raw, "trajecten")
    unknown = sorted(set(section) - {"instruments", "teams"})
    if unknown:
        raise ValueError(f"trajecten.{unknown[0]}: onbekende instelling")
    base = TrajectSettings(DEFAULT_INSTRUMENT_RULES)
    instruments = _table(section.get("instruments", {}), "trajecten.instruments")
    default = base.with_overrides(_rules(instruments, "trajecten.instruments", base))
    known = {name.casefold(): name for name in team_names}
    teams: dict[str, TrajectSettings] = {}
    for team, value in _table(section.get("teams", {}), "trajecten.teams").items():
        key = f'trajecten.teams."{team}"'
        if team.casefold() not in known:
            raise ValueError(f"{key}: er is geen team met die naam")
        teams[known[team.casefold()]] = default.with_overrides(
            _rules(_table(value, key), key, default)
        )
    return TrajectConfig(default=default, teams=teams)
