"""How long ``/cijfers`` takes for a big team: 10,000 clients with five years of history.

Seeds a fresh SQLite database (clients, intakes, herinstroom, category and subcategory moves,
exits, ontheffingen with reviews, participation contacts, vacatures, trajecten), then times the
service call behind ``/cijfers 2026H1``: the text alone (what a group gets), and the text plus
all four charts (what a teamleider gets in private). Goals (issue 12): under 1 s for the text,
under 3 s with the charts. matplotlib's one-off import is timed apart (the bot pays it once per
process). Prints medians of several runs and the ratio to each goal; not a test.

    .venv/bin/python benchmarks/figures.py [--clients 10000] [--years 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bot.config import Config, TeamConfig
from bot.core.clock import FakeClock
from bot.core.roles import Role
from bot.figures import service
from bot.settings import resolve
from storage import staff, teams
from storage.db import Database, create_engine
from storage.models import ClientEvent
from tests.support.figures_seed import seed_caseload
from tests.support.harness import migrated_sqlite

TODAY = date(2026, 11, 20)
PERIOD = "2026H1"


async def main(clients: int, years: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="figures-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite"
        await migrated_sqlite(path)
        db = Database(create_engine(f"sqlite+aiosqlite:///{path}"))
        clock = FakeClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
        started = time.perf_counter()
        async with db.transaction() as session:
            await teams.ensure_teams(session, ["Team Werk"], clock.now())
            seeded = await seed_caseload(
                session, team_name="Team Werk", clients=clients, today=TODAY, years=years
            )
            leader = await staff.upsert_staff(
                session,
                telegram_user_id=1,
                display_name="Teamleider",
                team_id=seeded.team_id,
                roles=[Role.TEAMLEIDER],
                now=clock.now(),
            )
        async with db.transaction() as session:
            events = await session.scalar(select(func.count()).select_from(ClientEvent))
        print(
            f"seeded {clients:,} clients, {years} years, {events:,} history events "
            f"in {time.perf_counter() - started:.1f} s"
        )
        settings = resolve(Config(teams=(TeamConfig("Team Werk"),)), "Team Werk")

        started = time.perf_counter()
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot

        print(f"matplotlib import (once per process): {time.perf_counter() - started:.2f} s")

        text_times: list[float] = []
        chart_times: list[float] = []
        text = ""
        for _ in range(runs):
            started = time.perf_counter()
            group = await service.cijfers(db, clock, leader, settings, arg=PERIOD, private=False)
            text_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            answer = await service.cijfers(db, clock, leader, settings, arg=PERIOD, private=True)
            assert answer.charts is not None and answer.text is not None
            charts = await asyncio.to_thread(answer.charts)
            chart_times.append(time.perf_counter() - started)
            text = answer.text
            assert group.text and len(charts) == 4
        text_s = statistics.median(text_times)
        chart_s = statistics.median(chart_times)
        print(f"/cijfers {PERIOD} text only:      {text_s:.2f} s  (goal 1 s: {text_s / 1:.2f}×)")
        print(f"/cijfers {PERIOD} text + 4 charts: {chart_s:.2f} s  (goal 3 s: {chart_s / 3:.2f}×)")
        print(f"text: {len(text):,} characters; runs: {runs}")
        await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.years, args.runs))
