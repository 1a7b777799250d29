"""The seam for per-team settings: everything that may differ per team (or, later, per
municipality profile) resolved once into one :class:`TeamSettings` value.

The access middleware resolves it once per update (``context.team``), a job once per run per team
(:meth:`bot.runtime.Runtime.settings_for`), and forms get it in their environment. No feature
looks a setting up by team name; a municipality profile plugs in here, in :func:`resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot import profiles
from bot.caselog.catalog import CaselogConfig, Choice
from bot.caselog.references import ReferenceRule
from bot.config import Config, TeamConfig
from bot.deadlines.settings import DeadlinesConfig
from bot.profiles.model import Profile
from bot.route.traject_rules import TrajectSettings
from bot.route.traject_settings import team_settings
from bot.weekdate.rules.schedule import WeekdateSettings


@dataclass(frozen=True)
class TeamSettings:
    """What applies to one team."""

    team_name: str
    #: The format of this team's client references.
    reference_rule: ReferenceRule
    #: The category scheme and the lists of choices (``[caselog]``).
    caselog: CaselogConfig
    #: The team's weekdate slot and agenda time.
    weekdate: WeekdateSettings
    #: Whether the team's linked group gets a references-only copy of the agenda.
    group_copy: bool
    #: Whether the teamleider's agenda comes with the printable PDF.
    agenda_pdf: bool
    #: Days ahead a weekdate on a public holiday is asked about.
    holiday_question_days: int
    #: The reminder engine's rules (intervals, review months, escalation).
    deadlines: DeadlinesConfig
    #: Words of a special category (AVG art. 9) the privacy filter asks about (``[privacy]``).
    special_category_words: tuple[str, ...]
    #: The team's municipality profile (``profile = "…"`` with the team's overrides applied):
    #: what each category means. Ask ``bot.profiles.meaning``, never name a category code.
    profile: Profile = field(default_factory=profiles.default)
    #: Teams whose vacatures this team sees: the teams of this deployment on the same profile
    #: when the profile shares vacatures (004), else none (the team's own list).
    vacancy_teams: tuple[str, ...] = ()
    #: Each instrument's usual and maximum length and extensions (``[trajecten]``).
    trajecten: TrajectSettings = field(default_factory=TrajectSettings)


def _team(config: Config, team_name: str) -> TeamConfig:
    for team in config.teams:
        if team.name == team_name:
            return team
    raise LookupError(f"team {team_name!r} is not configured")


def resolve(config: Config, team_name: str) -> TeamSettings:
    """The settings of the configured team called ``team_name`` (``LookupError`` if none)."""
    team = _team(config, team_name)
    profile = team.profile
    caselog = config.caselog
    # Precedence: the profile's (sub)categories unless [caselog] names its own list.
    if not caselog.categories_given:
        caselog = replace(
            caselog, categories=tuple(Choice(c.code, c.label) for c in profile.categories)
        )
    if not caselog.subcategories_given:
        caselog = replace(
            caselog, subcategories=tuple(Choice(s.code, s.label) for s in profile.subcategories)
        )
    # The uitstroom reasons are the municipality's (001:L423, 002:L932, 004:L122) unless
    # [caselog] names its own; a list without werk would lose the work questions.
    if not caselog.exit_reasons_given and any(r.code == "werk" for r in profile.exit_reasons):
        caselog = replace(
            caselog, exit_reasons=tuple(Choice(r.code, r.label) for r in profile.exit_reasons)
        )
    if not caselog.instruments_given:
        # The profile's instruments join the list, so its limits (bot.route) can be chosen.
        known = {c.code for c in caselog.instruments}
        extra = tuple(Choice(i.code, i.label) for i in profile.instruments if i.code not in known)
        caselog = replace(caselog, instruments=caselog.instruments + extra)
    sharing = (
        tuple(t.name for t in config.teams if t.profile.name == profile.name)
        if profile.shared_vacancies
        else ()
    )
    return TeamSettings(
        team_name=team_name,
        reference_rule=config.caselog.ref_rule(team_name),
        caselog=caselog,
        weekdate=WeekdateSettings(
            weekday=team.weekdate_weekday,
            start=team.weekdate_time,
            duration_minutes=team.weekdate_minutes,
            agenda_time=config.weekdate.agenda_time_for(team_name),
        ),
        group_copy=config.weekdate.group_copy_for(team_name),
        agenda_pdf=config.weekdate.pdf,
        holiday_question_days=config.weekdate.holiday_question_days,
        deadlines=config.deadlines,
        special_category_words=config.privacy.words_for(team_name),
        profile=profile,
        vacancy_teams=sharing,
        trajecten=team_settings(config.trajecten, team_name, profile, team.role_holders),
    )
