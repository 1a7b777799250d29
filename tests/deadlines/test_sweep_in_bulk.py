"""The sweep closes in bulk: its statements grow with what changed, not with what is open."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import event, select

from bot.core.roles import Role
from bot.deadlines import service
from bot.deadlines.settings import DeadlinesConfig
from storage.models import Deadline
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness


async def _strays(bot: BotHarness, first: int, count: int) -> None:
    """Werkfit clients still holding a participatiecontact (their category changed today)."""
    lead = await bot.staff(Role.CONSULENT)
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        owner, team = await staff_id(session, lead.id)
        for n in range(first, first + count):
            client = await make_client(
                session, team_id=team, ref=f"C-{n:05d}", owner_staff_id=owner, now=now,
                category="werkfit",
            )  # fmt: skip
            session.add(
                Deadline(
                    team_id=team, client_id=client, kind="participation_contact",
                    due_date=date(2026, 6, 1), owner_staff_id=owner, status="open", created_at=now,
                )
            )  # fmt: skip


async def _reconcile(bot: BotHarness) -> tuple[int, int]:
    statements = [0]

    def on_statement(*_args: Any) -> None:
        statements[0] += 1

    engine = bot.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        async with bot.runtime.db.transaction() as session:
            _created, closed = await service.reconcile_participation(
                session, config=DeadlinesConfig(), now=bot.clock.now()
            )
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    return closed, statements[0]


async def test_closing_strays_costs_the_same_for_two_or_forty(bot: BotHarness) -> None:
    await _strays(bot, 0, 2)
    few, few_statements = await _reconcile(bot)
    await _strays(bot, 100, 40)
    many, many_statements = await _reconcile(bot)
    assert (few, many) == (2, 40)
    assert many_statements == few_statements
    async with bot.runtime.db.transaction() as session:
        notes = set(await session.scalars(select(Deadline.resolution_note)))
        still_open = await session.scalar(select(Deadline.id).where(Deadline.status == "open"))
    assert notes == {"categorie"} and still_open is None
