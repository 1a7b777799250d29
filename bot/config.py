"""Configuration: a TOML file loaded into frozen dataclasses, validated once at start.

Every mistake becomes one :class:`ConfigError` naming the key, which the CLI prints as one line
with exit code 2. Environment variables override the file (see :data:`ENV_OVERRIDES`).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot import profiles
from bot.caselog.catalog import (
    DEFAULT_BRANCHES,
    DEFAULT_CATEGORIES,
    DEFAULT_EXIT_REASONS,
    DEFAULT_INSTRUMENTS,
    DEFAULT_PLACE_KINDS,
    DEFAULT_SUBCATEGORIES,
    DEFAULT_TAGS,
    CaselogConfig,
    Choice,
    choices,
)
from bot.caselog.references import DEFAULT_PATTERN, compile_pattern
from bot.core.roles import Role
from bot.deadlines.rules import DutyOwner
from bot.deadlines.settings import DeadlinesConfig, parse_deadlines
from bot.privacy.rules import DEFAULT_SPECIAL_CATEGORY_WORDS
from bot.profiles import meaning
from bot.profiles.model import Profile
from bot.records.rules import Retention
from bot.route.traject_rules import TrajectConfig
from bot.route.traject_settings import parse_trajecten

DEFAULT_CONFIG_PATH = Path("config.toml")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/weekdate.sqlite"
#: Console mode's own database: its made-up colleagues never become the Telegram bot's staff.
CONSOLE_DATABASE_URL = "sqlite+aiosqlite:///data/console.sqlite"

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

#: Environment variables and what they override.
ENV_OVERRIDES = (
    "BOT_CONFIG",
    "BOT_TOKEN",
    "DATABASE_URL",
    "TELEGRAM_BASE_URL",
    "TELEGRAM_BASE_FILE_URL",
    "BOT_ADMINS",
)


class ConfigError(Exception):
    """A configuration mistake; the (Dutch) message names the key and is shown as one line."""


@dataclass(frozen=True)
class WebhookConfig:
    """Webhook mode: Telegram posts updates to ``url``; a reverse proxy terminates TLS."""

    url: str = ""
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    """How to reach the Bot API."""

    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: str = "polling"
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True)
class TeamConfig:
    """A team and its weekdate slot."""

    name: str
    weekdate_weekday: int = 1  # Monday is 0; default dinsdag
    weekdate_time: time = time(10, 0)
    weekdate_minutes: int = 30
    #: The team's municipality profile with the team's ``[teams.overrides]`` applied.
    profile: Profile = field(default_factory=profiles.default)
    #: Profile role code -> Telegram ids of the members holding that variant (``role_holders``):
    #: who the consulent Inkomen is when the profile splits the consulenten (004:L338).
    role_holders: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class WeekdateTeamConfig:
    """One team's own agenda settings (``[[weekdate.teams]]``); unset values use the defaults."""

    name: str
    agenda_time: time | None = None
    group_copy: bool | None = None


@dataclass(frozen=True)
class WeekdateConfig:
    """The weekdate: when the agenda goes out and who gets what (``[weekdate]``)."""

    #: Local time on the working day before the weekdate when the agenda goes out.
    agenda_time: time = time(16, 0)
    #: Post a copy with references and item types only in the team's linked group.
    group_copy: bool = True
    #: Attach the printable A4 PDF to the teamleider's agenda.
    pdf: bool = True
    #: Ask what to do with a weekdate on a public holiday this many days ahead.
    holiday_question_days: int = 7
    #: Per-team exceptions to ``agenda_time`` and ``group_copy``.
    teams: tuple[WeekdateTeamConfig, ...] = ()

    def _team(self, team_name: str) -> WeekdateTeamConfig | None:
        return next((t for t in self.teams if t.name == team_name), None)

    def agenda_time_for(self, team_name: str) -> time:
        """When ``team_name``'s agenda goes out."""
        own = self._team(team_name)
        return own.agenda_time if own and own.agenda_time is not None else self.agenda_time

    def group_copy_for(self, team_name: str) -> bool:
        """Whether ``team_name``'s group gets a copy."""
        own = self._team(team_name)
        return own.group_copy if own and own.group_copy is not None else self.group_copy


@dataclass(frozen=True)
class BackupConfig:
    """The daily backup job (``[backup]``); SQLite only (PostgreSQL: pg_dump, see README)."""

    #: Folder for the snapshots (relative to the working directory, or absolute).
    folder: str = "data/backups"
    #: How many snapshots to keep; older ones are deleted after each new one.
    keep: int = 7
    #: Local time of the daily snapshot.
    time: time = time(2, 30)
    #: Whether the daily job runs at all (``python -m bot backup`` works either way).
    daily: bool = True


@dataclass(frozen=True)
class PrivacyConfig:
    """The privacy filter's word list (``[privacy]``): words of a special category (AVG art. 9
    and 10) that make the bot ask before it stores a text."""

    special_category_words: tuple[str, ...] = DEFAULT_SPECIAL_CATEGORY_WORDS
    #: Per team, by team name: a list that replaces the general one for that team.
    team_special_category_words: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def words_for(self, team_name: str) -> tuple[str, ...]:
        """The special-category words of ``team_name``."""
        for name, words in self.team_special_category_words:
            if name.casefold() == team_name.casefold():
                return words
        return self.special_category_words


@dataclass(frozen=True)
class Config:
    """Everything the bot is configured with."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    database_url: str = DEFAULT_DATABASE_URL
    #: The setting ``database_url`` came from, named when the database cannot be reached.
    database_setting: str = "database.url"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Amsterdam"))
    admins: tuple[int, ...] = ()
    teams: tuple[TeamConfig, ...] = (TeamConfig(name="Team Werk"),)
    #: Minutes of silence after which a form ends.
    form_timeout_minutes: int = 30
    #: Hours an invitation code stays valid.
    invitation_hours: int = 72
    #: Seconds an access lookup (who is this, which team owns this group) is served from memory;
    #: a change in this process is seen at once, one made by another worker within this time.
    access_cache_seconds: int = 30
    #: The reminder engine (``[deadlines]``).
    deadlines: DeadlinesConfig = field(default_factory=DeadlinesConfig)
    #: ``[caselog]``: reference formats and the lists of choices.
    caselog: CaselogConfig = field(default_factory=CaselogConfig)
    weekdate: WeekdateConfig = field(default_factory=WeekdateConfig)
    #: ``[backup]``: the daily snapshot and how many are kept.
    backup: BackupConfig = field(default_factory=BackupConfig)
    #: ``[retention]``: how long each kind of record is kept.
    retention: Retention = field(default_factory=Retention)
    #: ``[privacy]``: the special-category words the privacy filter asks about.
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    #: ``[logging] format``: "text" (one readable line) or "json" (one JSON object per line).
    log_format: str = "text"

    #: ``[trajecten]``: each instrument's usual and maximum length and extensions.
    trajecten: TrajectConfig = field(default_factory=TrajectConfig)


# --- parsing helpers -------------------------------------------------------------------------


class _Section:
    """A TOML table being read; remembers which keys were used so unknown ones are errors."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(
                f"{path}: moet een tabel zijn" if path else "config: verwacht een tabel"
            )
        self.data = dict(data)
        self.path = path
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, default: Any = None) -> Any:
        self.used.add(name)
        return self.data.get(name, default)

    def text(self, name: str, default: str) -> str:
        value = self.get(name, default)
        if not isinstance(value, str):
            raise ConfigError(f"{self.key(name)}: verwacht tekst, kreeg {value!r}")
        return value

    def number(self, name: str, default: int, low: int, high: int) -> int:
        value = self.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{self.key(name)}: verwacht een geheel getal, kreeg {value!r}")
        if not low <= value <= high:
            raise ConfigError(
                f"{self.key(name)}: moet tussen {low} en {high} liggen, kreeg {value}"
            )
        return value

    def section(self, name: str) -> _Section:
        return _Section(self.get(name, {}), self.key(name))

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ConfigError(f"{self.key(unknown[0])}: onbekende instelling")


def parse_time(text: str, key: str) -> time:
    """``HH:MM`` (24-hour) as a time."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise ConfigError(f"{key}: verwacht een tijd als UU:MM, kreeg {text!r}")
    return time(int(match.group(1)), int(match.group(2)))


def parse_weekday(value: Any, key: str) -> int:
    """A Dutch weekday name (``dinsdag``) as 0–6, Monday 0."""
    if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower())
    raise ConfigError(f"{key}: verwacht een weekdag ({', '.join(WEEKDAYS)}), kreeg {value!r}")


def parse_timezone(value: Any, key: str) -> ZoneInfo:
    """An IANA timezone name."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key}: verwacht een tijdzone zoals Europe/Amsterdam")
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{key}: onbekende tijdzone {value!r}") from exc


def parse_http_url(value: str, key: str, *, allow_empty: bool = False) -> str:
    """An absolute http(s) URL."""
    if allow_empty and not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ConfigError(f"{key}: verwacht een http(s)-URL, kreeg {value!r}")
    return value


def parse_database_url(value: str, key: str) -> str:
    """An SQLAlchemy URL with an async driver we ship."""
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ConfigError(f"{key}: geen database-URL: {value!r}") from exc
    if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ConfigError(
            f"{key}: gebruik sqlite+aiosqlite:///… of postgresql+asyncpg://…, "
            f"kreeg {url.drivername!r}"
        )
    return value


def parse_admins(value: Any, key: str) -> tuple[int, ...]:
    """Telegram user ids, from a TOML list or a comma-separated string."""
    items: list[Any]
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise ConfigError(f"{key}: verwacht een lijst met Telegram-gebruikers-id's")
    admins: list[int] = []
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not re.fullmatch(r"\d{1,15}", text):
            raise ConfigError(f"{key}: {item!r} is geen Telegram-gebruikers-id")
        admins.append(int(text))
    return tuple(admins)


def _parse_team(raw: Any, key: str) -> TeamConfig:
    section = _Section(raw, key)
    name = section.text("name", "").strip()
    if not name or len(name) > 100:
        raise ConfigError(
            f"{section.key('name')}: een team heeft een naam van 1 tot 100 tekens nodig"
        )
    team = TeamConfig(
        name=name,
        weekdate_weekday=parse_weekday(
            section.get("weekdate_weekday", "dinsdag"), section.key("weekdate_weekday")
        ),
        weekdate_time=parse_time(
            section.text("weekdate_time", "10:00"), section.key("weekdate_time")
        ),
        weekdate_minutes=section.number("weekdate_minutes", 30, 10, 240),
        profile=_team_profile(section),
    )
    team = replace(team, role_holders=_role_holders(section, team.profile))
    section.finish()
    return team


def _role_holders(section: _Section, profile: Profile) -> dict[str, tuple[int, ...]]:
    """``role_holders = { inkomensconsulent = [123, …] }``: each key a role of the team's
    profile, each value the Telegram ids holding it."""
    raw = section.get("role_holders", {})
    key = section.key("role_holders")
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{key}: verwacht een tabel rol = [Telegram-gebruikers-id's]")
    holders: dict[str, tuple[int, ...]] = {}
    for role, ids in raw.items():
        if profile.role(role) is None:
            known = ", ".join(r.code for r in profile.roles)
            raise ConfigError(
                f"{key}.{role}: profiel {profile.name} kent die rol niet (wel: {known})"
            )
        holders[role] = parse_admins(ids, f"{key}.{role}")
    return holders


def _team_profile(section: _Section) -> Profile:
    """``profile = "…"`` (default: the product's default profile) with ``[teams.overrides]``."""
    name = section.text("profile", profiles.DEFAULT_PROFILE).strip()
    overrides = section.get("overrides", {})
    if not isinstance(overrides, Mapping):
        raise ConfigError(f"{section.key('overrides')}: verwacht een tabel zoals een profiel")
    try:
        return profiles.load(name, overrides)
    except profiles.ProfileError as exc:
        raise ConfigError(f"{section.key('profile')}: {exc}") from None


def _profile_deadlines(
    deadlines: DeadlinesConfig, given: Any, teams: tuple[TeamConfig, ...]
) -> DeadlinesConfig:
    """The participation categories and their contact rhythm from the teams' profiles, unless
    ``[deadlines]`` names the categories itself (then the profile's rhythm still applies).

    The reminder sweep serves every team at once, so two teams whose profiles give one category
    code two different rhythms are refused at start rather than guessed between."""
    rhythm: dict[str, tuple[int, int]] = {}
    owner: dict[str, str] = {}
    for team in teams:
        for code, months in meaning.contact_rhythm(team.profile).items():
            if code in rhythm and rhythm[code] != months:
                raise ConfigError(
                    f"teams: profiel {team.profile.name} geeft categorie {code!r} een ander "
                    f"contactritme dan profiel {owner[code]}; zet deze teams in aparte installaties"
                )
            rhythm[code] = months
            owner[code] = team.profile.name
    categories = deadlines.participation_categories
    if not (isinstance(given, Mapping) and "participation_categories" in given):
        categories = frozenset(rhythm)
    return replace(
        deadlines,
        participation_categories=categories,
        contact_rhythm=rhythm,
        duty_owners={team.name.casefold(): _duty_owners(team) for team in teams},
    )


#: The recurring duties whose owner a profile names (``bot.profiles.meaning.owner_role_for``).
DUTIES = ("participation_contact", "exemption_contact")


def _duty_owners(team: TeamConfig) -> dict[str, DutyOwner]:
    """Who owns each duty in ``team``: the profile's role, its product role, its holders."""
    owners: dict[str, DutyOwner] = {}
    for duty in DUTIES:
        role = meaning.owner_role_for(team.profile, duty)
        base = meaning.base_role(team.profile, role)
        if base is not None:
            owners[duty] = DutyOwner(role, Role(base), team.role_holders.get(role, ()))
    return owners


def _choice_list(
    section: _Section, name: str, default: tuple[str | Choice, ...]
) -> tuple[Choice, ...]:
    """A list of choices: names (code = slug of the name) or ``{code = "…", label = "…"}``."""
    value = section.get(name, None)
    if value is None:
        return choices(default)
    key = section.key(name)
    if not isinstance(value, list) or not value or len(value) > 40:
        raise ConfigError(f"{key}: verwacht een lijst van 1 tot 40 namen")
    entries: list[str | Choice] = []
    for item in value:
        if isinstance(item, Mapping):
            entry = _Section(item, key)
            code, label = entry.text("code", ""), entry.text("label", "")
            entry.finish()
            if not label.strip() or len(label) > 40:
                raise ConfigError(f"{key}: elk label is tekst van 1 tot 40 tekens, kreeg {label!r}")
            entries.append(Choice(code, label.strip()))
        elif isinstance(item, str) and item.strip() and len(item) <= 40:
            entries.append(item)
        else:
            raise ConfigError(f"{key}: elke naam is tekst van 1 tot 40 tekens, kreeg {item!r}")
    try:
        return choices(entries)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def _ref_pattern(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key}: verwacht een reguliere expressie als tekst")
    try:
        compile_pattern(value)
    except re.error as exc:
        raise ConfigError(f"{key}: geen geldige reguliere expressie: {exc}") from None
    return value


def _exit_reasons(section: _Section) -> tuple[Choice, ...]:
    """``exit_reasons``: a choice list that keeps ``werk`` (it asks the kind of work)."""
    reasons = _choice_list(section, "exit_reasons", DEFAULT_EXIT_REASONS)
    if "werk" not in {reason.code for reason in reasons}:
        raise ConfigError(f"{section.key('exit_reasons')}: de lijst moet 'werk' bevatten")
    return reasons


def parse_caselog(section: _Section, team_names: list[str]) -> CaselogConfig:
    """``[caselog]``: reference formats and the lists of choices."""
    pattern = _ref_pattern(section.get("ref_pattern", DEFAULT_PATTERN), section.key("ref_pattern"))
    per_team = section.section("team_ref_patterns")
    known = {name.casefold() for name in team_names}
    team_patterns: list[tuple[str, str]] = []
    for name, value in per_team.data.items():
        per_team.get(name)
        if name.casefold() not in known:
            raise ConfigError(f"{per_team.key(name)}: er is geen team met die naam")
        team_patterns.append((name, _ref_pattern(value, per_team.key(name))))
    per_team.finish()
    config = CaselogConfig(
        ref_pattern=pattern,
        team_ref_patterns=tuple(team_patterns),
        categories=_choice_list(section, "categories", DEFAULT_CATEGORIES),
        subcategories=_choice_list(section, "subcategories", DEFAULT_SUBCATEGORIES),
        tags=_choice_list(section, "tags", DEFAULT_TAGS),
        branches=_choice_list(section, "branches", DEFAULT_BRANCHES),
        instruments=_choice_list(section, "instruments", DEFAULT_INSTRUMENTS),
        place_kinds=_choice_list(section, "place_kinds", DEFAULT_PLACE_KINDS),
        exit_reasons=_exit_reasons(section),
        edit_days=section.number("edit_days", 14, 1, 90),
        categories_given="categories" in section.data,
        subcategories_given="subcategories" in section.data,
        instruments_given="instruments" in section.data,
        exit_reasons_given="exit_reasons" in section.data,
    )
    section.finish()
    return config


def _flag(section: _Section, name: str, default: bool) -> bool:
    value = section.get(name, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{section.key(name)}: verwacht true of false, kreeg {value!r}")
    return value


def _parse_weekdate(section: _Section) -> WeekdateConfig:
    raw_teams = section.get("teams", [])
    if not isinstance(raw_teams, list):
        raise ConfigError(f"{section.key('teams')}: verwacht [[weekdate.teams]]-tabellen")
    overrides: list[WeekdateTeamConfig] = []
    for index, raw in enumerate(raw_teams):
        team = _Section(raw, f"{section.key('teams')}[{index}]")
        name = team.text("name", "").strip()
        if not name:
            raise ConfigError(f"{team.key('name')}: noem het team waarvoor dit geldt")
        agenda_time = team.get("agenda_time")
        overrides.append(
            WeekdateTeamConfig(
                name=name,
                agenda_time=(
                    parse_time(team.text("agenda_time", ""), team.key("agenda_time"))
                    if agenda_time is not None
                    else None
                ),
                group_copy=(_flag(team, "group_copy", True) if "group_copy" in team.data else None),
            )
        )
        team.finish()
    result = WeekdateConfig(
        agenda_time=parse_time(section.text("agenda_time", "16:00"), section.key("agenda_time")),
        group_copy=_flag(section, "group_copy", True),
        pdf=_flag(section, "pdf", True),
        holiday_question_days=section.number("holiday_question_days", 7, 1, 28),
        teams=tuple(overrides),
    )
    section.finish()
    return result


def parse_config(data: Mapping[str, Any], env: Mapping[str, str]) -> Config:
    """Build and validate a :class:`Config` from parsed TOML and the environment."""
    root = _Section(data, "")

    tg = root.section("telegram")
    hook = tg.section("webhook")
    webhook = WebhookConfig(
        url=parse_http_url(hook.text("url", ""), hook.key("url"), allow_empty=True),
        listen=hook.text("listen", "127.0.0.1"),
        port=hook.number("port", 8443, 1, 65535),
        secret_token=hook.text("secret_token", ""),
    )
    hook.finish()
    mode = tg.text("mode", "polling")
    if mode not in ("polling", "webhook"):
        raise ConfigError(f"telegram.mode: verwacht 'polling' of 'webhook', kreeg {mode!r}")
    # Read the file's values first so they count as known keys, then let the environment win.
    file_token = tg.text("token", "")
    file_base = tg.text("base_url", TelegramConfig.base_url)
    file_files = tg.text("base_file_url", TelegramConfig.base_file_url)
    base_key = "TELEGRAM_BASE_URL" if env.get("TELEGRAM_BASE_URL") else "telegram.base_url"
    files_key = (
        "TELEGRAM_BASE_FILE_URL" if env.get("TELEGRAM_BASE_FILE_URL") else "telegram.base_file_url"
    )
    telegram = TelegramConfig(
        token=env.get("BOT_TOKEN") or file_token,
        base_url=parse_http_url(env.get("TELEGRAM_BASE_URL") or file_base, base_key),
        base_file_url=parse_http_url(env.get("TELEGRAM_BASE_FILE_URL") or file_files, files_key),
        mode=mode,
        webhook=webhook,
    )
    if mode == "webhook" and not webhook.url:
        raise ConfigError("telegram.webhook.url: de webhookmodus heeft de publieke https-URL nodig")
    # Without the secret anyone who finds the URL can post forged updates as any staff member.
    if mode == "webhook" and not webhook.secret_token:
        raise ConfigError(
            "telegram.webhook.secret_token: de webhookmodus heeft een geheim token nodig "
            "(1 tot 256 tekens uit A-Z, a-z, 0-9, _ en -)"
        )
    if webhook.secret_token and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", webhook.secret_token):
        raise ConfigError(
            "telegram.webhook.secret_token: gebruik 1 tot 256 tekens uit A-Z, a-z, 0-9, _ en -"
        )
    tg.finish()

    db = root.section("database")
    file_database_url = db.text("url", DEFAULT_DATABASE_URL)
    database_setting = "DATABASE_URL" if env.get("DATABASE_URL") else "database.url"
    database_url = parse_database_url(
        env.get("DATABASE_URL") or file_database_url, database_setting
    )
    db.finish()

    general = root.section("bot")
    timezone = parse_timezone(general.get("timezone", "Europe/Amsterdam"), "bot.timezone")
    admins = parse_admins(general.get("admins", []), "bot.admins")
    if env.get("BOT_ADMINS"):
        admins = parse_admins(env["BOT_ADMINS"], "BOT_ADMINS")
    form_timeout = general.number("form_timeout_minutes", 30, 1, 24 * 60)
    invitation_hours = general.number("invitation_hours", 72, 1, 24 * 30)
    access_cache_seconds = general.number("access_cache_seconds", 30, 0, 3600)
    general.finish()

    weekdate = _parse_weekdate(root.section("weekdate"))

    raw_teams = root.get("teams", [{"name": "Team Werk"}])
    if not isinstance(raw_teams, list) or not raw_teams:
        raise ConfigError("teams: definieer minstens één [[teams]]-tabel met een naam")
    teams = tuple(_parse_team(raw, f"teams[{i}]") for i, raw in enumerate(raw_teams))
    names = [team.name.casefold() for team in teams]
    if len(set(names)) != len(names):
        raise ConfigError("teams: twee teams hebben dezelfde naam")
    known = {team.name for team in teams}
    for index, own in enumerate(weekdate.teams):
        if own.name not in known:
            raise ConfigError(f"weekdate.teams[{index}].name: er is geen team {own.name!r}")

    try:
        deadlines = parse_deadlines(root.get("deadlines", {}))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    deadlines = _profile_deadlines(deadlines, root.get("deadlines", {}), teams)
    caselog = parse_caselog(root.section("caselog"), [team.name for team in teams])
    backup = _parse_backup(root.section("backup"))
    retention = parse_retention(root.section("retention"))
    privacy = _parse_privacy(root.section("privacy"), [team.name for team in teams])
    logging_section = root.section("logging")
    log_format = logging_section.text("format", "text").strip().lower()
    if log_format not in ("text", "json"):
        raise ConfigError(
            f"{logging_section.key('format')}: verwacht 'text' of 'json', kreeg {log_format!r}"
        )
    logging_section.finish()

    try:
        trajecten = parse_trajecten(
            root.get("trajecten", {}),
            [team.name for team in teams],
            {team.name: team.profile for team in teams},
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc

    root.finish()
    return Config(
        telegram=telegram,
        database_url=database_url,
        database_setting=database_setting,
        timezone=timezone,
        admins=admins,
        teams=teams,
        form_timeout_minutes=form_timeout,
        invitation_hours=invitation_hours,
        access_cache_seconds=access_cache_seconds,
        deadlines=deadlines,
        caselog=caselog,
        weekdate=weekdate,
        backup=backup,
        retention=retention,
        privacy=privacy,
        log_format=log_format,
        trajecten=trajecten,
    )


def _word_list(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > 1000:
        raise ConfigError(f"{key}: verwacht een lijst van hoogstens 1000 woorden")
    words: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip().rstrip("*").strip() or len(item) > 60:
            raise ConfigError(f"{key}: elk woord is tekst van 1 tot 60 tekens, kreeg {item!r}")
        words.append(item.strip())
    return tuple(words)


def _parse_privacy(section: _Section, team_names: list[str]) -> PrivacyConfig:
    """``[privacy]``: the special-category words (a list replaces the default one)."""
    words = _word_list(
        section.get("special_category_words", list(DEFAULT_SPECIAL_CATEGORY_WORDS)),
        section.key("special_category_words"),
    )
    per_team = section.section("team_special_category_words")
    known = {name.casefold() for name in team_names}
    team_words: list[tuple[str, tuple[str, ...]]] = []
    for name, value in per_team.data.items():
        per_team.get(name)
        if name.casefold() not in known:
            raise ConfigError(f"{per_team.key(name)}: er is geen team met die naam")
        team_words.append((name, _word_list(value, per_team.key(name))))
    per_team.finish()
    section.finish()
    return PrivacyConfig(words, tuple(team_words))


def _parse_backup(section: _Section) -> BackupConfig:
    folder = section.text("folder", BackupConfig.folder).strip()
    if not folder:
        raise ConfigError(f"{section.key('folder')}: noem de map voor de back-ups")
    result = BackupConfig(
        folder=folder,
        keep=section.number("keep", BackupConfig.keep, 1, 365),
        time=parse_time(section.text("time", "02:30"), section.key("time")),
        daily=_flag(section, "daily", True),
    )
    section.finish()
    return result


def parse_retention(section: _Section) -> Retention:
    """``[retention]``: periods per kind (bounds keep a typo from erasing everything)."""
    keep = Retention(
        items_months=section.number("items_months", Retention.items_months, 1, 240),
        clients_years=section.number("clients_years", Retention.clients_years, 1, 30),
        forms_days=section.number("forms_days", Retention.forms_days, 1, 365),
        strangers_days=section.number("strangers_days", Retention.strangers_days, 1, 3650),
        audit_years=section.number("audit_years", Retention.audit_years, 1, 30),
    )
    section.finish()
    return keep


def with_profile(config: Config, name: str) -> Config:
    """``config`` with its first team on the profile ``name`` (``console --profile``); the
    participation rules follow the profile as they would from the file."""
    try:
        profile = profiles.load(name)
    except profiles.ProfileError as exc:
        raise ConfigError(f"--profile: {exc}") from None
    teams = (replace(config.teams[0], profile=profile), *config.teams[1:])
    return replace(config, teams=teams, deadlines=_profile_deadlines(config.deadlines, {}, teams))


def console_config(config: Config, env: Mapping[str, str], flag: str | None) -> Config:
    """``config`` for console mode: its own database unless told otherwise.

    The ``--database`` flag wins, then ``DATABASE_URL``; ``database.url`` in the file is the
    Telegram bot's database and is never used, so console colleagues never appear as staff.
    """
    if flag:
        return replace(
            config,
            database_url=parse_database_url(flag, "--database"),
            database_setting="--database",
        )
    if env.get("DATABASE_URL"):
        return config
    return replace(config, database_url=CONSOLE_DATABASE_URL, database_setting="--database")


def log_level(value: str) -> int:
    """``LOG_LEVEL`` as a logging level; a name such as ``INFO`` or ``debug``."""
    levels = logging.getLevelNamesMapping()
    name = value.strip().upper()
    if name not in levels:
        raise ConfigError(
            f"LOG_LEVEL: onbekend logniveau {value!r}; kies uit DEBUG, INFO, WARNING, ERROR "
            "of CRITICAL"
        )
    return levels[name]


def load_config(path: Path | None, env: Mapping[str, str]) -> Config:
    """Read the file named by ``path`` (or ``BOT_CONFIG``, or ./config.toml if present)."""
    explicit = path or (Path(env["BOT_CONFIG"]) if env.get("BOT_CONFIG") else None)
    target = explicit or DEFAULT_CONFIG_PATH
    data: dict[str, Any] = {}
    if explicit is not None or target.exists():
        key = "BOT_CONFIG" if explicit is not None and path is None else str(target)
        try:
            with target.open("rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError as exc:
            raise ConfigError(f"{key}: bestand niet gevonden: {target}") from exc
        except (PermissionError, IsADirectoryError, OSError) as exc:
            raise ConfigError(f"{key}: kan {target} niet lezen: {exc.strerror or exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{target}: geen geldige TOML: {exc}") from exc
    return parse_config(data, env)
