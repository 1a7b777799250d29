"""Defect 9.7: typed dates and ids in button data out of every sane range are refused where
they are read (the one date parser, the one callback decoder), never three steps later."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.callbacks import MAX_ID, decode, family, id_value
from bot.core.dates import DateInputError, parse_date
from bot.core.roles import Role
from storage import teams
from storage.models import Client
from tests.support.harness import BotHarness, button, only_text, texts

TODAY = date(2026, 3, 16)


@pytest.mark.parametrize(
    "text", ["31-12-9999", "1-1-2101", "31-12-1899", "1 januari 9999", "29-2-9996"]
)
def test_dates_outside_1900_to_2100_are_refused(text: str) -> None:
    with pytest.raises(DateInputError, match="tussen 1900 en 2100"):
        parse_date(text, TODAY)


def test_dates_at_the_edges_of_the_window_are_taken() -> None:
    assert parse_date("1-1-1900", TODAY) == date(1900, 1, 1)
    assert parse_date("31-12-2100", TODAY) == date(2100, 12, 31)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        ("0", None),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        ("-1", None),
        ("+5", None),
        ("٤٢", None),  # Arabic-Indic digits: int() takes them, an id never has them
        ("", None),
        ("1e3", None),
    ],
)
def test_ids_in_button_data(text: str, value: int | None) -> None:
    assert id_value(text) == value
    tap = decode(f"x:y:{text}")
    assert tap is not None and tap.int_arg(0) == value


def test_a_family_treats_out_of_range_or_misshapen_ids_as_unknown() -> None:
    buttons = family("tst9", "test", {"open": (int,), "give": (int, int), "day": (str,)})
    assert buttons.decode("tst9:open:7") is not None
    assert buttons.decode(f"tst9:give:7:{MAX_ID}") is not None
    assert buttons.decode("tst9:day:2026-03-03") is not None
    for data in (
        "tst9:open:2147483648",
        "tst9:open:99999999999999999999",
        "tst9:open:0",
        "tst9:open:x",
        "tst9:open",
        "tst9:open:1:2",
        "tst9:give:7:2147483648",
        "tst9:gone:7",
    ):
        assert buttons.decode(data) is None, data


MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        "ddl:open:2147483648",
        "ddl:open:99999999999999999999",
        "ddl:give:1:2147483648",
        "team:off:2147483648",
        "vac:fill:99999999999999999999",
        "wda:join:2147483648",
    ],
)
async def test_out_of_range_ids_are_answered_not_crashed(bot: BotHarness, data: str) -> None:
    me = await bot.staff(Role.TEAMLEIDER, Role.CONSULENT)
    calls = await bot.driver.tap(me, data)
    assert any(call.method == "answerCallbackQuery" for call in calls), calls
    assert not any("Er ging iets mis" in text for text in texts(calls)), calls


async def test_ontheffing_starting_in_year_9999_is_refused(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    async with bot.runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None
        session.add(
            Client(
                team_id=team.id,
                ref="C-1",
                owner_staff_id=None,
                category="werkfit",
                tags=[],
                status="actief",
                entered_on=date(2026, 1, 5),
                created_at=MONDAY,
                updated_at=MONDAY,
            )
        )
    calls = await bot.driver.text(me, "/ontheffing C-1")
    calls = await bot.driver.tap(me, button(calls, "Medisch"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.text(me, "31-12-9999")
    assert "tussen 1900 en 2100" in only_text(calls)
    # The question stays open: a sane start then works as before.
    calls = await bot.driver.text(me, "2-3-2026")
    calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
    assert "2 maart 2027" in only_text(calls)


def test_a_page_offset_may_be_zero_but_an_id_may_not() -> None:
    from bot.caselog.views import VACANCY_BUTTONS

    assert VACANCY_BUTTONS.decode("vac:page:0") is not None
    assert VACANCY_BUTTONS.decode("vac:fill:0") is None
    assert VACANCY_BUTTONS.decode("vac:page:-1") is None
    assert VACANCY_BUTTONS.decode("vac:page:2147483648") is None
