"""Trajecten on the local transport: /traject fills the end, Gedaan on the end asks the outcome,
an extension past the instrument's limit is refused with the rule and the seed and lands on the
next weekdate agenda; bad input, double taps and a restart mid-form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.render import render
from bot.core.roles import Role
from bot.deadlines.views import DEADLINE_BUTTONS
from bot.route.traject_rules import TrajectSettings
from bot.route.traject_service import traject_views
from bot.transport import BotCall, LocalUser
from storage.models import CaseItem, Client, Deadline, Trajectory, TrajectoryExtension
from tests.support.caselog import intake, last_text, stages_003_config, tap
from tests.support.harness import BotHarness, only_text, texts


@pytest.fixture
async def bot(tmp_path: Path, migrated_database_url: str) -> AsyncIterator[BotHarness]:
    """The shared ``bot`` fixture (SQLite and PostgreSQL) with Midden-Drenthe's stages."""
    harness = await BotHarness.start(
        tmp_path, database_url=migrated_database_url, config=stages_003_config()
    )
    yield harness
    await harness.stop()


@pytest.fixture
async def sqlite_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The shared ``sqlite_bot`` fixture with Midden-Drenthe's stages."""
    harness = await BotHarness.start(tmp_path, config=stages_003_config())
    yield harness
    await harness.stop()


async def _open_end(bot: BotHarness) -> Deadline:
    async with bot.runtime.db.transaction() as session:
        found = (
            await session.scalars(
                select(Deadline).where(Deadline.kind == "trajectory_end", Deadline.status == "open")
            )
        ).all()
    assert len(found) == 1, found
    return found[0]


async def _gedaan(bot: BotHarness, user: LocalUser) -> list[BotCall]:
    end = await _open_end(bot)
    return await bot.driver.tap(user, DEADLINE_BUTTONS.encode("done", end.id))


async def _extend(bot: BotHarness, user: LocalUser) -> str:
    calls = await _gedaan(bot, user)
    calls = await tap(bot, user, calls, "Verlengd")
    return only_text(await tap(bot, user, calls, "(+3 maanden)"))


async def _refused_items(bot: BotHarness) -> list[CaseItem]:
    async with bot.runtime.db.transaction() as session:
        items = (await session.scalars(select(CaseItem).where(CaseItem.kind == "bottleneck"))).all()
    return [i for i in items if i.data.get("extension_refused")]


async def test_taalstage_two_extensions_then_the_third_is_refused_onto_the_agenda(
    bot: BotHarness,
) -> None:
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    leader = await bot.staff(Role.TEAMLEIDER, name="Tessa")
    await intake(bot, consulent, "C-1")
    calls = await bot.driver.text(consulent, "/traject C-1")
    calls = await tap(bot, consulent, calls, "taalstage")
    calls = await tap(bot, consulent, calls, "Vandaag")
    prompt = last_text(calls)
    # The usual length fills the end; the limits are named with their seed.
    assert "Gebruikelijk is 3 maanden" in prompt and "(003:L423)" in prompt
    saved = only_text(await tap(bot, consulent, calls, "03-06-2026 (3 maanden)"))
    assert "Traject opgeslagen" in saved and "3 juni 2026" in saved

    # Gedaan on the end asks the outcome; the first two extensions are accepted.
    calls = await _gedaan(bot, consulent)
    assert [label for c in calls for label, _ in c.buttons] == [
        "Afgerond met resultaat",
        "Voortijdig gestopt",
        "Verlengd",
    ]
    first = await _extend(bot, consulent)
    assert "loopt nu tot 3 september 2026 (1× verlengd)" in first
    calls = await _gedaan(bot, consulent)
    calls = await tap(bot, consulent, calls, "Verlengd")
    assert "mag 2× verlengd worden, tot maximaal 9 maanden (003:L423)" in last_text(calls)
    # A new end before the current one is refused and asked again.
    assert "latere datum" in last_text(await bot.driver.text(consulent, "1-9-2026"))
    second = only_text(await bot.driver.text(consulent, "3-12-2026"))
    assert "loopt nu tot 3 december 2026 (2× verlengd)" in second

    # The third: refused with the rule and the seed, and it becomes a knelpunt.
    third = await _extend(bot, consulent)
    assert "Verlengen kan niet" in third and "hoogstens 2× verlengd worden (003:L423)" in third
    assert "op de agenda van het volgende weekoverleg" in third
    # A second try (a double tap, another device) does not put it on the agenda twice.
    again = await _extend(bot, consulent)
    assert "staat al als knelpunt" in again
    assert len(await _refused_items(bot)) == 1

    agenda = "\n".join(texts(await bot.driver.text(leader, "/agenda")))
    assert "Verlenging taalstage geweigerd" in agenda and "maximaal 2× (003:L423)" in agenda
    assert "C-1" in agenda

    # The traject is still running, extended twice; the card's seam shows it.
    async with bot.runtime.db.transaction() as session:
        (traject,) = (await session.scalars(select(Trajectory))).all()
        assert (traject.status, traject.end) == ("verlengd", date(2026, 12, 3))
        extensions = (await session.scalars(select(TrajectoryExtension))).all()
        assert [e.new_end for e in extensions] == [date(2026, 9, 3), date(2026, 12, 3)]
        client = await session.scalar(select(Client).where(Client.ref == "C-1"))
        assert client is not None
        views = await traject_views(
            session,
            client.id,
            labels=[(c.code, c.label) for c in bot.runtime.config.caselog.instruments],
            settings=TrajectSettings(),
        )
    card = render("route/traject_card", trajecten=views)
    assert "taalstage 03-03-2026 – 03-12-2026 · verlengd · 2× verlengd van max. 2" in card
    assert "2e verlenging: 03-09-2026 → 03-12-2026" in card

    # Then it ends: afgerond met resultaat. The end deadline is done; nothing is left open.
    calls = await _gedaan(bot, consulent)
    done = only_text(await tap(bot, consulent, calls, "Afgerond met resultaat"))
    assert "Traject afgerond met resultaat (C-1, taalstage)" in done
    async with bot.runtime.db.transaction() as session:
        traject = await session.get_one(Trajectory, traject.id)
        assert traject.status == "afgerond"
        left = (await session.scalars(select(Deadline).where(Deadline.status == "open"))).all()
    assert [d.kind for d in left if d.kind.startswith("trajectory")] == []


async def test_stopped_early_asks_the_reason(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-2")
    calls = await bot.driver.text(consulent, "/traject C-2")
    calls = await tap(bot, consulent, calls, "werkstage")
    calls = await tap(bot, consulent, calls, "Vandaag")
    await tap(bot, consulent, calls, "(3 maanden)")
    calls = await _gedaan(bot, consulent)
    calls = await tap(bot, consulent, calls, "Voortijdig gestopt")
    assert "korte reden" in last_text(calls)
    assert "300 tekens" in last_text(await bot.driver.text(consulent, "x" * 400))
    stopped = only_text(await bot.driver.text(consulent, "cliënt verhuisd"))
    assert "voortijdig gestopt" in stopped and "cliënt verhuisd" in stopped
    async with bot.runtime.db.transaction() as session:
        (traject,) = (await session.scalars(select(Trajectory))).all()
        assert (traject.status, traject.stop_reason) == ("gestopt", "cliënt verhuisd")
        # The werkstage's "maximum reached" deadline went with it.
        limits = (
            await session.scalars(select(Deadline).where(Deadline.kind == "trajectory_limit"))
        ).all()
    assert [d.status for d in limits] == ["not_applicable"]
    # The old Gedaan button now says it is gone.
    async with bot.runtime.db.transaction() as session:
        end = await session.scalar(select(Deadline).where(Deadline.kind == "trajectory_end"))
    assert end is not None
    gone = await bot.driver.tap(consulent, DEADLINE_BUTTONS.encode("done", end.id))
    assert "al afgehandeld" in texts(gone)[0]


async def test_bad_end_dates_on_traject(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-3")
    calls = await bot.driver.text(consulent, "/traject C-3")
    calls = await tap(bot, consulent, calls, "werkstage")
    calls = await tap(bot, consulent, calls, "Vandaag")
    # The end before or on the start, an absurd length, past the werkstage's maximum.
    for bad in ("2-3-2026", "3-3-2026", "31-02-2026", "1-1-2031", ""):
        assert "Traject opgeslagen" not in last_text(await bot.driver.text(consulent, bad)), bad
    too_long = last_text(await bot.driver.text(consulent, "1-1-2027"))
    assert "maximaal 6 maanden (003:L419)" in too_long and "3 september 2026" in too_long
    # Another date than the usual one can still be typed.
    saved = only_text(await bot.driver.text(consulent, "15-5-2026"))
    assert "15 mei 2026" in saved


async def test_outcome_form_survives_a_restart(tmp_path: Path) -> None:
    bot = await BotHarness.start(tmp_path, config=stages_003_config())
    consulent = await bot.staff(Role.CONSULENT)
    try:
        await intake(bot, consulent, "C-4")
        calls = await bot.driver.text(consulent, "/traject C-4")
        calls = await tap(bot, consulent, calls, "taalstage")
        calls = await tap(bot, consulent, calls, "Vandaag")
        await tap(bot, consulent, calls, "(3 maanden)")
        calls = await _gedaan(bot, consulent)
        await tap(bot, consulent, calls, "Verlengd")
    finally:
        await bot.stop()
    bot = await BotHarness.start(tmp_path, config=stages_003_config())
    try:
        saved = only_text(await bot.driver.text(consulent, "1-8-2026"))
        assert "loopt nu tot 1 augustus 2026 (1× verlengd)" in saved
    finally:
        await bot.stop()
