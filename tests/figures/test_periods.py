"""Parsing the period of /cijfers and /export."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.render import render
from bot.figures.rules.periods import PeriodProblem, months_between, parse_period

TODAY = date(2026, 8, 14)


@pytest.mark.parametrize(
    ("text", "start", "end", "name"),
    [
        ("", date(2026, 8, 1), date(2026, 8, 31), "2026-08"),
        ("deze maand", date(2026, 8, 1), date(2026, 8, 31), "2026-08"),
        ("Vorige  maand", date(2026, 7, 1), date(2026, 7, 31), "2026-07"),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30), "2026Q3"),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), "2026Q1"),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30), "2026H1"),
        ("2025h2", date(2025, 7, 1), date(2025, 12, 31), "2025H2"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("1-1-2026 30-6-2026", date(2026, 1, 1), date(2026, 6, 30), "2026-01-01_2026-06-30"),
        ("1-3-2026 t/m 15-3-2026", date(2026, 3, 1), date(2026, 3, 15), "2026-03-01_2026-03-15"),
    ],
)
def test_periods(text: str, start: date, end: date, name: str) -> None:
    period = parse_period(text, TODAY)
    assert (period.start, period.end, period.name) == (start, end, name)


def test_previous_month_in_january_is_december() -> None:
    period = parse_period("vorige maand", date(2027, 1, 5))
    assert (period.start, period.end) == (date(2026, 12, 1), date(2026, 12, 31))


def test_peildatum_of_a_running_period_is_today() -> None:
    assert parse_period("2026Q3", TODAY).peildatum(TODAY) == TODAY
    assert parse_period("2026H1", TODAY).peildatum(TODAY) == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("2026Q5", "unknown", "2026Q3"),
        ("morgen of zo", "unknown", "kwartaal"),
        ("30-6-2026 1-1-2026", "order", "vóór de begindatum"),
        ("31-2-2026 1-3-2026", "date", "bestaat niet"),
        ("1-1-1990 1-1-2026", "too_long", "hoogstens 10 jaar"),
    ],
)
def test_problems_say_what_to_type(text: str, code: str, words: str) -> None:
    with pytest.raises(PeriodProblem) as caught:
        parse_period(text, TODAY)
    assert caught.value.code == code
    assert words in render("figures/period_problem", code=code, **caught.value.values)


def test_months_between() -> None:
    months = months_between(date(2025, 11, 20), date(2026, 2, 3))
    assert [m.name for m in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
