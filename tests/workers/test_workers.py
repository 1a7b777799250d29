"""Several webhook workers on one PostgreSQL database: dedupe, per-chat lock, job leader, health.

Each "worker" is a whole bot (its own Application and engine) on the same database, as two
processes behind nginx would be; time comes from one shared fake clock, so a lease lapses
without waiting for it.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.core.clock import FakeClock, SystemClock
from bot.core.roles import Role
from bot.transport import LocalUser
from bot.webhook import WebhookWorker
from bot.workers import LEASE_TTL, RENEW_EVERY, JobLeadership, UpdateGate
from storage.db import Database, create_engine
from storage.deadlines import create_deadline
from storage.models import JobLeader, ProcessedUpdate
from tests.app.test_cli import cli
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness
from tests.support.postgres import fresh_database, migrated_database

pytestmark = pytest.mark.postgres

# Monday 23 November 2026, 08:30 CET: the digest time.
MONDAY_0830 = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


@pytest.fixture
async def pg_url(postgres_admin_dsn: str) -> str:
    return await migrated_database(postgres_admin_dsn)


@pytest.fixture
async def two_workers(tmp_path: Path, pg_url: str) -> AsyncIterator[tuple[BotHarness, BotHarness]]:
    clock = FakeClock(MONDAY_0830 - timedelta(minutes=5))
    a = await BotHarness.start(tmp_path / "a", database_url=pg_url, clock=clock)
    b = await BotHarness.start(tmp_path / "b", database_url=pg_url, clock=clock)
    for bot, name in ((a, "worker-a"), (b, "worker-b")):
        bot.runtime.gate = UpdateGate(bot.runtime.db, clock)
        bot.runtime.leadership = JobLeadership(bot.runtime.db, clock, holder=name)
    try:
        yield a, b
    finally:
        await a.stop()
        await b.stop()


def webhook(bot: BotHarness) -> WebhookWorker:
    return WebhookWorker(
        bot.application, bot.runtime, listen="127.0.0.1", port=0, path="telegram", secret_token="x"
    )


def help_update(update_id: int, user: LocalUser) -> bytes:
    chat = {"id": user.id, "type": "private", "first_name": user.first_name}
    message = {
        "message_id": update_id,
        "date": int(MONDAY_0830.timestamp()),
        "chat": chat,
        "from": user.as_dict(),
        "text": "/help",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    }
    return json.dumps({"update_id": update_id, "message": message}).encode()


async def test_a_replayed_update_id_is_handled_once_across_workers(
    two_workers: tuple[BotHarness, BotHarness],
) -> None:
    a, b = two_workers
    me = await a.staff(Role.CONSULENT)
    a.transport.take(), b.transport.take()
    body = help_update(9001, me)
    # The same update reaches both workers at once (a retry racing the first delivery) ...
    await asyncio.gather(webhook(a).handle(body), webhook(b).handle(body))
    answered = [c for c in a.transport.take() + b.transport.take() if c.method == "sendMessage"]
    assert len(answered) == 1
    # ... and once more later (Telegram redelivers after a timeout): nothing new.
    await webhook(b).handle(body)
    await webhook(a).handle(body)
    assert a.transport.take() + b.transport.take() == []
    # A new update of the same chat is answered.
    await webhook(b).handle(help_update(9002, me))
    assert [c.method for c in b.transport.take()] == ["sendMessage"]
    async with a.runtime.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 2


async def _overlap(pg_url: str, chat_a: int, chat_b: int) -> list[str]:
    """Two workers each handle an update (chats ``chat_a``, ``chat_b``); the event order."""
    clock = FakeClock(MONDAY_0830)
    dbs = [Database(create_engine(pg_url)), Database(create_engine(pg_url))]
    events: list[str] = []

    def handler(name: str) -> Callable[[], Awaitable[None]]:
        async def handle() -> None:
            events.append(f"start {name}")
            await asyncio.sleep(0.3)
            events.append(f"end {name}")

        return handle

    try:
        await asyncio.gather(
            UpdateGate(dbs[0], clock).run(1, chat_a, handler("a")),
            UpdateGate(dbs[1], clock).run(2, chat_b, handler("b")),
        )
    finally:
        for db in dbs:
            await db.dispose()
    return events


async def test_the_chat_lock_serialises_two_updates_of_one_chat(pg_url: str) -> None:
    events = await _overlap(pg_url, 42, 42)
    assert events in (
        ["start a", "end a", "start b", "end b"],
        ["start b", "end b", "start a", "end a"],
    )


async def test_updates_of_different_chats_run_side_by_side(pg_url: str) -> None:
    # The lock is per chat, not one global queue (and the order check above can fail).
    events = await _overlap(pg_url, 42, 43)
    assert events[:2] in (["start a", "start b"], ["start b", "start a"])


async def _due_deadline(bot: BotHarness) -> int:
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, consulent.id)
        client = await make_client(
            session, team_id=team_id, ref="C-1", owner_staff_id=sid, now=bot.clock.now()
        )
        await create_deadline(
            session,
            team_id=team_id,
            kind="exemption_review",
            due_date=date(2026, 11, 23),
            owner_staff_id=sid,
            now=bot.clock.now() - timedelta(days=400),
            client_id=client,
        )
    return consulent.id


async def run_digest(bot: BotHarness) -> list[int]:
    """Fire the scheduled digest job as the JobQueue would; the chats it sent to."""
    queue = bot.application.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name("deadlines:digest")
    bot.transport.take()
    await job.run(bot.application)
    return [c.chat_id for c in bot.transport.take() if c.method == "sendMessage"]


async def test_the_leader_dies_another_takes_over_within_a_minute_one_digest(
    two_workers: tuple[BotHarness, BotHarness],
) -> None:
    a, b = two_workers
    clock = a.clock
    consulent = await _due_deadline(a)
    lead_a, lead_b = a.runtime.leadership, b.runtime.leadership
    assert lead_a is not None and lead_b is not None
    assert await lead_a.tick() and not await lead_b.tick()
    clock.set(MONDAY_0830)
    assert await lead_a.tick() and not await lead_b.tick()
    # Digest time: the follower's scheduled digest does nothing; the leader would send it ...
    assert await run_digest(b) == []
    # ... but the leader dies first: it never renews again, its connections are gone.
    last_renewal = clock.now()
    await a.runtime.db.dispose()
    took_over_after = None
    while took_over_after is None:
        clock.advance(RENEW_EVERY)
        assert clock.now() - last_renewal <= timedelta(minutes=1), "no takeover within a minute"
        if await lead_b.tick():
            took_over_after = clock.now() - last_renewal
        else:
            assert await run_digest(b) == []
    assert LEASE_TTL <= took_over_after <= timedelta(minutes=1)
    # The dead leader's own view: its lease lapsed, so a late tick of it runs nothing.
    assert not lead_a.is_leader()
    assert await run_digest(a) == []
    # The new leader sends the digest, once.
    assert await run_digest(b) == [consulent]
    assert await run_digest(b) == []


async def test_a_clean_shutdown_hands_the_lease_over_at_once(
    two_workers: tuple[BotHarness, BotHarness],
) -> None:
    a, b = two_workers
    lead_a, lead_b = a.runtime.leadership, b.runtime.leadership
    assert lead_a is not None and lead_b is not None
    assert await lead_a.tick() and not await lead_b.tick()
    await lead_a.release()
    assert not lead_a.is_leader()
    assert await lead_b.tick()


def health(url: str) -> tuple[int, list[str]]:
    result = cli("health", env={"DATABASE_URL": url, "HOME": os.environ.get("HOME", "/tmp")})
    return result.returncode, result.stdout.strip().splitlines()


async def test_health_exit_codes(postgres_admin_dsn: str, pg_url: str) -> None:
    # Not migrated: exit 1, saying so.
    code, lines = health(await fresh_database(postgres_admin_dsn))
    assert code == 1
    assert lines[0].startswith("OK") and "migraties niet actueel" in lines[1]
    # Migrated, but no process ever ran the jobs.
    code, lines = health(pg_url)
    assert code == 1 and "geen jobleider" in lines[2]
    # A worker holds the lease with a fresh heartbeat: all three checks pass.
    db = Database(create_engine(pg_url))
    try:
        leader = JobLeadership(db, SystemClock(UTC), holder="worker-1")
        assert await leader.tick()
        code, lines = health(pg_url)
        assert code == 0, lines
        assert [line[:4] for line in lines] == ["OK  "] * 3
        assert "worker-1" in lines[2]
    finally:
        await db.dispose()
    # The leader went silent two minutes ago (its heartbeat is older than a minute).
    db = Database(create_engine(pg_url))
    try:
        async with db.transaction() as session:
            await session.execute(
                update(JobLeader).values(
                    heartbeat_at=datetime.now(UTC) - timedelta(minutes=2),
                    expires_at=datetime.now(UTC) - timedelta(minutes=1),
                )
            )
        code, lines = health(pg_url)
        assert code == 1 and "jobleider stil" in lines[2], lines
    finally:
        await db.dispose()
    # The database cannot be reached.
    code, lines = health(pg_url.rsplit(":", 1)[0] + ":1/nothing")
    assert code == 1 and "database niet bereikbaar" in lines[0]
