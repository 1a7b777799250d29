"""Time comes from an injected clock, so logic never calls ``datetime.now()`` itself.

Tests use :class:`FakeClock` to travel through a year in milliseconds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """Anything that can tell the current time."""

    tz: tzinfo

    def now(self) -> datetime:
        """The current moment as an aware datetime in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def __init__(self, tz: tzinfo = AMSTERDAM) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime, tz: tzinfo = AMSTERDAM) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self.tz = tz

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (aware)."""
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move forward by ``delta``."""
        self._now += delta


def local_now(clock: Clock) -> datetime:
    """The clock's current time in its local timezone."""
    return clock.now().astimezone(clock.tz)


def local_today(clock: Clock) -> date:
    """Today's date in the clock's local timezone (the date users think in)."""
    return local_now(clock).date()
