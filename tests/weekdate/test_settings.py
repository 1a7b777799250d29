"""The [weekdate] configuration section."""

from __future__ import annotations

import tomllib
from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, WeekdateConfig, parse_config


def test_defaults() -> None:
    assert parse_config({}, {}).weekdate == WeekdateConfig(time(16, 0), True, True, 7)


def test_values_are_read() -> None:
    config = parse_config(
        {
            "weekdate": {
                "agenda_time": "15:30",
                "group_copy": False,
                "pdf": False,
                "holiday_question_days": 10,
            }
        },
        {},
    )
    assert config.weekdate == WeekdateConfig(time(15, 30), False, False, 10)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"agenda_time": "25:00"}, "weekdate.agenda_time"),
        ({"group_copy": "ja"}, "weekdate.group_copy: verwacht true of false"),
        ({"holiday_question_days": 0}, "weekdate.holiday_question_days: moet tussen 1 en 28"),
        ({"agenda_tijd": "16:00"}, "weekdate.agenda_tijd: onbekende instelling"),
    ],
)
def test_mistakes_name_the_key(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"weekdate": raw}, {})


def test_example_config_documents_the_section() -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    data = tomllib.loads(example.read_text())
    assert set(data["weekdate"]) == {"agenda_time", "group_copy", "pdf", "holiday_question_days"}
    # The per-team example is commented out, but documented.
    assert "[[weekdate.teams]]" in example.read_text()
    assert parse_config(data, {}).weekdate == WeekdateConfig()


def test_a_team_may_have_its_own_agenda_time_and_group_setting() -> None:
    config = parse_config(
        {
            "teams": [{"name": "Team Werk"}, {"name": "Team Zorg"}],
            "weekdate": {
                "agenda_time": "16:00",
                "teams": [{"name": "Team Zorg", "agenda_time": "15:00", "group_copy": False}],
            },
        },
        {},
    )
    assert config.weekdate.agenda_time_for("Team Zorg") == time(15, 0)
    assert config.weekdate.agenda_time_for("Team Werk") == time(16, 0)
    assert config.weekdate.group_copy_for("Team Zorg") is False
    assert config.weekdate.group_copy_for("Team Werk") is True


@pytest.mark.parametrize(
    ("own", "message"),
    [
        ({"name": "Team Elders"}, r"weekdate.teams\[0\].name: er is geen team 'Team Elders'"),
        ({"agenda_time": "15:00"}, r"weekdate.teams\[0\].name: noem het team"),
        ({"name": "Team Werk", "agenda_time": "3 uur"}, r"weekdate.teams\[0\].agenda_time"),
        ({"name": "Team Werk", "pdf": True}, r"weekdate.teams\[0\].pdf: onbekende instelling"),
    ],
)
def test_team_settings_mistakes_name_the_key(own: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"teams": [{"name": "Team Werk"}], "weekdate": {"teams": [own]}}, {})
