"""Pure rules for trajecten: each instrument's usual and maximum length, how often it may be
extended, and whether an extension fits.

The settings are plain frozen dataclasses read from ``[trajecten]`` (see
:mod:`bot.route.traject_settings`), so a municipality profile can later supply them instead.
Every default names the seed line it comes from; an instrument the seeds give no limit for has
none here (the form's general three-year cap still holds). Time is passed in, never read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.deadlines.rules import DutyOwner, add_months, working_due

#: The longest traject any instrument may run (months), as the form always allowed (3 years).
ABSOLUTE_MAX_MONTHS = 36


@dataclass(frozen=True)
class InstrumentRule:
    """The limits of one instrument (keyed by its ``[caselog] instruments`` code).

    ``usual_months``: the length ``/traject`` fills the end date with (``None``: no default).
    ``max_months``: the longest total length, extensions included (``None``: no seed limit).
    ``max_extensions``: how often it may be extended (``None``: no seed limit).
    ``extension_requires``: what an extension needs, shown when one is asked (Dutch, data).
    ``at_max``: what happens when the maximum is reached (Dutch, data), e.g. a handover.
    ``seed``: where the rule comes from (``003:L419``), shown with a refusal.
    """

    code: str
    usual_months: int | None = None
    max_months: int | None = None
    max_extensions: int | None = None
    extension_requires: str = ""
    at_max: str = ""
    seed: str = ""
    #: At the maximum the client is handed to this category (a profile's data, 004:L81) by a
    #: deadline for ``handover_owner``; clients in ``handover_exempt`` are not (2B, 004:L106).
    handover_to: str | None = None
    #: The receiving category's label (shown in the handover deadline's title).
    handover_label: str = ""
    handover_exempt: tuple[str, ...] = ()
    handover_owner: DutyOwner | None = None

    def __post_init__(self) -> None:
        for name in ("usual_months", "max_months"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= ABSOLUTE_MAX_MONTHS:
                raise ValueError(f"{name} must be 1-{ABSOLUTE_MAX_MONTHS}")
        if self.max_extensions is not None and not 0 <= self.max_extensions <= 12:
            raise ValueError("max_extensions must be 0-12")
        if (
            self.usual_months is not None
            and self.max_months is not None
            and self.usual_months > self.max_months
        ):
            raise ValueError("usual_months may not exceed max_months")


#: The defaults, each with its seed. Instruments not named here have no limits (no seed).
DEFAULT_INSTRUMENT_RULES: tuple[InstrumentRule, ...] = (
    # "maximaal 3 maanden, met een verlenging van maximaal 3 maanden alleen in uitzonderlijke
    # situaties (bijv. ziekte)" (003:L419).
    InstrumentRule(
        "werkstage",
        usual_months=3,
        max_months=6,
        max_extensions=1,
        extension_requires="alleen in uitzonderlijke situaties, zoals ziekte",
        seed="003:L419",
    ),
    # 3 months, at most two extensions of 3 months: 9 in all. Midden-Drenthe's rule (003:L423);
    # Dalfsen says 3-6 months on average (001:L156), so a profile may lower it.
    InstrumentRule(
        "taalstage",
        usual_months=3,
        max_months=9,
        max_extensions=2,
        extension_requires="een evaluatie van de leerdoelen",
        seed="003:L423",
    ),
    # The Stark traject: 3 months, at most two extensions (003:L411).
    InstrumentRule(
        "extern_re_integratietraj",
        usual_months=3,
        max_months=9,
        max_extensions=2,
        extension_requires="een voortgangsgesprek met cliënt en uitvoerder",
        seed="003:L411",
    ),
    # At most 24 months, then a handover (004:L81). The seed gives no usual length, only the
    # maximum; categorie 2B has no such cap (004:L106), so a 2B route is logged otherwise.
    InstrumentRule(
        "ontwikkelroute",
        usual_months=24,
        max_months=24,
        max_extensions=0,
        at_max="overdracht naar participatie",
        seed="004:L81",
    ),
)


@dataclass(frozen=True)
class TrajectSettings:
    """The instrument rules that apply to one team."""

    rules: tuple[InstrumentRule, ...] = field(default_factory=lambda: DEFAULT_INSTRUMENT_RULES)

    def rule(self, instrument: str) -> InstrumentRule:
        """The rule of ``instrument`` (a code); one without limits when none is configured."""
        for rule in self.rules:
            if rule.code == instrument:
                return rule
        return InstrumentRule(instrument)

    def with_overrides(self, overrides: Iterable[InstrumentRule]) -> TrajectSettings:
        """These settings with ``overrides`` replacing the rules of the same code."""
        by_code: dict[str, InstrumentRule] = {r.code: r for r in self.rules}
        for rule in overrides:
            by_code[rule.code] = rule
        return TrajectSettings(tuple(by_code.values()))


@dataclass(frozen=True)
class TrajectConfig:
    """``[trajecten]``: the default instrument rules and per-team ones."""

    default: TrajectSettings = field(default_factory=TrajectSettings)
    teams: Mapping[str, TrajectSettings] = field(default_factory=dict)
    #: The validated ``[trajecten]`` section itself, so a team's profile can be put under it
    #: (``bot.route.traject_settings.team_settings``).
    raw: Mapping[str, object] = field(default_factory=dict)

    def for_team(self, team_name: str) -> TrajectSettings:
        """The rules of the team called ``team_name``."""
        for name, settings in self.teams.items():
            if name.casefold() == team_name.casefold():
                return settings
        return self.default


# --- dates ---------------------------------------------------------------------------------------


def usual_end(rule: InstrumentRule, start: date) -> date | None:
    """The end ``/traject`` proposes: the usual length after the start (``None``: no default)."""
    if rule.usual_months is None:
        return None
    return add_months(start, rule.usual_months)


def latest_end(rule: InstrumentRule, start: date) -> date:
    """The latest end the instrument allows: its maximum, else the general cap."""
    return add_months(start, rule.max_months or ABSOLUTE_MAX_MONTHS)


def limit_due(rule: InstrumentRule, start: date, end: date | None) -> date | None:
    """The "maximum reached" deadline: when the instrument has a maximum that the planned end
    does not already reach (then the end deadline says it all). On a working day."""
    if rule.max_months is None:
        return None
    limit = add_months(start, rule.max_months)
    if end is not None and end >= limit:
        return None
    return working_due(limit)


# --- extensions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionRefused:
    """An extension the instrument does not allow: ``reason`` is ``count`` (too many) or
    ``length`` (past the maximum total length); the rule says which limit and cites the seed."""

    reason: str
    rule: InstrumentRule
    extensions: int
    latest: date


def check_extension(
    rule: InstrumentRule, *, start: date, current_end: date | None, new_end: date, extensions: int
) -> ExtensionRefused | None:
    """``None`` when extending to ``new_end`` (the ``extensions + 1``-th time) is allowed.

    The caller has already checked that ``new_end`` is a date after the current end.
    """
    latest = latest_end(rule, start)
    if rule.max_extensions is not None and extensions >= rule.max_extensions:
        return ExtensionRefused("count", rule, extensions, latest)
    if new_end > latest:
        return ExtensionRefused("length", rule, extensions, latest)
    return None


class TrajectProblem(ValueError):
    """Impossible input for a traject (``code``: ``end_before_start``, ``end_not_later``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_new_end(current_end: date | None, start: date, new_end: date) -> date:
    """An extension's new end lies after the current end (or the start, without one)."""
    if new_end <= (current_end or start):
        raise TrajectProblem("end_not_later")
    return new_end


def check_end(start: date, end: date | None) -> date | None:
    """A traject's end lies after its start."""
    if end is not None and end <= start:
        raise TrajectProblem("end_before_start")
    return end


def handover_due(rule: InstrumentRule, start: date, category: str | None) -> date | None:
    """When a traject of ``rule`` hands a client in ``category`` over at its maximum (on a
    working day), or ``None``: no handover for this instrument or this category."""
    if rule.handover_to is None or rule.max_months is None or category in rule.handover_exempt:
        return None
    return working_due(add_months(start, rule.max_months))
