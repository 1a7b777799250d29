"""Several workers sweep the same database at once (each its own engine and connections).

On PostgreSQL this is the production setup (``FOR UPDATE SKIP LOCKED`` plus the committed
compare-and-set); on SQLite the claim alone keeps it safe. Either way: one digest per person.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.core.clock import AMSTERDAM
from bot.core.roles import Role
from bot.deadlines import service as store
from bot.runtime import Runtime
from jobs.deadlines import sweep
from storage.db import Database, create_engine
from storage.models import Digest, Notification
from tests.support.deadlines import RecordingSender, make_client, staff_id
from tests.support.harness import BotHarness


async def test_four_workers_one_digest_each(bot: BotHarness) -> None:
    people = [await bot.staff(Role.CONSULENT, name=f"C{n}") for n in range(12)]
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    async with bot.runtime.db.transaction() as session:
        for n, person in enumerate(people):
            sid, team_id = await staff_id(session, person.id)
            for k in range(5):
                client = await make_client(
                    session,
                    team_id=team_id,
                    ref=f"W-{n}-{k}",
                    owner_staff_id=sid,
                    now=bot.clock.now(),
                )
                await store.create_deadline(
                    session,
                    team_id=team_id,
                    kind="exemption_review",
                    due_date=date(2026, 11, 2) + timedelta(days=3 * k),
                    owner_staff_id=sid,
                    now=bot.clock.now() - timedelta(days=200),
                    client_id=client,
                )
    bot.clock.set(datetime(2026, 11, 24, 8, 30, tzinfo=AMSTERDAM))
    url = bot.runtime.config.database_url
    workers = [
        Runtime(config=bot.runtime.config, clock=bot.clock, db=Database(create_engine(url)))
        for _ in range(4)
    ]
    sender = RecordingSender()
    try:
        reports = await asyncio.gather(*(sweep(w, sender) for w in workers))
    finally:
        for w in workers:
            await w.db.dispose()
    per_chat = Counter(chat for chat, _ in sender.sent)
    assert set(per_chat) == {p.id for p in people} | {leader.id}
    assert max(per_chat.values()) == 1
    assert sum(r.outcomes.get("sent", 0) for r in reports) == len(people) + 1
    async with bot.runtime.db.transaction() as session:
        statuses = Counter((await session.scalars(select(Notification.status))).all())
        digests = Counter((await session.scalars(select(Digest.status))).all())
    assert set(statuses) == {"sent"} and digests == {"sent": len(people) + 1}
