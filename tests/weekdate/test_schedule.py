"""When the weekdate happens and when its agenda goes out, across DST and holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.clock import AMSTERDAM
from bot.weekdate.rules.schedule import (
    Occurrence,
    Override,
    WeekdateSettings,
    agenda_send_at,
    holiday_of,
    holiday_question_due,
    is_agenda_due,
    next_occurrence,
    next_regular_occurrence,
    upcoming_occurrences,
)

MONDAY_10 = WeekdateSettings(weekday=0, start=time(10, 0))
TUESDAY_10 = WeekdateSettings(weekday=1, start=time(10, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_occurrence_is_the_coming_slot_until_it_starts() -> None:
    # Tuesday 24 Nov 2026 08:59 UTC = 09:59 local: today's 10:00 is still to come.
    occ = next_occurrence(utc(2026, 11, 24, 8, 59), TUESDAY_10, {}, AMSTERDAM)
    assert occ.date == date(2026, 11, 24)
    occ = next_occurrence(utc(2026, 11, 24, 9, 0), TUESDAY_10, {}, AMSTERDAM)
    assert occ.date == date(2026, 12, 1)
    assert next_regular_occurrence(utc(2026, 11, 24, 9, 0), TUESDAY_10, AMSTERDAM) == date(
        2026, 12, 1
    )


@pytest.mark.parametrize(
    ("meeting", "send_utc"),
    [
        # Spring forward on Sunday 29 March 2026.
        (date(2026, 3, 24), utc(2026, 3, 23, 15, 0)),  # CET: 16:00 = 15:00 UTC
        (date(2026, 3, 31), utc(2026, 3, 30, 14, 0)),  # CEST: 16:00 = 14:00 UTC
        # Fall back on Sunday 25 October 2026.
        (date(2026, 10, 20), utc(2026, 10, 19, 14, 0)),
        (date(2026, 10, 27), utc(2026, 10, 26, 15, 0)),
    ],
)
def test_agenda_goes_out_at_16_local_across_dst(meeting: date, send_utc: datetime) -> None:
    occ = Occurrence(meeting, meeting, time(10, 0))
    send = agenda_send_at(occ, TUESDAY_10, AMSTERDAM)
    assert send == send_utc
    assert send.astimezone(AMSTERDAM).time() == time(16, 0)


def test_agenda_for_a_monday_goes_out_on_friday_and_skips_holidays() -> None:
    monday = date(2026, 3, 30)
    send = agenda_send_at(Occurrence(monday, monday, time(10, 0)), MONDAY_10, AMSTERDAM)
    assert send.astimezone(AMSTERDAM) == datetime(2026, 3, 27, 16, 0, tzinfo=AMSTERDAM)
    # Weekdate on Tuesday 7 April 2026: Monday 6 April is Tweede Paasdag and Friday 3 April
    # Goede Vrijdag (a holiday in bot.core.workdays), so the agenda goes out on Thursday 2 April.
    tuesday = date(2026, 4, 7)
    send = agenda_send_at(Occurrence(tuesday, tuesday, time(10, 0)), TUESDAY_10, AMSTERDAM)
    assert send.astimezone(AMSTERDAM) == datetime(2026, 4, 2, 16, 0, tzinfo=AMSTERDAM)


def test_koningsdag_and_tweede_paasdag_raise_the_holiday_question() -> None:
    # Monday 27 April 2026 is Koningsdag; Monday 6 April 2026 is Tweede Paasdag.
    asked = holiday_question_due(utc(2026, 4, 21, 8, 0), MONDAY_10, {}, AMSTERDAM)
    assert asked == [(date(2026, 4, 27), "Koningsdag")]
    asked = holiday_question_due(utc(2026, 3, 31, 8, 0), MONDAY_10, {}, AMSTERDAM)
    assert asked == [(date(2026, 4, 6), "Tweede paasdag")]
    # Not asked again once decided, and not for an ordinary week.
    decided = {date(2026, 4, 6): Override("skipped")}
    assert holiday_question_due(utc(2026, 3, 31, 8, 0), MONDAY_10, decided, AMSTERDAM) == []
    assert holiday_question_due(utc(2026, 11, 16, 8, 0), MONDAY_10, {}, AMSTERDAM) == []
    occ = Occurrence(date(2026, 4, 27), date(2026, 4, 27), time(10, 0))
    assert holiday_of(occ) == "Koningsdag"


def test_moved_and_skipped_occurrences() -> None:
    koningsdag = date(2026, 4, 27)
    moved = {koningsdag: Override("moved", date(2026, 4, 28), time(13, 30))}
    occ = next_occurrence(utc(2026, 4, 24, 8, 0), MONDAY_10, moved, AMSTERDAM)
    assert (occ.regular_date, occ.date, occ.start, occ.moved) == (
        koningsdag,
        date(2026, 4, 28),
        time(13, 30),
        True,
    )
    send = agenda_send_at(occ, MONDAY_10, AMSTERDAM)
    # Held on Tuesday 28 April; Monday 27 is Koningsdag, so the agenda goes out on Friday 24.
    assert send.astimezone(AMSTERDAM) == datetime(2026, 4, 24, 16, 0, tzinfo=AMSTERDAM)
    skipped = {koningsdag: Override("skipped")}
    occ = next_occurrence(utc(2026, 4, 24, 8, 0), MONDAY_10, skipped, AMSTERDAM)
    assert occ.date == date(2026, 5, 4)
    # A moved occurrence that is held after the next regular one is listed in time order.
    late = {date(2026, 5, 4): Override("moved", date(2026, 5, 12), None)}
    dates = [
        o.date
        for o in upcoming_occurrences(utc(2026, 5, 1, 8, 0), MONDAY_10, late, AMSTERDAM, count=3)
    ]
    assert dates == [date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 18)]


def test_agenda_due_window_catches_up_until_the_meeting() -> None:
    occ = Occurrence(date(2026, 11, 24), date(2026, 11, 24), time(10, 0))
    assert not is_agenda_due(utc(2026, 11, 23, 14, 59), occ, TUESDAY_10, AMSTERDAM)
    assert is_agenda_due(utc(2026, 11, 23, 15, 0), occ, TUESDAY_10, AMSTERDAM)
    assert is_agenda_due(utc(2026, 11, 24, 8, 59), occ, TUESDAY_10, AMSTERDAM)
    assert not is_agenda_due(utc(2026, 11, 24, 9, 0), occ, TUESDAY_10, AMSTERDAM)


def test_meeting_end_across_the_autumn_night() -> None:
    occ = Occurrence(date(2026, 10, 25), date(2026, 10, 25), time(2, 30))
    end = occ.ends_at(AMSTERDAM, 60)
    assert end.astimezone(UTC) - occ.starts_at(AMSTERDAM).astimezone(UTC) == (
        datetime(2000, 1, 1, 1) - datetime(2000, 1, 1)
    )


def test_settings_and_overrides_are_validated() -> None:
    with pytest.raises(ValueError):
        WeekdateSettings(weekday=7, start=time(10, 0))
    with pytest.raises(ValueError):
        WeekdateSettings(weekday=1, start=time(10, 0), duration_minutes=0)
    with pytest.raises(ValueError):
        Override("moved")
    with pytest.raises(ValueError):
        Override("cancelled")
