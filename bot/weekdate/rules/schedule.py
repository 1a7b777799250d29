"""When the weekdate happens and when its agenda goes out.

Pure rules over local calendar dates and wall-clock times in the team's timezone
(Europe/Amsterdam). A weekly occurrence is identified by its *regular* date; a moved occurrence
keeps that identity and carries a new date and time, a skipped one is simply not held.

Wall-clock arithmetic goes through ``datetime.combine(..., tzinfo=zone)`` so the UTC offset is the
one valid on that date: 16:00 stays 16:00 in the weeks of both DST switches.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.core.vocabulary import OverrideAction
from bot.core.workdays import holiday_name, previous_working_day

#: Dutch weekday names, Monday first (as ``date.weekday()``).
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

#: How many days ahead the teamleider is asked what to do with a weekdate on a holiday.
HOLIDAY_QUESTION_DAYS = 7


@dataclass(frozen=True)
class WeekdateSettings:
    """A team's weekdate settings."""

    weekday: int
    start: time
    duration_minutes: int = 30
    agenda_time: time = time(16, 0)

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (maandag) to 6 (zondag)")
        if self.duration_minutes <= 0:
            raise ValueError("duration must be positive")


@dataclass(frozen=True)
class Override:
    """A decision about one regular occurrence: ``moved`` (to ``new_date``/``new_time``),
    ``skipped``, or ``kept`` (held as planned despite a holiday)."""

    action: str
    new_date: date | None = None
    new_time: time | None = None

    def __post_init__(self) -> None:
        if self.action not in tuple(OverrideAction):
            raise ValueError(f"unknown override action {self.action!r}")
        if self.action == OverrideAction.MOVED and self.new_date is None:
            raise ValueError("a moved occurrence needs a new date")


@dataclass(frozen=True)
class Occurrence:
    """One weekdate: its regular date (identity) and when it is actually held."""

    regular_date: date
    date: date
    start: time
    skipped: bool = False

    @property
    def moved(self) -> bool:
        """Held on another day or at another time than usual."""
        return self.date != self.regular_date

    def starts_at(self, zone: tzinfo) -> datetime:
        """The aware local start."""
        return datetime.combine(self.date, self.start, tzinfo=zone)

    def ends_at(self, zone: tzinfo, duration_minutes: int) -> datetime:
        """The aware local end (wall-clock arithmetic in UTC, so a DST night is handled)."""
        start_utc = self.starts_at(zone).astimezone(UTC)
        return (start_utc + timedelta(minutes=duration_minutes)).astimezone(zone)


def regular_date_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after ``day`` that falls on ``weekday``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def occurrence(
    regular: date, settings: WeekdateSettings, overrides: Mapping[date, Override]
) -> Occurrence:
    """The occurrence whose regular date is ``regular``, with any override applied."""
    override = overrides.get(regular)
    if override is None or override.action == OverrideAction.KEPT:
        return Occurrence(regular, regular, settings.start)
    if override.action == OverrideAction.SKIPPED:
        return Occurrence(regular, regular, settings.start, skipped=True)
    assert override.new_date is not None  # validated in Override
    return Occurrence(regular, override.new_date, override.new_time or settings.start)


def move_clash(
    regular: date,
    new_date: date,
    new_time: time,
    settings: WeekdateSettings,
    overrides: Mapping[date, Override],
) -> Occurrence | None:
    """Another weekdate of the team held on ``new_date`` whose time overlaps the occurrence of
    ``regular`` moved to ``new_date`` at ``new_time`` (each lasts ``duration_minutes``), or
    ``None``. Two weekdates at once would give one team two agendas and two meetings."""
    held_there = {r for r, o in overrides.items() if o.new_date == new_date}
    if new_date.weekday() == settings.weekday:
        held_there.add(new_date)
    length = timedelta(minutes=max(settings.duration_minutes, 1))
    start = datetime.combine(new_date, new_time)
    for other in sorted(held_there - {regular}):
        occ = occurrence(other, settings, overrides)
        if occ.skipped or occ.date != new_date:
            continue
        other_start = datetime.combine(occ.date, occ.start)
        if other_start < start + length and start < other_start + length:
            return occ
    return None


def upcoming_occurrences(
    now: datetime,
    settings: WeekdateSettings,
    overrides: Mapping[date, Override],
    zone: tzinfo,
    count: int = 2,
) -> list[Occurrence]:
    """The next ``count`` held occurrences that have not started yet at ``now``, in time order.

    A moved occurrence counts where it is actually held; skipped ones are left out. Regular dates
    from a week back are considered too, since an occurrence may have been moved later.
    """
    local = now.astimezone(zone)
    regular = regular_date_on_or_after(local.date() - timedelta(days=14), settings.weekday)
    found: list[Occurrence] = []
    # Look far enough ahead that several skipped weeks in a row are passed over.
    for _ in range(count + 60):
        occ = occurrence(regular, settings, overrides)
        if not occ.skipped and occ.starts_at(zone) > local:
            found.append(occ)
        regular += timedelta(days=7)
        if len(found) >= count + 3:
            break
    found.sort(key=lambda o: o.starts_at(zone))
    return found[:count]


def next_occurrence(
    now: datetime,
    settings: WeekdateSettings,
    overrides: Mapping[date, Override],
    zone: tzinfo,
) -> Occurrence:
    """The next weekdate that has not started yet."""
    return upcoming_occurrences(now, settings, overrides, zone, count=1)[0]


def next_regular_occurrence(now: datetime, settings: WeekdateSettings, zone: tzinfo) -> date:
    """The regular date of the first weekly slot that has not started yet (ignoring overrides)."""
    local = now.astimezone(zone)
    day = regular_date_on_or_after(local.date(), settings.weekday)
    if datetime.combine(day, settings.start, tzinfo=zone) <= local:
        day += timedelta(days=7)
    return day


def agenda_send_at(occ: Occurrence, settings: WeekdateSettings, zone: tzinfo) -> datetime:
    """When the agenda goes out: the agenda time on the working day before the meeting."""
    return datetime.combine(previous_working_day(occ.date), settings.agenda_time, tzinfo=zone)


def holiday_of(occ: Occurrence) -> str | None:
    """The name of the Dutch public holiday the occurrence falls on, if any."""
    return holiday_name(occ.date)


def holiday_question_due(
    now: datetime,
    settings: WeekdateSettings,
    known: Container[date],
    zone: tzinfo,
    days_ahead: int = HOLIDAY_QUESTION_DAYS,
) -> list[tuple[date, str]]:
    """Regular occurrences within ``days_ahead`` days that fall on a public holiday and are not
    in ``known`` (asked or decided before): the teamleider must be asked to move or skip them."""
    local_day = now.astimezone(zone).date()
    due: list[tuple[date, str]] = []
    regular = regular_date_on_or_after(local_day, settings.weekday)
    while regular <= local_day + timedelta(days=days_ahead):
        name = holiday_name(regular)
        if name is not None and regular not in known:
            due.append((regular, name))
        regular += timedelta(days=7)
    return due


def is_agenda_due(now: datetime, occ: Occurrence, settings: WeekdateSettings, zone: tzinfo) -> bool:
    """True from the agenda send time until the meeting starts (so a missed tick catches up)."""
    return agenda_send_at(occ, settings, zone) <= now < occ.starts_at(zone)
