"""The ``[trajecten]`` configuration section: per instrument its usual and maximum length, how
often it may be extended, what an extension requires; per team overrides.

``parse_trajecten`` raises ``ValueError`` with a Dutch message naming the key, which
``bot.config`` wraps in its ``ConfigError`` (as ``[deadlines]`` does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.core.roles import Role
from bot.deadlines.rules import DutyOwner
from bot.profiles import meaning
from bot.profiles.model import Instrument, Profile
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


def instrument_rule(
    instrument: Instrument,
    profile: Profile | None = None,
    holders: Mapping[str, tuple[int, ...]] | None = None,
) -> InstrumentRule:
    """A profile's instrument as the traject engine's rule: the usual length is one step (else
    the maximum); without a stated maximum, a step with a fixed number of extensions gives one
    (Stark: 3 months and two extensions of 3 is 9 months, 003:L411)."""
    step, most, extensions = (
        instrument.step_months,
        instrument.max_months,
        instrument.max_extensions,
    )
    if most is None and step is not None and extensions is not None:
        most = min(step * (1 + extensions), ABSOLUTE_MAX_MONTHS)
    handover: DutyOwner | None = None
    target = profile.category(instrument.on_max_handover_to) if profile else None
    if profile is not None and target is not None:
        # The receiving category's own role takes the client (participation: the consulent
        # Inkomen, 004:L275, L338).
        base = meaning.base_role(profile, target.owner_role)
        if base is not None:
            handover = DutyOwner(
                target.owner_role, Role(base), (holders or {}).get(target.owner_role, ())
            )
    return InstrumentRule(
        instrument.code,
        handover_to=target.code if target else None,
        handover_label=target.label if target else "",
        handover_exempt=instrument.on_max_exempt,
        handover_owner=handover,
        usual_months=step or most,
        max_months=most,
        max_extensions=extensions,
        extension_requires=", ".join(instrument.extension_requires),
        at_max=instrument.at_max,
        seed=instrument.seed,
    )


def profile_settings(
    profile: Profile, holders: Mapping[str, tuple[int, ...]] | None = None
) -> TrajectSettings:
    """The seed defaults with the profile's instruments over them: an instrument the profile
    names follows the profile (Dalfsen's taalstage is not Midden-Drenthe's nine months, 001:L156
    vs 003:L423); one it does not name keeps the product default."""
    return TrajectSettings(DEFAULT_INSTRUMENT_RULES).with_overrides(
        instrument_rule(i, profile, holders) for i in profile.instruments
    )


def _layered(
    section: Mapping[str, Any],
    team_key: str | None,
    profile: Profile | None,
    holders: Mapping[str, tuple[int, ...]] | None = None,
) -> TrajectSettings:
    """Product defaults, the profile's instruments, ``[trajecten.instruments]``, then the team's
    own table (``team_key``: its spelling in the config, ``None`` without one)."""
    settings = (
        profile_settings(profile, holders) if profile else TrajectSettings(DEFAULT_INSTRUMENT_RULES)
    )
    instruments = _table(section.get("instruments", {}), "trajecten.instruments")
    settings = settings.with_overrides(_rules(instruments, "trajecten.instruments", settings))
    if team_key is not None:
        key = f'trajecten.teams."{team_key}"'
        own = _table(_table(section.get("teams", {}), "trajecten.teams")[team_key], key)
        settings = settings.with_overrides(_rules(own, key, settings))
    return settings


def _team_key(section: Mapping[str, Any], team_name: str) -> str | None:
    teams = _table(section.get("teams", {}), "trajecten.teams")
    return next((k for k in teams if k.casefold() == team_name.casefold()), None)


def team_settings(
    config: TrajectConfig,
    team_name: str,
    profile: Profile,
    holders: Mapping[str, tuple[int, ...]] | None = None,
) -> TrajectSettings:
    """The instrument rules of ``team_name`` on ``profile``: product defaults, then the
    profile's instruments, then ``[trajecten.instruments]``, then the team's own table (the
    section was validated at start by :func:`parse_trajecten`)."""
    return _layered(config.raw, _team_key(config.raw, team_name), profile, holders)


def parse_trajecten(
    raw: Any, team_names: Iterable[str], profiles: Mapping[str, Profile] | None = None
) -> TrajectConfig:
    """``[trajecten]``: ``[trajecten.instruments.<code>]`` tables over the seed defaults, and
    ``[trajecten.teams."<team>".<code>]`` tables over those for one team.

    ``profiles`` (team name -> the team's profile) puts each team's profile between the product
    defaults and the tables (see :func:`team_settings`); every team's combination is checked
    here, at start, so a table that does not fit a team's profile is one clear line."""
    section = _table(raw, "trajecten")
    unknown = sorted(set(section) - {"instruments", "teams"})
    if unknown:
        raise ValueError(f"trajecten.{unknown[0]}: onbekende instelling")
    names = list(team_names)
    known = {name.casefold() for name in names}
    for team in _table(section.get("teams", {}), "trajecten.teams"):
        if team.casefold() not in known:
            raise ValueError(f'trajecten.teams."{team}": er is geen team met die naam')
    default = _layered(section, None, None)
    teams = {
        name: _layered(section, _team_key(section, name), (profiles or {}).get(name))
        for name in names
    }
    return TrajectConfig(default=default, teams=teams, raw=dict(section))
