"""Work and health (issue 11 item 7; seed 003:L363-L365): a new traject aimed at work for a
client with a medical, full ontheffing asks for confirmation (Doorgaan / Annuleren) first."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.caselog.rules import aimed_at_work
from bot.core.roles import Role
from bot.deadlines.rules import medical_full_exemption_active
from bot.transport import BotCall, LocalUser
from storage.models import CaseItem, Client, Exemption
from tests.support.caselog import intake, tap
from tests.support.harness import BotHarness, only_text

TODAY = date(2026, 3, 3)


@pytest.mark.parametrize(
    ("instrument", "work"),
    [
        # At an employer: 003:L363 "niet in staat om te werken" is exactly what these ask.
        ("werkstage", True),
        ("proefplaatsing", True),
        ("leerwerkplek", True),
        ("jobcoaching", True),
        ("detachering", True),
        # 003:L365 "trajecten ... gericht op participatie": sociale activering, vrijwilligerswerk.
        ("vrijwilligerswerk", False),
        ("taalstage", False),
        ("workshop", False),
        ("training_certificaat", False),
    ],
)
def test_aimed_at_work(instrument: str, work: bool) -> None:
    assert aimed_at_work(instrument) is work


@pytest.mark.parametrize(
    ("row", "active"),
    [
        # A full ontheffing on the advice of a UWV verzekeringsarts (003:L363), in force.
        (("medisch", "volledig", "active", date(2025, 1, 1), None), True),
        (("medisch", "volledig", "active", date(2025, 1, 1), TODAY), True),
        # Partial, another reason, ended, not yet started, or past its end: no warning.
        (("medisch", "arbeidsplicht", "active", date(2025, 1, 1), None), False),
        (("mantelzorg", "volledig", "active", date(2025, 1, 1), None), False),
        (("medisch", "volledig", "ended", date(2025, 1, 1), None), False),
        (("medisch", "volledig", "active", date(2026, 4, 1), None), False),
        (("medisch", "volledig", "active", date(2025, 1, 1), date(2026, 3, 2)), False),
    ],
)
def test_medical_full_exemption_active(
    row: tuple[str, str, str, date, date | None], active: bool
) -> None:
    assert medical_full_exemption_active([row], TODAY) is active


async def _with_exemption(bot: BotHarness, ref: str, reason: str, scope: str) -> None:
    async with bot.runtime.db.transaction() as session:
        client = await session.scalar(select(Client).where(Client.ref == ref))
        assert client is not None
        session.add(
            Exemption(
                team_id=client.team_id,
                client_id=client.id,
                scope=scope,
                reason=reason,
                start_date=date(2025, 1, 1),
                end_date=None,
                review_date=date(2027, 1, 1),
                status="active",
                created_at=bot.clock.now(),
            )
        )


async def _trajectories(bot: BotHarness) -> list[str]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(CaseItem).where(CaseItem.kind == "trajectory"))
        return [str(r.data.get("instrument")) for r in rows]


async def _traject(bot: BotHarness, me: LocalUser, ref: str, instrument: str) -> list[BotCall]:
    calls = await bot.driver.text(me, f"/traject {ref}")
    calls = await tap(bot, me, calls, instrument)
    calls = await tap(bot, me, calls, "Vandaag")
    return await tap(bot, me, calls, "Geen einddatum")


async def test_work_traject_for_a_medical_full_ontheffing_asks_and_doorgaan_saves(
    bot: BotHarness,
) -> None:
    me = await bot.staff(Role.CONSULENT)
    await intake(bot, me, "C-11")
    await _with_exemption(bot, "C-11", "medisch", "volledig")
    calls = await _traject(bot, me, "C-11", "werkstage")
    warning = only_text(calls)
    assert "volledige ontheffing om medische redenen" in warning
    assert [label for c in calls for label, _ in c.buttons] == ["Doorgaan", "Annuleren"]
    assert await _trajectories(bot) == []
    saved = only_text(await tap(bot, me, calls, "Doorgaan"))
    assert "Traject opgeslagen" in saved
    assert await _trajectories(bot) == ["werkstage"]


async def test_annuleren_saves_nothing(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT)
    await intake(bot, me, "C-12")
    await _with_exemption(bot, "C-12", "medisch", "volledig")
    calls = await _traject(bot, me, "C-12", "proefplaatsing")
    assert "volledige ontheffing om medische redenen" in only_text(calls)
    reply = only_text(await tap(bot, me, calls, "Annuleren"))
    assert "Traject opgeslagen" not in reply
    assert await _trajectories(bot) == []


@pytest.mark.parametrize(
    ("exemption", "instrument"),
    [
        (None, "werkstage"),  # no ontheffing
        (("medisch", "arbeidsplicht"), "werkstage"),  # partial
        (("mantelzorg", "volledig"), "werkstage"),  # not medical
        (("medisch", "volledig"), "vrijwilligerswerk"),  # not aimed at work (003:L365)
    ],
)
async def test_no_warning_otherwise(
    bot: BotHarness, exemption: tuple[str, str] | None, instrument: str
) -> None:
    me = await bot.staff(Role.CONSULENT)
    await intake(bot, me, "C-13")
    if exemption is not None:
        await _with_exemption(bot, "C-13", *exemption)
    saved = only_text(await _traject(bot, me, "C-13", instrument))
    assert "Traject opgeslagen" in saved and "ontheffing" not in saved
    assert await _trajectories(bot) == [instrument]
