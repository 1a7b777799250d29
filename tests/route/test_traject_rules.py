"""The instrument limits as pure rules, and the ``[trajecten]`` settings that set them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import ConfigError, parse_config
from bot.route.traject_rules import (
    DEFAULT_INSTRUMENT_RULES,
    InstrumentRule,
    TrajectProblem,
    TrajectSettings,
    check_end,
    check_extension,
    check_new_end,
    latest_end,
    limit_due,
    usual_end,
)

START = date(2026, 3, 3)
DEFAULTS = TrajectSettings()


def test_defaults_come_from_the_seeds() -> None:
    werk, taal, stark, route = (
        DEFAULTS.rule(c)
        for c in ("werkstage", "taalstage", "extern_re_integratietraj", "ontwikkelroute")
    )
    # Werkstage: 3 months, one extension of at most 3, only in exceptional cases (003:L419).
    assert (werk.usual_months, werk.max_months, werk.max_extensions) == (3, 6, 1)
    assert "ziekte" in werk.extension_requires and werk.seed == "003:L419"
    # Taalstage: 3 months, at most two extensions (003:L423).
    assert (taal.usual_months, taal.max_months, taal.max_extensions, taal.seed) == (
        3,
        9,
        2,
        "003:L423",
    )
    assert (stark.max_extensions, stark.seed) == (2, "003:L411")
    # Ontwikkelroute: at most 24 months, then a handover (004:L81).
    assert (route.max_months, route.seed) == (24, "004:L81") and "overdracht" in route.at_max
    # Every default names its seed.
    assert all(rule.seed for rule in DEFAULT_INSTRUMENT_RULES)
    # No seed, no limit: the workshop has none.
    assert DEFAULTS.rule("workshop") == InstrumentRule("workshop")


def test_usual_and_latest_end() -> None:
    taal = DEFAULTS.rule("taalstage")
    assert usual_end(taal, START) == date(2026, 6, 3)
    assert latest_end(taal, START) == date(2026, 12, 3)
    assert usual_end(DEFAULTS.rule("workshop"), START) is None
    # Without a seed limit, the general three-year cap.
    assert latest_end(DEFAULTS.rule("workshop"), START) == date(2029, 3, 3)
    # 31 January + 1 month is the end of February.
    assert usual_end(InstrumentRule("x", usual_months=1), date(2026, 1, 31)) == date(2026, 2, 28)


def test_taalstage_two_extensions_then_refused_by_count() -> None:
    taal = DEFAULTS.rule("taalstage")
    first = check_extension(
        taal, start=START, current_end=date(2026, 6, 3), new_end=date(2026, 9, 3), extensions=0
    )
    second = check_extension(
        taal, start=START, current_end=date(2026, 9, 3), new_end=date(2026, 12, 3), extensions=1
    )
    third = check_extension(
        taal, start=START, current_end=date(2026, 12, 3), new_end=date(2026, 12, 20), extensions=2
    )
    assert first is None and second is None
    assert third is not None and third.reason == "count" and third.rule.seed == "003:L423"


def test_extension_past_the_maximum_length_is_refused() -> None:
    werk = DEFAULTS.rule("werkstage")
    refused = check_extension(
        werk, start=START, current_end=date(2026, 6, 3), new_end=date(2026, 9, 4), extensions=0
    )
    assert refused is not None and refused.reason == "length"
    assert refused.latest == date(2026, 9, 3)
    # Exactly at the maximum is allowed.
    assert (
        check_extension(
            werk, start=START, current_end=date(2026, 6, 3), new_end=date(2026, 9, 3), extensions=0
        )
        is None
    )
    # An instrument without limits may be extended (within the general cap).
    free = DEFAULTS.rule("workshop")
    assert (
        check_extension(free, start=START, current_end=None, new_end=date(2029, 3, 3), extensions=9)
        is None
    )
    assert (
        check_extension(free, start=START, current_end=None, new_end=date(2029, 3, 4), extensions=9)
        is not None
    )


def test_limit_deadline_only_when_the_end_does_not_reach_the_maximum() -> None:
    route = DEFAULTS.rule("ontwikkelroute")
    assert limit_due(route, START, date(2028, 3, 3)) is None
    # No end typed: the maximum still comes; 3 March 2028 is a Friday.
    assert limit_due(route, START, None) == date(2028, 3, 3)
    # On a working day: 3 October 2026 + ... 6 months after 3 April 2026 is Saturday 3 Oct.
    werk = DEFAULTS.rule("werkstage")
    assert limit_due(werk, date(2026, 4, 3), date(2026, 7, 3)) == date(2026, 10, 2)
    assert limit_due(DEFAULTS.rule("workshop"), START, None) is None


def test_bad_dates_are_refused() -> None:
    with pytest.raises(TrajectProblem, match="end_before_start"):
        check_end(START, date(2026, 3, 2))
    with pytest.raises(TrajectProblem, match="end_before_start"):
        check_end(START, START)
    assert check_end(START, None) is None
    with pytest.raises(TrajectProblem, match="end_not_later"):
        check_new_end(date(2026, 6, 3), START, date(2026, 6, 3))
    assert check_new_end(None, START, date(2026, 3, 4)) == date(2026, 3, 4)


@pytest.mark.parametrize(
    "bad",
    [
        {"usual_months": 0, "max_months": 0, "max_extensions": -1},
        {"usual_months": 37},
        {"max_extensions": 13},
        {"usual_months": 7, "max_months": 6},
    ],
)
def test_absurd_rules_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        InstrumentRule("x", **bad)


def _config(trajecten: object) -> object:
    # Team Werk follows Midden-Drenthe, whose taalstage is the nine months of 003:L423; Team
    # Zorg the default profile (Dalfsen: at most six months, 001:L156).
    teams = [{"name": "Team Werk", "profile": "midden-drenthe"}, {"name": "Team Zorg"}]
    return parse_config({"teams": teams, "trajecten": trajecten}, {})


def test_config_overrides_per_instrument_and_per_team() -> None:
    config = _config(
        {
            "instruments": {"taalstage": {"max_extensions": 1}, "workshop": {"usual_months": 1}},
            "teams": {"team zorg": {"taalstage": {"max_months": 5, "seed": "eigen"}}},
        }
    )
    werk = config.trajecten.for_team("Team Werk")  # type: ignore[attr-defined]
    zorg = config.trajecten.for_team("Team Zorg")  # type: ignore[attr-defined]
    assert werk.rule("taalstage").max_extensions == 1 and werk.rule("taalstage").max_months == 9
    assert werk.rule("workshop").usual_months == 1
    # The team's table goes over the general one.
    assert (zorg.rule("taalstage").max_months, zorg.rule("taalstage").max_extensions) == (5, 1)
    assert zorg.rule("taalstage").seed == "eigen"


@pytest.mark.parametrize(
    ("trajecten", "key"),
    [
        ({"instruments": {"taalstage": {"max_months": 40}}}, "trajecten.instruments.taalstage"),
        ({"instruments": {"taalstage": {"lengte": 3}}}, "lengte"),
        ({"instruments": {"taalstage": {"usual_months": 10}}}, "usual_months"),
        ({"teams": {"Team Elders": {}}}, "Team Elders"),
        ({"instrumenten": {}}, "trajecten.instrumenten"),
        ({"instruments": {"taalstage": {"max_extensions": True}}}, "max_extensions"),
    ],
)
def test_bad_config_names_the_key(trajecten: object, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        _config(trajecten)
