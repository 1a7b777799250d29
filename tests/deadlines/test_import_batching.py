"""The CSV import of existing deadlines is batched (issue 12 item 4: it made three queries per
row): a fixed number of statements per chunk, and a reference typed without its prefix still
finds its one client."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from bot.core.roles import Role
from bot.deadlines import service
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness


async def _statements(bot: BotHarness, rows: list[service.ImportRow], team_id: int):
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = bot.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        async with bot.runtime.db.transaction() as session:
            result = await service.import_deadlines(
                session, rows, team_id=team_id, now=bot.clock.now()
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent), result


async def test_statements_do_not_grow_with_the_rows(bot: BotHarness, monkeypatch) -> None:
    user = await bot.staff(Role.CONSULENT, name="Sanne")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, user.id)
        for i in range(40):
            await make_client(
                session, team_id=team_id, ref=f"C-{i}", owner_staff_id=sid, now=bot.clock.now()
            )
    monkeypatch.setattr(service, "IMPORT_CHUNK", 1000)

    def rows(first: int, n: int) -> list[service.ImportRow]:
        start = date(2027, 3, 1)
        return [
            service.ImportRow(
                i + 2, "action_item", start + timedelta(days=i), f"C-{i}", owner_name="sanne"
            )
            for i in range(first, first + n)
        ]

    small, few = await _statements(bot, rows(0, 5), team_id)
    large, many = await _statements(bot, rows(5, 35), team_id)
    assert (len(few.created), len(many.created)) == (5, 35)
    assert small == large, (small, large)
    # The same rows again: every one a duplicate, none created, still no per-row queries.
    again, same = await _statements(bot, rows(5, 35), team_id)
    assert same.created == [] and len(same.duplicates) == 35 and again <= large


async def test_a_reference_without_its_prefix_finds_the_one_client(bot: BotHarness) -> None:
    user = await bot.staff(Role.CONSULENT, name="Sanne")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, user.id)
        client = await make_client(
            session, team_id=team_id, ref="C-777", owner_staff_id=sid, now=bot.clock.now()
        )
        await make_client(
            session, team_id=team_id, ref="A-12", owner_staff_id=sid, now=bot.clock.now()
        )
        await make_client(
            session, team_id=team_id, ref="B-12", owner_staff_id=sid, now=bot.clock.now()
        )
    rows = [
        service.ImportRow(2, "action_item", date(2027, 3, 2), "777"),
        service.ImportRow(3, "action_item", date(2027, 3, 2), "12"),  # two clients: no guess
        service.ImportRow(4, "action_item", date(2027, 3, 3), "c777"),
    ]
    _, result = await _statements(bot, rows, team_id)
    assert result.errors == [(3, "unknown_client")]
    async with bot.runtime.db.transaction() as session:
        made = [await service.get_deadline(session, i) for i in result.created]
    assert [d.client_id for d in made if d] == [client, client]
