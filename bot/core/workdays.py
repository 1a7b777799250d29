"""Working days in the Netherlands: weekends and Dutch public holidays are not working days.

Pure functions, shared by deadlines (a due date on a holiday moves to the previous working day),
the weekdate (agenda goes out on the working day before) and LB tasks (10 working days).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language="nl")


def holiday_name(day: date) -> str | None:
    """The Dutch name of the public holiday on ``day``, or ``None``."""
    name = _dutch_holidays(day.year).get(day)
    return str(name) if name else None


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and holiday_name(day) is None


def previous_working_day(day: date) -> date:
    """The last working day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def on_or_before_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the previous working day."""
    return day if is_working_day(day) else previous_working_day(day)


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (``count`` >= 0)."""
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
