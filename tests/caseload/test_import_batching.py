"""The caseload import costs a fixed number of statements per chunk (issue 12 item 4: 10,000
rows under 5 s), and its bulk deadlines are the ones the bot's per-client service makes."""

from __future__ import annotations

from sqlalchemy import event, select

from bot.caseload import service
from bot.core.roles import Role
from bot.deadlines import service as deadlines
from bot.deadlines.rules import working_due
from storage.models import Client, Deadline
from tests.caseload.test_import import csv, run


def rows(first: int, n: int, owner: str) -> list[str]:
    """``n`` rows that each imply an ontheffing, a contact and the participation deadline, and
    every fifth a statushouder check: everything the import batches."""
    out = []
    for i in range(first, first + n):
        tag = "statushouder" if i % 5 == 0 else ""
        scope = "volledig" if i % 4 == 1 else "arbeidsplicht"
        exemption = f"{scope};medisch;01-03-2025;;;;" if i % 2 else ";;;;;;"
        out.append(
            f"C{i};{('zorg', 'meedoen', 'werkfit')[i % 3]};;{owner};{tag};ja;01-02-2025;actief;"
            f"{exemption}{1 + i % 27:02d}-0{1 + i % 9}-2025;;"
        )
    return out


async def statements_of(harness, data: bytes, monkeypatch, chunk: int) -> int:
    """Statements an import of ``data`` in one chunk of ``chunk`` rows sends to the database."""
    monkeypatch.setattr(service, "CHUNK", chunk)
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = harness.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        report = await run(harness, data)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert report.written, report.problems
    return len(sent)


async def test_statements_per_chunk_do_not_grow_with_the_rows(bot, monkeypatch):
    await bot.staff(Role.CONSULENT, name="Lotte")
    small = await statements_of(bot, csv(*rows(100, 10, "Lotte")), monkeypatch, 10)
    large = await statements_of(bot, csv(*rows(200, 60, "Lotte")), monkeypatch, 60)
    assert small == large, (small, large)
    # The same files again: existing clients, nothing new, still a fixed count per chunk.
    again_small = await statements_of(bot, csv(*rows(100, 10, "Lotte")), monkeypatch, 10)
    again_large = await statements_of(bot, csv(*rows(200, 60, "Lotte")), monkeypatch, 60)
    assert again_small == again_large, (again_small, again_large)


async def test_bulk_participation_deadlines_are_what_the_service_decides(bot):
    await bot.staff(Role.CONSULENT, name="Lotte")
    report = await run(bot, csv(*rows(100, 30, "Lotte")))
    assert report.written, report.problems
    async with bot.runtime.db.transaction() as session:
        imported = dict(
            (
                await session.execute(
                    select(Deadline.client_id, Deadline.due_date).where(
                        Deadline.kind == "participation_contact", Deadline.status == "open"
                    )
                )
            ).all()
        )
        clients = list(await session.scalars(select(Client.id)))
        config = bot.runtime.settings_for("Team Werk").deadlines
        for client_id in clients:
            # The per-client service, run after the import, finds nothing to add or move.
            opened = await deadlines.ensure_participation_deadline(
                session, client_id, config=config, now=bot.clock.now()
            )
            assert (opened is None) == (client_id not in imported)
        after = dict(
            (
                await session.execute(
                    select(Deadline.client_id, Deadline.due_date).where(
                        Deadline.kind == "participation_contact", Deadline.status == "open"
                    )
                )
            ).all()
        )
    assert after == imported
    assert imported and all(working_due(due) == due for due in imported.values())


async def test_a_progress_report_never_waits_for_telegram():
    # The import's transaction is open while it reports progress: the report must return at
    # once even when the edit hangs, and the latest figures are still shown in the end.
    import asyncio

    from handlers.caseload import ProgressMessage

    release = asyncio.Event()
    shown: list[tuple[int, int]] = []

    async def slow_edit(done: int, total: int) -> None:
        await release.wait()
        shown.append((done, total))

    progress = ProgressMessage(slow_edit)
    await asyncio.wait_for(progress(500, 1500), timeout=1)
    await asyncio.wait_for(progress(1000, 1500), timeout=1)
    await asyncio.wait_for(progress(1500, 1500), timeout=1)
    release.set()
    await asyncio.wait_for(progress.finish(), timeout=1)
    assert shown == [(500, 1500), (1500, 1500)]
