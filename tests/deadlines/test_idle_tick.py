"""The every-minute sweep tick does nearly nothing when nothing changed (issue 15): the
reconciles and the planning step run on the day's first tick, after a change in this process,
and every ``REPLAN_EVERY`` for changes made by another worker, so no stage is lost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, insert, select

from bot.core.roles import Role
from bot.deadlines import service as store
from bot.deadlines.sweep import REPLAN_EVERY
from jobs.deadlines import bot_sender, sweep
from storage.models import Deadline, Notification
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness

#: Tuesday 3 March 2026, 08:30 local (CET): the digest time.
MORNING = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)
TODAY = date(2026, 3, 3)


@contextmanager
def statements(bot: BotHarness) -> Iterator[list[str]]:
    """The SQL run on the bot's engine while the block runs."""
    seen: list[str] = []
    engine = bot.runtime.db.engine.sync_engine

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)


async def _setup(bot: BotHarness) -> tuple[int, int, int]:
    """A consulent with a client and an action item due today; (staff, team, client) ids."""
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    bot.clock.set(MORNING - timedelta(days=1))
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, me.id)
        client = await make_client(
            session, team_id=team_id, ref="C-1", owner_staff_id=sid, now=bot.clock.now()
        )
        await store.create_deadline(
            session, team_id=team_id, kind="action_item", due_date=TODAY,
            owner_staff_id=sid, now=bot.clock.now(), client_id=client,
        )  # fmt: skip
    return sid, team_id, client


async def _stages_of(bot: BotHarness, deadline_id: int) -> list[str]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(
            select(Notification.stage).where(Notification.deadline_id == deadline_id)
        )
        return list(rows)


async def test_idle_tick_reads_no_deadlines(bot: BotHarness) -> None:
    await _setup(bot)
    sender = bot_sender(bot.application.bot)
    bot.clock.set(MORNING)
    assert (await sweep(bot.runtime, sender)).outcomes == {"sent": 1}
    bot.clock.advance(timedelta(minutes=1))
    with statements(bot) as seen:
        report = await sweep(bot.runtime, sender)
    assert report.outcomes == {} and report.planned_notifications == 0
    assert not [s for s in seen if "deadlines" in s or "exemptions" in s], seen
    assert len(seen) <= 3, seen


async def test_a_change_here_is_planned_on_the_next_tick(bot: BotHarness) -> None:
    sid, team_id, client = await _setup(bot)
    sender = bot_sender(bot.application.bot)
    bot.clock.set(MORNING)
    await sweep(bot.runtime, sender)
    async with bot.runtime.db.transaction() as session:
        added = await store.create_deadline(
            session, team_id=team_id, kind="action_item", due_date=TODAY,
            owner_staff_id=sid, now=bot.clock.now(), client_id=client,
        )  # fmt: skip
    bot.clock.advance(timedelta(minutes=1))
    report = await sweep(bot.runtime, sender)
    assert report.planned_notifications == 1
    assert await _stages_of(bot, added) == ["due"]


async def test_a_change_by_another_worker_is_planned_within_the_interval(
    bot: BotHarness,
) -> None:
    sid, team_id, client = await _setup(bot)
    sender = bot_sender(bot.application.bot)
    bot.clock.set(MORNING)
    await sweep(bot.runtime, sender)
    # Another process writes on its own connection: this process's sessions never see it.
    async with bot.runtime.db.engine.begin() as connection:
        added = (
            await connection.execute(
                insert(Deadline).returning(Deadline.id),
                [
                    {
                        "team_id": team_id, "client_id": client, "kind": "action_item",
                        "due_date": TODAY, "owner_staff_id": sid, "status": "open",
                        "postponements": 0, "created_at": bot.clock.now(),
                    }
                ],
            )
        ).scalar_one()  # fmt: skip
    bot.clock.advance(timedelta(minutes=1))
    await sweep(bot.runtime, sender)
    bot.clock.advance(REPLAN_EVERY)
    report = await sweep(bot.runtime, sender)
    assert report.planned_notifications == 1
    assert await _stages_of(bot, added) == ["due"]


async def test_a_restarted_process_plans_at_once(bot: BotHarness) -> None:
    await _setup(bot)
    sender = bot_sender(bot.application.bot)
    bot.clock.set(MORNING)
    await sweep(bot.runtime, sender)
    bot.runtime.db.sweep_planned = None  # what a fresh process starts with
    bot.clock.advance(timedelta(minutes=1))
    with statements(bot) as seen:
        await sweep(bot.runtime, sender)
    assert [s for s in seen if "deadlines" in s]
