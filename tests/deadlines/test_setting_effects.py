"""Settings of ``[deadlines]`` that once did nothing, each shown to take effect (issue 11 item 8).

Each test runs the real path (a weekdate decision, the sweep) with the setting changed from its
default and checks the outcome differs accordingly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.core.roles import Role
from bot.core.vocabulary import ExemptionReason
from bot.deadlines.settings import DeadlinesConfig
from storage.models import Deadline, ExemptionReview
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, button


@pytest.mark.parametrize(
    ("working_days", "due"),
    [
        # Tuesday 3 March 2026 + 10 working days (the default) = 17 March.
        (10, date(2026, 3, 17)),
        # + 3 working days = Friday 6 March; + 4 = Monday 9 March (the weekend skipped).
        (3, date(2026, 3, 6)),
        (4, date(2026, 3, 9)),
    ],
)
async def test_lb_appointment_working_days_sets_the_lb_task_due_date(
    tmp_path: Path, working_days: int, due: date
) -> None:
    config = Config(deadlines=DeadlinesConfig(lb_appointment_working_days=working_days))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        lb = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
        anna, lotte = await seed.staff_id(bot, consulent.id), await seed.staff_id(bot, lb.id)
        client = await seed.client(bot, "C-1001", owner=anna)
        await seed.case_item(bot, "intake", author=anna, client_id=client)
        calls = await bot.driver.text(leader, "/weekdate start")
        calls = await bot.driver.tap(leader, button(calls, "Meedoen"))
        calls = await bot.driver.tap(leader, button(calls, "ontwikkeling"))
        await bot.driver.tap(leader, button(calls, "Lotte"))
        async with bot.runtime.db.transaction() as session:
            task = await session.scalar(select(Deadline).where(Deadline.kind == "lb_appointment"))
        assert task is not None and (task.owner_staff_id, task.due_date) == (lotte, due)
    finally:
        await bot.stop()


async def test_review_months_set_first_and_next_review_and_the_review_records_its_decision(
    tmp_path: Path,
) -> None:
    """[deadlines.review_months] medisch = 6 (001:L307 "periodiek"): the first review defaults to
    six months after the start, and a "Gewijzigd" review's next one to six months after the
    review (not 12); the change records the decision behind it (issue 11 items 2 and 3)."""
    config = Config(deadlines=DeadlinesConfig(review_months={ExemptionReason.MEDICAL: 6}))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        bot.clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # Monday 23 November 2026
        me = await bot.staff(Role.CONSULENT, name="Anna")
        anna = await seed.staff_id(bot, me.id)
        await seed.client(bot, "C-1", owner=anna)
        calls = await bot.driver.text(me, "/ontheffing C-1")
        calls = await bot.driver.tap(me, button(calls, "Medisch"))
        calls = await bot.driver.tap(me, button(calls, "Volledig"))
        calls = await bot.driver.text(me, "2-3-2026")
        calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
        # 2 March 2026 + 6 months = Wednesday 2 September 2026.
        assert "Standaard is 2 september 2026" in calls[-1].text
        calls = await bot.driver.tap(me, button(calls, "02-09-2026"))
        calls = await bot.driver.tap(me, button(calls, "Vandaag"))
        calls = await bot.driver.tap(me, button(calls, "Advies verzekeringsarts"))
        await bot.driver.tap(me, button(calls, "Geen zaaknummer"))
        async with bot.runtime.db.transaction() as session:
            review = await session.scalar(select(Deadline).where(Deadline.status == "open"))
        assert review is not None and review.due_date == date(2026, 9, 2)
        calls = await bot.driver.tap(me, f"ddl:open:{review.id}")
        calls = await bot.driver.tap(me, button(calls, "Gedaan"))
        calls = await bot.driver.tap(me, button(calls, "Gewijzigd"))
        # 23 May 2027 is a Sunday: Friday 21 May 2027, six months after today's review.
        assert "Standaard 21 mei 2027" in calls[-1].text
        calls = await bot.driver.tap(me, button(calls, "21-05-2027"))
        assert "besluit" in calls[-1].text
        calls = await bot.driver.text(me, "20-11-2026")
        calls = await bot.driver.tap(me, button(calls, "Anders"))
        calls = await bot.driver.text(me, "urenbeperking gewijzigd")
        calls = await bot.driver.text(me, "Z-77")
        async with bot.runtime.db.transaction() as session:
            row = await session.scalar(select(ExemptionReview))
            assert row is not None
            assert (row.outcome, row.next_review, row.decision_date, row.basis) == (
                "gewijzigd",
                date(2027, 5, 21),
                date(2026, 11, 20),
                "anders",
            )
            assert (row.basis_note, row.case_number) == ("urenbeperking gewijzigd", "Z-77")
    finally:
        await bot.stop()


@pytest.mark.parametrize("seconds", [60, 17])
async def test_sweep_interval_seconds_sets_the_sweep_job(tmp_path: Path, seconds: int) -> None:
    config = Config(deadlines=DeadlinesConfig(sweep_interval_seconds=seconds))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        queue = bot.application.job_queue
        assert queue is not None
        (job,) = queue.get_jobs_by_name("deadlines:sweep")
        assert job.job.trigger.interval == timedelta(seconds=seconds)
    finally:
        await bot.stop()
