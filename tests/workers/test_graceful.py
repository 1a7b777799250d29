"""A webhook worker stops gracefully on SIGTERM; caches see other workers' changes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx

from bot.app import build_application
from bot.config import Config, TeamConfig, TelegramConfig, WebhookConfig
from bot.core.clock import FakeClock
from bot.runtime import Runtime
from bot.transport import LocalTransport
from bot.webhook import WebhookWorker
from bot.workers import ACCESS_CACHE, GenerationWatch, JobLeadership, UpdateGate
from storage import workers as store
from storage.db import Database, create_engine
from tests.support.harness import DEFAULT_START, migrated_sqlite

SECRET = "graceful-secret-token-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SlowGate(UpdateGate):
    """Handling takes a while, so SIGTERM arrives with the update in flight."""

    started = asyncio.Event()

    async def run(
        self, update_id: int, chat_id: int | None, handle: Callable[[], Awaitable[None]]
    ) -> bool:
        self.started.set()
        await asyncio.sleep(0.5)
        return await super().run(update_id, chat_id, handle)


class CountingDatabase(Database):
    disposed = 0

    async def dispose(self) -> None:
        CountingDatabase.disposed += 1
        await super().dispose()


async def test_sigterm_finishes_the_update_in_flight_then_releases_and_disposes(
    tmp_path: Path,
) -> None:
    await migrated_sqlite(tmp_path / "bot.sqlite")
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
    hook = WebhookConfig(url="https://bot.example.nl/telegram", secret_token=SECRET)
    config = replace(
        Config(teams=(TeamConfig("Team Werk"),)),
        telegram=TelegramConfig(mode="webhook", webhook=hook),
        database_url=url,
    )
    clock = FakeClock(DEFAULT_START)
    db = CountingDatabase(create_engine(url))
    runtime = Runtime(config=config, clock=clock, db=db)
    runtime.gate = SlowGate(db, clock)
    runtime.leadership = JobLeadership(db, clock, holder="worker-1")
    transport = LocalTransport()
    application = build_application(runtime, request=transport, rate_limit=False)
    port = _free_port()
    worker = WebhookWorker(
        application, runtime, listen="127.0.0.1", port=port, path="telegram", secret_token=SECRET
    )
    ready = asyncio.Event()
    serving = asyncio.create_task(worker.serve(ready=ready))
    await asyncio.wait_for(ready.wait(), 30)
    assert runtime.leadership.is_leader()  # the first lease tick ran at start
    body = {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "date": int(DEFAULT_START.timestamp()),
            "chat": {"id": 4242, "type": "private", "first_name": "X"},
            "from": {"id": 4242, "is_bot": False, "first_name": "X"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(timeout=30) as client:
        # Without the secret token (or with a wrong one) nothing is handled.
        endpoint = f"http://127.0.0.1:{port}/telegram"
        for wrong in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            refused = await client.post(endpoint, content=json.dumps(body), headers=wrong)
            assert refused.status_code == 403
        assert not SlowGate.started.is_set()
        request = asyncio.create_task(
            client.post(
                f"http://127.0.0.1:{port}/telegram", content=json.dumps(body), headers=headers
            )
        )
        await asyncio.wait_for(SlowGate.started.wait(), 10)
        os.kill(os.getpid(), signal.SIGTERM)
        response = await request
        await asyncio.wait_for(serving, 30)
    # The update in flight was handled and answered (a stranger gets the stranger's reply).
    assert response.status_code == 200
    assert [c.chat_id for c in transport.calls if c.method == "sendMessage"] == [4242]
    # Then the lease was handed over and the pool closed.
    assert CountingDatabase.disposed >= 1
    check = Database(create_engine(url))
    try:
        async with check.transaction() as session:
            lease = await store.get_lease(session, "jobs")
        assert lease is not None and lease.expires_at <= clock.now()
    finally:
        await check.dispose()


async def test_a_cache_sees_another_workers_change_within_check_every(
    migrated_database_url: str,
) -> None:
    clock = FakeClock(DEFAULT_START)
    mine, theirs = (Database(create_engine(migrated_database_url)) for _ in range(2))
    watch = GenerationWatch(ACCESS_CACHE, check_every=timedelta(seconds=2))
    try:
        async with mine.transaction() as session:
            assert not await watch.is_current(session, clock.now())  # first use: fill it
            assert await watch.is_current(session, clock.now())
        async with theirs.transaction() as session:
            await store.bump_cache_generation(session, ACCESS_CACHE, clock.now())
        async with mine.transaction() as session:
            # Within check_every the cache is trusted without a query ...
            assert await watch.is_current(session, clock.now() + timedelta(seconds=1))
            # ... after it, the bump is seen once; then the refilled cache is current again.
            assert not await watch.is_current(session, clock.now() + timedelta(seconds=3))
            assert await watch.is_current(session, clock.now() + timedelta(seconds=4))
    finally:
        await mine.dispose()
        await theirs.dispose()


async def test_update_ids_are_forgotten_after_two_days(migrated_database_url: str) -> None:
    clock = FakeClock(DEFAULT_START)
    db = Database(create_engine(migrated_database_url))
    gate = UpdateGate(db, clock)
    handled: list[int] = []

    async def handle() -> None:
        handled.append(1)

    try:
        assert await gate.run(5, 42, handle)
        clock.advance(timedelta(days=1))
        assert await gate.prune() == 0
        assert not await gate.run(5, 42, handle)  # still remembered: a redelivery
        clock.advance(timedelta(days=1, minutes=1))
        assert await gate.prune() == 1
        assert await gate.run(6, 42, handle)
        assert handled == [1, 1]
    finally:
        await db.dispose()
