"""The deadlines the route makes by itself, through the real sweep: the statushouder check at the
aanmelding (001:L156) and a traject's end and "maximum reached" deadlines, each for the client's
owner (not whoever typed it), on the right working day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import select

from bot.core.clock import AMSTERDAM
from bot.core.roles import Role
from jobs.deadlines import sweep
from storage.models import Deadline, Digest
from tests.support.caselog import stages_003_config, tap
from tests.support.deadlines import RecordingSender, staff_id
from tests.support.harness import BotHarness, only_text

STATUS_CHECK = date(2026, 9, 3)  # Thursday: six months after Tuesday 3 March 2026
TRAJECT_END = date(2026, 11, 27)  # the end typed is Saturday 28 November: the Friday before
LIMIT = date(2026, 12, 3)  # Thursday: the taalstage's nine months (003:L423)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(8, 45), tzinfo=AMSTERDAM).astimezone(UTC)


async def _deadlines(bot: BotHarness) -> dict[str, Deadline]:
    async with bot.runtime.db.transaction() as session:
        rows = (await session.scalars(select(Deadline))).all()
    return {d.kind: d for d in rows}


async def test_route_deadlines_reach_the_owner_on_the_right_working_day(tmp_path: Path) -> None:
    bot = await BotHarness.start(tmp_path, config=stages_003_config())
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Sanne")
        leader = await bot.staff(Role.TEAMLEIDER, name="Tessa")
        calls = await bot.driver.text(consulent, "/aanmelding C-7")
        for label in ("Vandaag", "ja", "Weet ik nog niet", "statushouder", "Klaar", "Zorg"):
            calls = await tap(bot, consulent, calls, label)
        calls = await tap(bot, consulent, calls, "Geen notitie")
        assert "opgeslagen" in only_text(await tap(bot, consulent, calls, "Opslaan"))
        # Made at the aanmelding itself, before any sweep.
        made = await _deadlines(bot)
        async with bot.runtime.db.transaction() as session:
            owner, _team = await staff_id(session, consulent.id)
            leader_id, _team = await staff_id(session, leader.id)
        check = made["status_holder_review"]
        assert (check.due_date, check.owner_staff_id) == (STATUS_CHECK, owner)

        # The teamleider logs the traject; the client's owner gets its deadlines.
        calls = await bot.driver.text(leader, "/traject C-7")
        calls = await tap(bot, leader, calls, "taalstage")
        calls = await tap(bot, leader, calls, "Vandaag")
        assert "28 november 2026" in only_text(await bot.driver.text(leader, "28-11-2026"))
        made = await _deadlines(bot)
        end, limit = made["trajectory_end"], made["trajectory_limit"]
        assert (end.due_date, end.owner_staff_id) == (TRAJECT_END, owner)
        assert (limit.due_date, limit.owner_staff_id) == (LIMIT, owner)

        sender = RecordingSender()
        for day in (date(2026, 9, 2), STATUS_CHECK, date(2026, 11, 26), TRAJECT_END, LIMIT):
            bot.clock.set(_at(day))
            await sweep(bot.runtime, sender)
        # The sweep's own statushouder rule does not make a second check.
        assert [d.kind for d in (await _deadlines(bot)).values()].count("status_holder_review") == 1
        async with bot.runtime.db.transaction() as session:
            digests = (await session.scalars(select(Digest))).all()
        by_day = {(d.staff_id, d.digest_date): set(d.deadline_ids or []) for d in digests}
        for deadline, due in ((check, STATUS_CHECK), (end, TRAJECT_END), (limit, LIMIT)):
            assert deadline.id in by_day[(owner, due)], deadline.kind
            # Not the teamleider's on its day (only an escalation, 14 days later, would be).
            assert deadline.id not in by_day.get((leader_id, due), set()), deadline.kind
        # On its day the owner reads it under "Vandaag", in the one morning digest.
        on_end = [r.text for r in sender.to(consulent.id)]
        assert any("Einde traject" in text and "C-7" in text for text in on_end)
        assert any("Statushouder: categorie bekijken" in text for text in on_end)
        assert any("Traject: maximale duur bereikt" in text for text in on_end)
    finally:
        await bot.stop()


KINGS_DAY_2027 = date(2027, 4, 27)  # Tuesday, a public holiday
ASSESSMENT = date(2027, 4, 26)  # the Monday before: twelve months after 27 April 2026


async def test_the_loonwaardemeting_reaches_the_lb_on_the_working_day_before(
    tmp_path: Path,
) -> None:
    """An uitstroom to werk with loonkostensubsidie on 27 April 2026: the loonwaardemeting is
    due twelve months later, which is King's Day 2027, so it moves to the Monday before; it
    is the loopbaanbegeleider's (not the consulent's who recorded it), in that day's digest."""
    bot = await BotHarness.start(tmp_path)
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Sanne")
        lb = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lars")
        calls = await bot.driver.text(consulent, "/aanmelding C-8")
        for label in ("Vandaag", "ja", "Weet ik nog niet", "Klaar", "Werkfit"):
            calls = await tap(bot, consulent, calls, label)
        calls = await tap(bot, consulent, calls, "Geen notitie")
        assert "opgeslagen" in only_text(await tap(bot, consulent, calls, "Opslaan"))
        bot.clock.set(_at(date(2026, 4, 28)))
        calls = await bot.driver.text(consulent, "/uitstroom C-8")
        calls = await tap(bot, consulent, calls, "werk")
        calls = await bot.driver.text(consulent, "27-04-2026")
        calls = await tap(bot, consulent, calls, "met loonkostensubsidie")
        calls = await bot.driver.text(consulent, "32")
        calls = await tap(bot, consulent, calls, "Geen notitie")
        await tap(bot, consulent, calls, "Opslaan")
        assessment = (await _deadlines(bot))["wage_value_assessment"]
        async with bot.runtime.db.transaction() as session:
            lb_id, _team = await staff_id(session, lb.id)
        assert (assessment.due_date, assessment.owner_staff_id) == (ASSESSMENT, lb_id)

        sender = RecordingSender()
        for day in (date(2027, 4, 23), ASSESSMENT):
            bot.clock.set(_at(day))
            await sweep(bot.runtime, sender)
        async with bot.runtime.db.transaction() as session:
            digests = (await session.scalars(select(Digest))).all()
        on_its_day = {d.staff_id for d in digests if assessment.id in (d.deadline_ids or [])}
        assert lb_id in on_its_day
        texts_lb = [r.text for r in sender.to(lb.id)]
        assert any("Vandaag" in t and "C-8" in t for t in texts_lb), texts_lb
        assert not any("C-8" in r.text for r in sender.to(consulent.id))
    finally:
        await bot.stop()
