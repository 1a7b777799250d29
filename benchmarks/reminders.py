"""Reminder engine figures: one sweep over 100,000 open deadlines on SQLite, and the drain rate
of a 5,000-message burst through PTB's AIORateLimiter against the local transport.

    .venv/bin/python benchmarks/reminders.py [--deadlines 100000] [--messages 5000]

The seed holds only what the product would create: every client in a participation category
(of the default profile) has its one open participatiecontact, the other clients hold the other
kinds. Goals (issue 15): the morning sweep under 5 s, the idle tick under 0.25 s, statements that
grow with what changed today (printed); at least 25 messages per second (Telegram allows ~30).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, update
from telegram.ext import AIORateLimiter, ExtBot

from bot import profiles
from bot.app import LOCAL_TOKEN
from bot.config import Config
from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.ui import Reply
from bot.deadlines import sweep as reminder_sweep
from bot.runtime import Runtime
from bot.transport import LocalTransport
from jobs.deadlines import sweep
from storage.db import Database, create_engine, upgrade
from storage.models import Client, Deadline, Staff, StaffRole, Team

TODAY = date(2026, 11, 24)  # a Tuesday

#: Category codes from the default profile (codes belong to the profiles, not to this script):
#: one whose clients get participatiecontacts and one whose clients do not.
PARTICIPATION_CATEGORY = next(
    c.code for c in profiles.default().categories if c.participation_contact
)
OTHER_CATEGORY = next(c.code for c in profiles.default().categories if not c.participation_contact)


async def _seed(db: Database, count: int, people: int) -> None:
    rng = random.Random(1)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with db.transaction() as session:
        session.add(Team(id=1, name="Team Werk", created_at=now))
        await session.flush()
        await session.execute(
            insert(Staff),
            [
                {
                    "id": i,
                    "telegram_user_id": 100_000 + i,
                    "display_name": f"Medewerker {i}",
                    "team_id": 1,
                    "active": True,
                    "created_at": now,
                }
                for i in range(1, people + 1)
            ],
        )
        await session.execute(
            insert(StaffRole),
            [{"staff_id": 1, "role": "teamleider"}]
            + [{"staff_id": i, "role": "consulent"} for i in range(2, people + 1)],
        )
        await session.execute(
            insert(Client),
            [
                {
                    "id": i,
                    "team_id": 1,
                    "ref": f"C-{i}",
                    "tags": [],
                    "status": "actief",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, count + 1)
            ],
        )
        other_kinds = ["trajectory_end", "action_item", "lb_appointment"]
        kinds = {
            i: rng.choice([*other_kinds, "participation_contact"]) for i in range(1, count + 1)
        }
        # A participatiecontact only for a client in a participation category, as the product does.
        await session.execute(
            update(Client)
            .where(Client.id.in_([i for i, k in kinds.items() if k == "participation_contact"]))
            .values(category=PARTICIPATION_CATEGORY)
        )
        await session.execute(
            update(Client).where(Client.category.is_(None)).values(category=OTHER_CATEGORY)
        )
        await session.execute(
            insert(Deadline),
            [
                {
                    "team_id": 1,
                    "client_id": i,
                    "kind": kinds[i],
                    # Spread over two years, a few weeks of it already overdue.
                    "due_date": TODAY + timedelta(days=rng.randint(-20, 710)),
                    "owner_staff_id": rng.randint(2, people),
                    "status": "open",
                    "postponements": 0,
                    "created_at": now,
                }
                for i in range(1, count + 1)
            ],
        )


async def sweep_figures(count: int, people: int) -> None:
    """Time the morning sweep, an idle tick, and the planning step alone."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite'}"
        db = Database(create_engine(url))
        await upgrade(db.engine)
        await _seed(db, count, people)
        clock = FakeClock(datetime(2026, 11, 24, 8, 30, tzinfo=AMSTERDAM))
        runtime = Runtime(config=Config(database_url=url), clock=clock, db=db)
        sent = Counter[int]()
        statements = [0]

        def on_statement(*_args: object) -> None:
            statements[0] += 1

        event.listen(db.engine.sync_engine, "before_cursor_execute", on_statement)

        async def send(chat_id: int, outgoing: Reply) -> None:
            sent[chat_id] += 1

        started = time.perf_counter()
        report = await sweep(runtime, send)
        morning = time.perf_counter() - started
        morning_statements, statements[0] = statements[0], 0
        clock.advance(timedelta(minutes=1))
        started = time.perf_counter()
        idle = await sweep(runtime, send)
        tick = time.perf_counter() - started
        tick_statements = statements[0]
        async with db.transaction() as session:
            started = time.perf_counter()
            await reminder_sweep.plan_day(
                session, today=TODAY, now=clock.now(), tz=AMSTERDAM, config=runtime.config.deadlines
            )
            plan = time.perf_counter() - started
        await db.dispose()
    print(f"open deadlines: {count:,}, staff: {people}")
    print(
        f"morning sweep (plan {report.planned_notifications:,} stages, {sum(sent.values())} "
        f"digests composed and sent): {morning:.3f} s, {morning_statements:,} statements"
    )
    print(
        f"sweep tick later that morning (nothing new; the every-minute case): {tick:.3f} s, "
        f"{tick_statements:,} statements"
    )
    print(f"planning step alone over all open deadlines (ledger up to date): {plan:.3f} s")
    assert not idle.outcomes and idle.planned_notifications == 0
    goal = "met" if morning < 5 else "NOT met"
    print(f"goal morning sweep < 5 s over {count:,} open deadlines: {goal} ({morning:.3f} s)")
    goal = "met" if tick < 0.25 else "NOT met"
    print(f"goal idle tick < 0.25 s: {goal} ({tick:.3f} s)")


async def drain_figures(messages: int) -> None:
    """Send a burst through AIORateLimiter as the app builds it (30/s overall) to distinct chats."""
    transport = LocalTransport()
    bot: ExtBot[None] = ExtBot(
        LOCAL_TOKEN,
        request=transport,
        get_updates_request=transport,
        rate_limiter=AIORateLimiter(max_retries=2),
    )
    await bot.initialize()
    stamps: list[float] = []
    errors = 0

    async def one(i: int) -> None:
        nonlocal errors
        try:
            await bot.send_message(200_000 + i, f"Herinnering {i}")
        except Exception:  # counted, not hidden: any error fails the goal
            errors += 1
        stamps.append(time.perf_counter())

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(messages)))
    took = time.perf_counter() - started
    await bot.shutdown()
    per_second = Counter(int(s - started) for s in stamps)
    rate = messages / took
    print(f"burst of {messages:,} messages through AIORateLimiter: {took:.1f} s, {rate:.1f}/s")
    print(f"busiest second: {max(per_second.values())} messages; errors (incl. 429): {errors}")
    goal = "met" if rate >= 25 and errors == 0 else "NOT met"
    print(f"goal >= 25/s with no 429: {goal}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5_000)
    args = parser.parse_args()
    await sweep_figures(args.deadlines, args.staff)
    if args.messages:
        await drain_figures(args.messages)


if __name__ == "__main__":
    asyncio.run(main())
