"""/uitstroom against hostile input, a double tap, a restart mid-form; a configured reason list
without werk refused at start; and a year on the clock: the loonwaardemeting reaches the LB's
digest on its working day, not before, not for anyone else."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import ConfigError, parse_config
from bot.core.clock import AMSTERDAM
from bot.core.roles import Role
from bot.core.workdays import is_working_day
from jobs.deadlines import bot_sender, sweep
from storage.models import Client, Deadline, Placement
from tests.support import weekdate_seed as seed
from tests.support.caselog import form_state, last_text, tap
from tests.support.harness import BotHarness, button, only_text, texts

BAD_TEXT = ["", "   ", "x" * 5000, "😀😀", "<b>", "</a>", "*"]


async def _rows(bot: BotHarness) -> tuple[int, int, int, str]:
    async with bot.runtime.db.transaction() as session:
        placements = await session.scalar(select(func.count()).select_from(Placement))
        open_deadlines = await session.scalar(
            select(func.count()).select_from(Deadline).where(Deadline.status == "open")
        )
        deadlines = await session.scalar(select(func.count()).select_from(Deadline))
        status = await session.scalar(select(Client.status).where(Client.ref == "C-500"))
    return int(placements or 0), int(open_deadlines or 0), int(deadlines or 0), str(status)


async def test_every_wrong_input_keeps_the_uitstroom_where_it_was(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    await seed.client(bot, "C-500", owner=await seed.staff_id(bot, sanne.id), status="actief")
    before = await _rows(bot)

    async def refused(step: str, extra: list[str], bad: list[str] = BAD_TEXT) -> None:
        state = await form_state(bot, sanne)
        assert state is not None and state[1] == step
        attempts = [await bot.driver.photo(sanne), await bot.driver.sticker(sanne)]
        attempts += [await bot.driver.text(sanne, t) for t in [*bad, *extra]]
        for calls in attempts:
            reply = last_text(calls)
            assert reply and "Er ging iets mis" not in reply
        assert await form_state(bot, sanne) == state
        assert await _rows(bot) == before

    await bot.driver.text(sanne, "/uitstroom")
    await refused("ref", ["C 500", "Jan Jansen", "C-123456782", "C-999"])
    calls = await bot.driver.text(sanne, "C-500")
    await refused("reason", ["werken", "ontslag"])
    calls = await bot.driver.text(sanne, "Werk")  # a typed label counts as the button
    await refused("date", ["31-02", "31-02-2026", "01-01-1990", "01-01-2099", "morgen", "2-3"])
    assert "bestaat niet" in last_text(await bot.driver.text(sanne, "31-02-2026"))
    calls = await tap(bot, sanne, calls, "Vandaag")
    await refused("kind", ["fulltime!", "zzp"])
    calls = await tap(bot, sanne, calls, "detachering")
    await refused("hours", ["0", "61", "veertig", "32,5", "-4"])
    calls = await bot.driver.text(sanne, "36")
    # Any short text is a note; empty and overlong ones are not.
    await refused("note", ["x" * 301], bad=["", "   ", "x" * 5000])
    calls = await bot.driver.text(sanne, "😀 <b> </a> *")
    summary = only_text(calls)
    assert "Klopt dit?" in summary and "&lt;b&gt;" in summary
    await refused("sum", ["opslaan", "ja"])
    saved = await tap(bot, sanne, calls, "Opslaan")
    assert "is uitgestroomd (werk" in texts(saved)[0]
    # The same button again: the form is gone, nothing is saved twice.
    again = await bot.driver.tap(sanne, button(calls, "Opslaan"))
    assert texts(again) == []
    placements, _open, deadlines, status = await _rows(bot)
    assert (placements, status) == (1, "uitgestroomd") and deadlines == before[2]


async def test_wijzigen_to_werk_asks_the_kind_and_hours(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    await seed.client(bot, "C-500", owner=await seed.staff_id(bot, sanne.id), status="actief")
    calls = await bot.driver.text(sanne, "/uitstroom C-500")
    calls = await tap(bot, sanne, calls, "onderwijs")
    calls = await tap(bot, sanne, calls, "Vandaag")
    calls = await tap(bot, sanne, calls, "Geen notitie")
    calls = await tap(bot, sanne, calls, "Wijzigen")
    calls = await tap(bot, sanne, calls, "Reden")
    calls = await tap(bot, sanne, calls, "werk")
    assert "Wat voor werk is het?" in only_text(calls)
    calls = await tap(bot, sanne, calls, "garantiebaan")
    calls = await bot.driver.text(sanne, "20")
    summary = only_text(calls)
    assert "Reden: werk" in summary and "garantiebaan/banenafspraak" in summary
    assert "Uren per week: 20" in summary


async def test_restart_mid_uitstroom_resumes(tmp_path: Path) -> None:
    first = await BotHarness.start(tmp_path)
    sanne = await first.staff(Role.CONSULENT, name="Sanne")
    await seed.client(first, "C-500", owner=await seed.staff_id(first, sanne.id), status="actief")
    calls = await first.driver.text(sanne, "/uitstroom C-500")
    calls = await tap(first, sanne, calls, "werk")
    calls = await tap(first, sanne, calls, "Vandaag")
    kind_button = button(calls, "met loonkostensubsidie")
    await first.stop()

    second = await BotHarness.start(tmp_path)
    try:
        calls = await second.driver.tap(sanne, kind_button)
        assert "Hoeveel uur per week?" in only_text(calls)
        calls = await second.driver.text(sanne, "24")
        calls = await tap(second, sanne, calls, "Geen notitie")
        saved = only_text(await tap(second, sanne, calls, "Opslaan"))
        assert "C-500</b> is geplaatst" in saved
    finally:
        await second.stop()


def test_a_reason_list_without_werk_is_refused_at_start() -> None:
    with pytest.raises(ConfigError, match="exit_reasons"):
        parse_config({"caselog": {"exit_reasons": ["verhuizing", "overig"]}}, {})
    parsed = parse_config({"caselog": {"exit_reasons": ["werk", "pensioen"]}}, {})
    assert [r.code for r in parsed.caselog.exit_reasons] == ["werk", "pensioen"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


async def test_the_loonwaardemeting_reaches_the_lb_a_year_later(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    lars = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lars")
    await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    await seed.client(bot, "C-500", owner=await seed.staff_id(bot, sanne.id), status="actief")
    # The LB the weekdate asked to plan the first conversation does the loonwaardemeting, even
    # though another LB (Lotte) is listed first in the team.
    async with bot.runtime.db.transaction() as session:
        client_id = await session.scalar(select(Client.id).where(Client.ref == "C-500"))
        session.add(
            Deadline(
                team_id=await seed.team_id(bot),
                client_id=client_id,
                kind="lb_appointment",
                due_date=date(2026, 3, 1),
                owner_staff_id=await seed.staff_id(bot, lars.id),
                status="done",
                created_at=bot.clock.now(),
                postponements=0,
            )
        )
    # Placed on Saturday 7 March 2026 (typed): the first loonwaardemeting would fall on Sunday
    # 7 March 2027, so it is due on Friday 5 March.
    bot.clock.set(_at(date(2026, 3, 9), 10))
    calls = await bot.driver.text(sanne, "/uitstroom C-500")
    calls = await tap(bot, sanne, calls, "werk")
    calls = await bot.driver.text(sanne, "7-3-2026")
    calls = await tap(bot, sanne, calls, "met loonkostensubsidie")
    calls = await bot.driver.text(sanne, "32")
    calls = await tap(bot, sanne, calls, "Geen notitie")
    saved = await tap(bot, sanne, calls, "Opslaan")
    assert "Loonwaardemeting: Lars, uiterlijk 5 maart 2027" in texts(saved)[0]
    bot.transport.take()

    due = date(2027, 3, 5)
    assert is_working_day(due)
    send = bot_sender(bot.application.bot)
    seen: dict[date, list[tuple[int, str]]] = {}
    day = date(2027, 2, 1)
    while day <= due + timedelta(days=3):
        bot.clock.set(_at(day, 8, 45))
        await sweep(bot.runtime, send)
        sent = [(c.chat_id, c.text) for c in bot.transport.take() if "C-500" in c.text]
        if sent:
            seen[day] = sent
        day += timedelta(days=1)
    # Every message about C-500 went to Lars alone, on working days.
    assert seen and all(chat == lars.id for sent in seen.values() for chat, _ in sent)
    assert all(is_working_day(d) for d in seen)
    assert due in seen and "oonwaardemeting" in seen[due][0][1]
    # Nothing about it before the vooraankondiging (30 days before the due date).
    assert min(seen) >= due - timedelta(days=30)
    # The client left long ago; the placement's follow-up is still open.
    async with bot.runtime.db.transaction() as session:
        status = await session.scalar(
            select(Deadline.status).where(Deadline.kind == "wage_value_assessment")
        )
    assert status == "open"
