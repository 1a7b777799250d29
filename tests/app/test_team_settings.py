"""The seam for per-team settings: one TeamSettings value per team, resolved from the config."""

from __future__ import annotations

from datetime import time

import pytest

from bot.caselog.references import BadReference, validate
from bot.config import parse_config
from bot.settings import resolve

CONFIG = {
    "teams": [
        {"name": "Team Werk", "weekdate_weekday": "dinsdag", "weekdate_time": "10:00"},
        {
            "name": "Team Zorg",
            "weekdate_weekday": "donderdag",
            "weekdate_time": "13:30",
            "weekdate_minutes": 45,
        },
    ],
    "weekdate": {
        "agenda_time": "16:00",
        "group_copy": True,
        "teams": [{"name": "Team Zorg", "agenda_time": "15:00", "group_copy": False}],
    },
    "caselog": {"team_ref_patterns": {"Team Zorg": "Z[0-9]{4,8}"}},
}


def test_each_team_gets_its_own_slot_agenda_time_group_copy_and_reference_rule() -> None:
    config = parse_config(CONFIG, {})
    werk, zorg = resolve(config, "Team Werk"), resolve(config, "Team Zorg")
    assert (werk.weekdate.weekday, werk.weekdate.start, werk.weekdate.duration_minutes) == (
        1,
        time(10, 0),
        30,
    )
    assert (zorg.weekdate.weekday, zorg.weekdate.start, zorg.weekdate.duration_minutes) == (
        3,
        time(13, 30),
        45,
    )
    assert (werk.weekdate.agenda_time, werk.group_copy) == (time(16, 0), True)
    assert (zorg.weekdate.agenda_time, zorg.group_copy) == (time(15, 0), False)
    assert validate("z12345", zorg.reference_rule) == "Z12345"
    with pytest.raises(BadReference):
        validate("C-10234", zorg.reference_rule)
    assert validate("C-10234", werk.reference_rule) == "C-10234"
    assert werk.deadlines is config.deadlines and werk.caselog.tags is config.caselog.tags
    # The categories are the team's profile's (default: the Dalfsen profile).
    assert [c.code for c in werk.caselog.categories] == [c.code for c in werk.profile.categories]


def test_a_team_that_is_not_configured_has_no_settings() -> None:
    with pytest.raises(LookupError):
        resolve(parse_config(CONFIG, {}), "Team Elders")


def test_the_uitstroom_reasons_are_the_profiles_unless_the_config_names_its_own() -> None:
    """001:L423 (Dalfsen) and 002:L932 (Steenwijkerland) list different reasons; ``/uitstroom``
    offers the team's profile's list, and ``[caselog] exit_reasons`` replaces it."""
    from bot import profiles

    teams = [{"name": "D", "profile": "dalfsen"}, {"name": "S", "profile": "steenwijkerland"}]
    config = parse_config({"teams": teams}, {})
    for name, profile in (("D", "dalfsen"), ("S", "steenwijkerland")):
        offered = [c.code for c in resolve(config, name).caselog.exit_reasons]
        assert offered == [r.code for r in profiles.load(profile).exit_reasons]
    assert "verloop" in [c.code for c in resolve(config, "D").caselog.exit_reasons]
    own = parse_config({"teams": teams, "caselog": {"exit_reasons": ["werk", "overig"]}}, {})
    assert [c.code for c in resolve(own, "S").caselog.exit_reasons] == ["werk", "overig"]
