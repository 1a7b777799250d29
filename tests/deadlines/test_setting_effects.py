"""Settings of ``[deadlines]`` that once did nothing, each shown to take effect (issue 11 item 8).

Each test runs the real path (a weekdate decision, the sweep) with the setting changed from its
default and checks the outcome differs accordingly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.core.roles import Role
from bot.deadlines.settings import DeadlinesConfig
from storage.models import Deadline
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
