"""What one update costs the database: one transaction, access served from memory (and dropped the
moment staff, roles or teams change), lists whose statement count does not grow with the caseload
(issue 15, item 1). Counts, never timings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select, update

from bot import workers
from bot.core.roles import Role
from bot.transport import LocalUser
from storage import access_generation, staff
from storage.models import CacheGeneration, CaseItem, Staff
from tests.support.caselog import intake
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness, button, only_text, texts

STRANGER_TEXT = "Deze bot is alleen voor medewerkers. Vraag je teamleider om een uitnodiging."


@dataclass
class Counts:
    """Transactions begun and statements run on the bot's engine."""

    begins: int = 0
    statements: int = 0


@contextmanager
def counting(bot: BotHarness) -> Iterator[Counts]:
    """Count ``begin`` events and statements on the bot's engine while the block runs."""
    counts = Counts()
    engine = bot.runtime.db.engine.sync_engine

    def on_begin(_conn: Any) -> None:
        counts.begins += 1

    def on_statement(*_args: Any) -> None:
        counts.statements += 1

    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        yield counts
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_statement)


async def test_every_update_is_at_most_one_transaction(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-10234")
    await bot.driver.text(consulent, "/help")  # the access lookup is now in memory
    updates: list[tuple[str, str]] = [
        ("/help", "/help"),
        ("/mijn", "/mijn"),
        ("/termijnen", "/termijnen"),
        ("/client", "/client C-10234"),
        ("/succes", "/succes C-10234 contract getekend"),
        # Plain text: the check for an open form, the reference lookup and the chat form's
        # start share the update's one transaction.
        ("chat text", "C-10234 heeft gebeld over werk"),
        ("form step", "/annuleer"),
        ("form start", "/aanmelding"),
        ("form answer", "N-555"),
    ]
    for name, text in updates:
        with counting(bot) as counts:
            calls = await bot.driver.text(consulent, text)
        assert texts(calls), name
        assert counts.begins <= 1, (name, counts.begins)


async def test_a_tap_is_one_transaction(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-10234")
    calls = await bot.driver.text(consulent, "C-10234 heeft gebeld over werk")
    data = next(data for call in calls for _label, data in call.buttons)
    with counting(bot) as counts:
        await bot.driver.tap(consulent, data)
    assert counts.begins == 1


async def test_known_staff_is_served_from_memory(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await bot.driver.text(consulent, "/help")
    with counting(bot) as counts:
        calls = await bot.driver.text(consulent, "/help")
    assert "/mijn" in only_text(calls)
    assert counts.statements == 0


async def test_deactivated_colleague_is_refused_at_once(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    assert texts(await bot.driver.text(consulent, "/help")) != [STRANGER_TEXT]  # now cached
    calls = await bot.driver.text(leader, "/team")
    confirm = await bot.driver.tap(leader, button(calls, "Deactiveer Sanne"))
    assert "gedeactiveerd" in only_text(await bot.driver.tap(leader, button(confirm, "Ja")))
    assert texts(await bot.driver.text(consulent, "/help")) == [STRANGER_TEXT]


async def test_new_role_counts_at_once(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    assert "/uitnodigen" not in only_text(await bot.driver.text(consulent, "/help"))
    await bot.staff(Role.CONSULENT, Role.TEAMLEIDER, name="x")  # another member: no effect
    assert "/uitnodigen" not in only_text(await bot.driver.text(consulent, "/help"))
    async with bot.runtime.db.transaction() as session:
        assert await staff.add_roles(session, consulent.id, [Role.TEAMLEIDER]) is not None
    assert "/uitnodigen" in only_text(await bot.driver.text(consulent, "/help"))


async def _deactivate_elsewhere(bot: BotHarness, user: LocalUser) -> None:
    """Another worker deactivates ``user``: a plain connection, not this process's sessions."""
    async with bot.runtime.db.engine.begin() as connection:
        await connection.execute(
            update(Staff).where(Staff.telegram_user_id == user.id).values(active=False)
        )


async def test_change_by_another_worker_counts_after_the_expiry(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await bot.driver.text(consulent, "/help")
    await _deactivate_elsewhere(bot, consulent)
    # Within the expiry (30 s by default) this process does not know yet ...
    bot.clock.advance(timedelta(seconds=29))
    assert texts(await bot.driver.text(consulent, "/help")) != [STRANGER_TEXT]
    # ... and after it, it does.
    bot.clock.advance(timedelta(seconds=2))
    assert texts(await bot.driver.text(consulent, "/help")) == [STRANGER_TEXT]


async def test_generation_bump_is_the_cross_worker_signal(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await bot.driver.text(consulent, "/help")
    await _deactivate_elsewhere(bot, consulent)
    access_generation.bump()  # what a cross-worker notice calls
    assert texts(await bot.driver.text(consulent, "/help")) == [STRANGER_TEXT]


async def _caseload(bot: BotHarness, user: LocalUser, first: int, clients: int) -> None:
    async with bot.runtime.db.transaction() as session:
        owner, team = await staff_id(session, user.id)
        for n in range(first, first + clients):
            client = await make_client(
                session, team_id=team, ref=f"C-{n:05d}", owner_staff_id=owner, now=bot.clock.now()
            )
            session.add(
                CaseItem(
                    team_id=team, client_id=client, author_staff_id=owner, kind="trajectory",
                    text=None, data={"end": "2027-01-01"}, created_at=bot.clock.now(),
                )
            )  # fmt: skip


async def test_mijn_statement_count_does_not_grow_with_the_caseload(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await _caseload(bot, consulent, 0, 3)
    await bot.driver.text(consulent, "/help")
    with counting(bot) as small:
        few = only_text(await bot.driver.text(consulent, "/mijn"))
    await _caseload(bot, consulent, 3, 30)
    with counting(bot) as big:
        many = only_text(await bot.driver.text(consulent, "/mijn"))
    assert "C-00002" in few and "(33)" in many  # one page of the 33 (tests/caselog: paging)
    assert big.statements == small.statements


async def test_chat_text_looks_up_only_the_words_that_could_be_references(
    bot: BotHarness,
) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await _caseload(bot, consulent, 0, 3)
    captured: list[Any] = []
    engine = bot.runtime.db.engine.sync_engine

    def on_statement(_c: Any, _cur: Any, statement: str, params: Any, *_rest: Any) -> None:
        if "clients.ref_key IN" in statement or "FROM clients" in statement:
            captured.append(params)

    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        calls = await bot.driver.text(consulent, "c00002 en de bakker belden")
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    assert "C-00002" in texts(calls)[0]
    flat = [str(v) for params in captured for v in (params or ())]
    assert "C00002" in flat and "BAKKER" not in flat


async def _shared_generation(bot: BotHarness) -> int:
    async with bot.runtime.db.engine.connect() as connection:
        value = await connection.scalar(
            select(CacheGeneration.generation).where(
                CacheGeneration.name == access_generation.SHARED_NAME
            )
        )
    return int(value or 0)


async def test_a_change_to_staff_bumps_the_shared_generation_in_its_transaction(
    bot: BotHarness,
) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    before = await _shared_generation(bot)
    async with bot.runtime.db.transaction() as session:
        assert await staff.add_roles(session, consulent.id, [Role.TEAMLEIDER]) is not None
    assert await _shared_generation(bot) == before + 1
    # A read-only update (and a rolled-back change) leaves it alone.
    await bot.driver.text(consulent, "/help")
    try:
        async with bot.runtime.db.transaction() as session:
            await staff.add_roles(session, consulent.id, [Role.NETWERKER])
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert await _shared_generation(bot) == before + 1


async def test_another_workers_change_is_seen_at_the_next_watch_not_after_the_expiry(
    bot: BotHarness,
) -> None:
    """What a webhook worker's ``workers:watch-access`` job (every 2 s) does: the other worker's
    commit bumped the shared row, this worker drops its cached access at once."""
    consulent = await bot.staff(Role.CONSULENT)
    watch = bot.runtime.access_watch
    await workers.watch_access(bot.runtime.db, watch, bot.runtime.clock)  # first look
    await bot.driver.text(consulent, "/help")
    # The other worker: its change and its bump of the shared row, in one transaction.
    async with bot.runtime.db.engine.begin() as connection:
        await connection.execute(
            update(Staff).where(Staff.telegram_user_id == consulent.id).values(active=False)
        )
        await connection.execute(
            update(CacheGeneration)
            .where(CacheGeneration.name == access_generation.SHARED_NAME)
            .values(generation=CacheGeneration.generation + 1)
        )
    assert await _shared_generation(bot) >= 1
    assert await workers.watch_access(bot.runtime.db, watch, bot.runtime.clock)
    assert texts(await bot.driver.text(consulent, "/help")) == [STRANGER_TEXT]
    # Nothing changed since: the next look drops nothing.
    assert not await workers.watch_access(bot.runtime.db, watch, bot.runtime.clock)
