"""Each bad configuration value gives one clear line naming the key."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, load_config, parse_config

GOOD: dict[str, Any] = {
    "bot": {"timezone": "Europe/Amsterdam", "admins": [42]},
    "telegram": {"token": "1:abc", "base_url": "http://127.0.0.1:9000/bot"},
    "database": {"url": "sqlite+aiosqlite:///data/x.sqlite"},
    "teams": [{"name": "Team Werk", "weekdate_weekday": "woensdag", "weekdate_time": "09:30"}],
}


def with_value(section: str, key: str, value: object) -> dict[str, Any]:
    data: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in GOOD.items()}
    if section == "teams":
        data["teams"] = [{**data["teams"][0], key: value}]
    else:
        data[section][key] = value
    return data


def test_good_config_parses() -> None:
    config = parse_config(GOOD, {})
    assert config.admins == (42,)
    assert config.teams[0].weekdate_weekday == 2
    assert config.teams[0].weekdate_time == time(9, 30)
    assert config.telegram.base_url == "http://127.0.0.1:9000/bot"


def test_defaults_without_any_file() -> None:
    config = parse_config({}, {})
    assert config.database_url == "sqlite+aiosqlite:///data/weekdate.sqlite"
    assert str(config.timezone) == "Europe/Amsterdam"
    assert config.teams[0].weekdate_minutes == 30


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("bot", "timezone", "Europe/Amsterdm", "bot.timezone: onbekende tijdzone"),
        ("bot", "timezone", 5, "bot.timezone: verwacht een tijdzone"),
        ("bot", "admins", ["abc"], "bot.admins: 'abc' is geen Telegram-gebruikers-id"),
        ("bot", "admins", 12, "bot.admins: verwacht een lijst"),
        ("bot", "form_timeout_minutes", 0, "bot.form_timeout_minutes: moet tussen 1 en 1440"),
        ("bot", "invitation_hours", "72", "bot.invitation_hours: verwacht een geheel getal"),
        ("bot", "colour", "blue", "bot.colour: onbekende instelling"),
        ("telegram", "base_url", "ftp://x", "telegram.base_url: verwacht een http(s)-URL"),
        ("telegram", "base_url", "not a url", "telegram.base_url: verwacht een http(s)-URL"),
        ("telegram", "base_file_url", "", "telegram.base_file_url: verwacht een http(s)-URL"),
        ("telegram", "mode", "push", "telegram.mode: verwacht 'polling' of 'webhook'"),
        ("telegram", "tokn", "x", "telegram.tokn: onbekende instelling"),
        ("database", "url", "mysql://x/y", "database.url: gebruik sqlite+aiosqlite"),
        ("database", "url", "::::", "database.url: geen database-URL"),
        ("teams", "weekdate_time", "25:00", "teams[0].weekdate_time: verwacht een tijd als UU:MM"),
        ("teams", "weekdate_time", "10.00", "teams[0].weekdate_time: verwacht een tijd"),
        ("teams", "weekdate_weekday", "funday", "teams[0].weekdate_weekday: verwacht een weekdag"),
        ("teams", "weekdate_minutes", 5, "teams[0].weekdate_minutes: moet tussen 10 en 240"),
        ("teams", "name", "", "teams[0].name: een team heeft een naam"),
        ("teams", "chair", "x", "teams[0].chair: onbekende instelling"),
    ],
)
def test_bad_value_names_the_key(section: str, key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(with_value(section, key, value), {})
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_unknown_top_level_section() -> None:
    with pytest.raises(ConfigError, match="^telegarm: onbekende instelling"):
        parse_config({"telegarm": {}}, {})


def test_webhook_mode_needs_url() -> None:
    with pytest.raises(ConfigError, match="^telegram.webhook.url"):
        parse_config({"telegram": {"mode": "webhook"}}, {})


def test_duplicate_team_names() -> None:
    with pytest.raises(ConfigError, match="^teams: twee teams"):
        parse_config({"teams": [{"name": "A"}, {"name": "a"}]}, {})


def test_environment_overrides_file() -> None:
    env = {
        "BOT_TOKEN": "9:xyz",
        "DATABASE_URL": "postgresql+asyncpg://u:p@db/weekdate",
        "TELEGRAM_BASE_URL": "http://127.0.0.1:9000/bot",
        "TELEGRAM_BASE_FILE_URL": "http://127.0.0.1:9000/file/bot",
        "BOT_ADMINS": "1, 2,3",
    }
    config = parse_config(GOOD, env)
    assert config.telegram.token == "9:xyz"
    assert config.database_url.startswith("postgresql+asyncpg://")
    assert config.telegram.base_file_url == "http://127.0.0.1:9000/file/bot"
    assert config.admins == (1, 2, 3)


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="^BOT_ADMINS: 'x' is geen"):
        parse_config({}, {"BOT_ADMINS": "1,x"})
    with pytest.raises(ConfigError, match="^DATABASE_URL: gebruik"):
        parse_config({}, {"DATABASE_URL": "sqlite:///sync.db"})
    with pytest.raises(ConfigError, match="^TELEGRAM_BASE_URL: verwacht"):
        parse_config({}, {"TELEGRAM_BASE_URL": "localhost:9000"})


def test_missing_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="bestand niet gevonden"):
        load_config(tmp_path / "nope.toml", {})
    with pytest.raises(ConfigError, match="^BOT_CONFIG: bestand niet gevonden"):
        load_config(None, {"BOT_CONFIG": str(tmp_path / "nope.toml")})
    with pytest.raises(ConfigError, match="kan .* niet lezen"):
        load_config(tmp_path, {})  # a folder, not a file
    broken = tmp_path / "broken.toml"
    broken.write_text("[bot\ntimezone = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="geen geldige TOML"):
        load_config(broken, {})


def test_example_config_is_valid() -> None:
    example = Path(__file__).parents[2] / "config.example.toml"
    config = load_config(example, {})
    assert config.teams[0].name == "Team Werk"


def test_example_config_and_readme_document_every_deadlines_setting() -> None:
    """Every [deadlines] setting is in config.example.toml with its default, and the settings
    issue 11 added are explained in the README (issue 11 item 8)."""
    import tomllib
    from dataclasses import fields

    from bot.deadlines.settings import DeadlinesConfig

    root = Path(__file__).parents[2]
    raw = tomllib.loads((root / "config.example.toml").read_text(encoding="utf-8"))
    # The participation categories and their rhythm come from the teams' profiles (the example
    # shows the key commented out: its value would name category codes, which only a profile
    # may do); every other field is a key with its default.
    # Who owns each duty comes from the profiles and [[teams]] role_holders (issue 13).
    from_profiles = {"participation_categories", "contact_rhythm", "duty_owners"}
    assert set(raw["deadlines"]) | from_profiles == {f.name for f in fields(DeadlinesConfig)}
    assert "# participation_categories = " in (root / "config.example.toml").read_text("utf-8")
    example = load_config(root / "config.example.toml", {}).deadlines
    defaults = DeadlinesConfig()
    for name in ("participation_with_full_exemption", "exemption_yearly_contact"):
        assert getattr(example, name) == getattr(defaults, name), name
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name in (
        "participation_with_full_exemption",
        "exemption_yearly_contact",
        "participation_interval_months",
        "participation_first_months",
        "lb_appointment_working_days",
        "status_holder_review_months",
    ):
        assert f"deadlines.{name}" in readme, name
