"""Pure rules of the foundation: dates, working days, callback data, message splitting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.callbacks import decode, encode
from bot.core.dates import DateInputError, parse_date
from bot.core.paging import Page
from bot.core.render import render, split_message
from bot.core.workdays import (
    add_working_days,
    holiday_name,
    is_working_day,
    on_or_before_working_day,
    previous_working_day,
)

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", TODAY),
        ("Gisteren", TODAY - timedelta(days=1)),
        ("12-3", date(2026, 3, 12)),
        ("12-03-2026", date(2026, 3, 12)),
        ("12/3/26", date(2026, 3, 12)),
        ("12.03.2026", date(2026, 3, 12)),
        ("12 maart", date(2026, 3, 12)),
        ("12 mrt 2025", date(2025, 3, 12)),
        ("  1  januari  ", date(2026, 1, 1)),
        ("20-3", date(2025, 3, 20)),  # no year, prefer past: last year's
    ],
)
def test_dutch_dates(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_future_preference_for_dates_without_year() -> None:
    assert parse_date("1-2", TODAY, prefer="future") == date(2027, 2, 1)
    assert parse_date("20 maart", TODAY, prefer="future") == date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2026", "bestaat niet"),
        ("31-02", "bestaat niet"),
        ("12-13-2026", "Maand 13 bestaat niet"),
        ("", "Ik zie geen datum"),
        ("morgenochtend", "Dat is geen datum"),
        ("12 brumaire", "Ik ken de maand"),
        ("<b>12-3</b>", "Dat is geen datum"),
        ("9" * 5000, "Dat is geen datum"),
    ],
)
def test_bad_dates_say_what_to_do(text: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message):
        parse_date(text, TODAY)


def test_range_limits() -> None:
    with pytest.raises(DateInputError, match="te ver terug"):
        parse_date("1-1-1990", TODAY, earliest=date(2020, 1, 1))
    with pytest.raises(DateInputError, match="te ver vooruit"):
        parse_date("1-1-2090", TODAY, latest=date(2030, 1, 1))


@given(st.text(max_size=60))
def test_parse_date_never_raises_anything_else(text: str) -> None:
    try:
        parse_date(text, TODAY)
    except DateInputError as error:
        assert str(error)


def test_dutch_holidays_and_working_days() -> None:
    assert holiday_name(date(2026, 4, 27)) == "Koningsdag"
    assert holiday_name(date(2026, 4, 6)) == "Tweede paasdag"
    assert not is_working_day(date(2026, 4, 27))
    assert not is_working_day(date(2026, 3, 21))  # Saturday
    assert is_working_day(TODAY)
    assert previous_working_day(date(2026, 4, 28)) == date(2026, 4, 24)
    assert on_or_before_working_day(date(2026, 12, 26)) == date(2026, 12, 24)
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)
    assert add_working_days(TODAY, 10) == date(2026, 4, 1)


def test_callback_data_round_trip_and_limits() -> None:
    data = encode("ddl", "done", 42)
    assert data == "ddl:done:42"
    tap = decode(data)
    assert tap is not None and tap.int_arg(0) == 42 and tap.int_arg(1) is None
    assert decode("garbage") is None and decode(None) is None and decode("x" * 65) is None
    with pytest.raises(ValueError):
        encode("ddl", "done", "a:b")
    with pytest.raises(ValueError):
        encode("ddl", "done", "x" * 60)


def test_split_message_respects_limit_and_lines() -> None:
    lines = [f"<b>punt {i}</b> " + "x" * 50 for i in range(300)]
    parts = split_message("\n".join(lines))
    assert all(len(part) <= 4096 for part in parts)
    assert "\n".join(parts).split("\n") == lines
    assert split_message("a" * 9000, 4096) == ["a" * 4096, "a" * 4096, "a" * 808]


def test_templates_escape_user_text() -> None:
    member = type("M", (), {"team_name": "<script>"})()
    text = render("access/team", member=member, colleagues=[], page=Page.at(0, 0))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_core_message_limit_is_telegrams() -> None:
    # bot.core cannot import telegram; the splitter's default must still be Telegram's limit.
    from telegram.constants import MessageLimit

    from bot.core.render import MESSAGE_LIMIT

    assert MESSAGE_LIMIT == MessageLimit.MAX_TEXT_LENGTH


def test_one_date_format_for_each_use() -> None:
    from datetime import datetime, time

    from bot.core.dates import format_clock, format_day_month, format_moment, format_short

    assert format_short(date(2026, 3, 2)) == "02-03-2026"
    assert format_day_month(date(2026, 3, 2)) == "02-03"
    assert format_clock(time(9, 5)) == "09:05"
    assert format_moment(datetime(2026, 3, 2, 16, 0)) == "02-03-2026 16:00"
    invitation = type("I", (), {"team_name": "T", "roles": [], "code": "abc"})()
    text = render(
        "access/invite_created", invitation=invitation, link="", expires=datetime(2026, 3, 2, 16, 0)
    )
    assert "geldig tot 02-03-2026 16:00." in text
