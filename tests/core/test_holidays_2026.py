"""The Dutch public holidays of 2026 exactly as the bot sees them (``bot.core.workdays``).

``holidays`` is pinned to one version in pyproject.toml; a different version that adds, drops or
renames a day (older ones had no Goede Vrijdag) fails here before it moves a deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.workdays import holiday_name, is_working_day

#: Every day of 2026 that ``holiday_name`` names. Bevrijdingsdag (5 May) is a public holiday only
#: in lustrum years (2025, 2030), so 2026 has none; Goede Vrijdag counts as a holiday.
HOLIDAYS_2026 = {
    date(2026, 1, 1): "Nieuwjaarsdag",
    date(2026, 4, 3): "Goede vrijdag",
    date(2026, 4, 5): "Eerste paasdag",
    date(2026, 4, 6): "Tweede paasdag",
    date(2026, 4, 27): "Koningsdag",
    date(2026, 5, 14): "Hemelvaartsdag",
    date(2026, 5, 24): "Eerste pinksterdag",
    date(2026, 5, 25): "Tweede pinksterdag",
    date(2026, 12, 25): "Eerste kerstdag",
    date(2026, 12, 26): "Tweede kerstdag",
}


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def test_the_2026_calendar_is_exactly_these_days() -> None:
    named = {day: name for day in _days_of(2026) if (name := holiday_name(day)) is not None}
    assert named == HOLIDAYS_2026


def test_2026_has_exactly_these_weekday_holidays_off() -> None:
    off = {day for day in _days_of(2026) if day.weekday() < 5 and not is_working_day(day)}
    assert off == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
    }
    assert is_working_day(date(2026, 5, 5))  # Bevrijdingsdag 2026 is a working day
