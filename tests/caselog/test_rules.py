"""Input rules of the case log forms and the configurable lists."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.caselog import rules as caselog
from bot.caselog.catalog import CaselogConfig, choices, label_of, slug
from bot.caselog.references import DEFAULT_PATTERN
from bot.config import ConfigError, parse_config

TODAY = date(2026, 3, 3)


def test_note_rules() -> None:
    assert caselog.check_note("  kort  ") == "kort"
    assert caselog.check_note("a" * 300) == "a" * 300
    assert caselog.check_note("<b>vet</b> *ster*") == "<b>vet</b> *ster*"
    for bad, code in (("", "empty"), ("   ", "empty"), (None, "empty"), ("a" * 301, "too_long")):
        with pytest.raises(caselog.InputProblem) as caught:
            caselog.check_note(bad)
        assert caught.value.code == code
    assert caselog.check_note("a\x00b") == "a b"


@pytest.mark.parametrize(("text", "hours"), [("1", 1), ("32", 32), ("40", 40), ("24 uur", 24)])
def test_hours_accepted(text: str, hours: int) -> None:
    assert caselog.check_hours(text) == hours


@pytest.mark.parametrize("text", ["0", "41", "-3", "", "twintig", "12.5", "1000", "😀"])
def test_hours_refused(text: str) -> None:
    with pytest.raises(caselog.InputProblem) as caught:
        caselog.check_hours(text)
    assert caught.value.code == "hours"


def test_ladder() -> None:
    assert [caselog.check_ladder(str(i)) for i in range(1, 7)] == [1, 2, 3, 4, 5, 6]
    for bad in ("0", "7", "", "x"):
        with pytest.raises(caselog.InputProblem):
            caselog.check_ladder(bad)


def test_short_fields() -> None:
    assert caselog.check_short("  De   Bakker  ", "werkgever") == "De Bakker"
    with pytest.raises(caselog.InputProblem) as caught:
        caselog.check_short("", "werkgever")
    assert caught.value.values == {"what": "werkgever"}
    with pytest.raises(caselog.InputProblem):
        caselog.check_short("x" * 101, "functie")


def test_first_conversation_dates() -> None:
    assert caselog.check_first_conversation("vandaag", TODAY) == TODAY
    assert caselog.check_first_conversation("gisteren", TODAY) == date(2026, 3, 2)
    assert caselog.check_first_conversation("12-2", TODAY) == date(2026, 2, 12)
    assert caselog.check_first_conversation("12 februari", TODAY) == date(2026, 2, 12)
    for bad in ("31-02-2026", "morgen", "1-1-2020", "01-01-2030", "", "<b>", "x" * 5000):
        with pytest.raises(caselog.InputProblem) as caught:
            caselog.check_first_conversation(bad, TODAY)
        assert caught.value.code == "date" and caught.value.values["message"]


def test_closing_date_not_in_the_past() -> None:
    assert caselog.check_closing_date("vandaag", TODAY) == TODAY
    assert caselog.check_closing_date("1-2", TODAY) == date(2027, 2, 1)
    for bad in ("gisteren", "01-03-2026", "01-01-2099"):
        with pytest.raises(caselog.InputProblem):
            caselog.check_closing_date(bad, TODAY)


def test_trajectory_dates() -> None:
    start = caselog.check_trajectory_start("10-3", TODAY)
    assert start == date(2026, 3, 10)
    assert caselog.check_trajectory_end("10-6", start, TODAY) == date(2026, 6, 10)
    with pytest.raises(caselog.InputProblem):
        caselog.check_trajectory_end("1-3-2026", start, TODAY)


def test_expiry() -> None:
    assert not caselog.is_expired(None, TODAY)
    assert not caselog.is_expired(TODAY, TODAY)
    assert caselog.is_expired(date(2026, 3, 2), TODAY)


@given(st.text(max_size=6000))
def test_rules_never_raise_anything_but_input_problems(text: str) -> None:
    for check in (
        caselog.check_note,
        caselog.check_hours,
        caselog.check_ladder,
        lambda t: caselog.check_short(t, "werkgever"),
        lambda t: caselog.check_first_conversation(t, TODAY),
        lambda t: caselog.check_closing_date(t, TODAY),
    ):
        with contextlib.suppress(caselog.InputProblem):
            check(text)


def test_slugs_and_labels() -> None:
    assert slug("jongere <27") == "jongere_27"
    assert slug("IOAW/IOAZ") == "ioaw_ioaz"
    assert slug("Cliënt één") == "client_een"
    assert label_of(choices(["Zorg"]), "zorg") == "Zorg"
    assert label_of(choices(["Zorg"]), "weg") == "weg"
    with pytest.raises(ValueError):
        choices(["Zorg", "zorg"])
    with pytest.raises(ValueError):
        choices(["!!"])


def test_defaults_follow_the_domain() -> None:
    config = CaselogConfig()
    assert [c.code for c in config.categories] == ["zorg", "meedoen", "werkfit"]
    assert "betaald_werk" in {c.code for c in config.place_kinds}
    assert "jobcoaching" in {c.code for c in config.instruments}
    assert config.ref_rule("Team Werk").pattern == DEFAULT_PATTERN


def _config(caselog_section: dict[str, Any]) -> Any:
    return parse_config(
        {"teams": [{"name": "Team Werk"}, {"name": "Team Zorg"}], "caselog": caselog_section}, {}
    )


def test_caselog_config_is_read_and_validated() -> None:
    config = _config(
        {
            "categories": ["Direct werk", "Werken & ervaren", "Zorg"],
            "team_ref_patterns": {"Team Zorg": "Z[0-9]{4}"},
        }
    ).caselog
    assert [c.code for c in config.categories] == ["direct_werk", "werken_ervaren", "zorg"]
    assert config.ref_rule("team zorg").pattern == "Z[0-9]{4}"
    assert [c.code for c in config.subcategories] == ["ontwikkeling", "maximaal"]
    labelled = _config({"tags": [{"code": "sh", "label": "statushouder"}, "jongere"]}).caselog
    assert [(c.code, c.label) for c in labelled.tags] == [
        ("sh", "statushouder"),
        ("jongere", "jongere"),
    ]
    assert config.ref_rule("Team Werk").pattern == DEFAULT_PATTERN
    for bad in (
        {"categories": []},
        {"categories": ["Zorg", "zorg"]},
        {"tags": "statushouder"},
        {"tags": [3]},
        {"ref_pattern": "[A-Z"},
        {"team_ref_patterns": {"Team Onbekend": "X"}},
        {"edit_days": 0},
        {"onbekend": 1},
        {"tags": [{"code": "Geen Code!", "label": "x"}]},
        {"tags": [{"code": "x", "label": ""}]},
        {"tags": [{"code": "x", "label": "y", "extra": 1}]},
    ):
        with pytest.raises(ConfigError):
            _config(bad)


def test_benefit_start_within_a_year_either_side() -> None:
    assert caselog.check_benefit_start("1-2", TODAY) == date(2026, 2, 1)
    assert caselog.check_benefit_start("1-4-2026", TODAY) == date(2026, 4, 1)
    for bad in ("31-02-2026", "1-1-2020", "1-1-2030", "", "<b>"):
        with pytest.raises(caselog.InputProblem):
            caselog.check_benefit_start(bad, TODAY)
