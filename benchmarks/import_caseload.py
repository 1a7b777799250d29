"""Import a caseload of 10,000 rows, then the same file again (issue 12 item 4).

    .venv/bin/python benchmarks/import_caseload.py [--rows 10000]

Prints the seconds of the first import (goal: under 5 s) and of the second, and the history rows
(``client_events``) the second one added (must be 0: importing the same file twice changes
nothing). SQLite in a temporary directory, the same harness the tests use.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

# Run as a script: the repository root (for ``tests.support``) goes on the path first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.caseload.service import import_caseload
from storage import caseload, teams
from tests.support.harness import BotHarness

ROOT = Path(__file__).resolve().parents[1]

HEADER = "referentie;categorie;subcategorie;doelgroepen;start uitkering;laatste contact"


def caseload_file(rows: int, categories: Sequence[str]) -> bytes:
    """A file like a team's export: a mix of the team's categories, half with a last contact."""
    lines = [HEADER]
    for i in range(rows):
        contact = f"{1 + i % 28:02d}-0{1 + i % 9}-2025" if i % 2 else ""
        lines.append(f"C{100000 + i};{categories[i % len(categories)]};;;01-01-2024;{contact}")
    return ("\n".join(lines) + "\n").encode()


async def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bot = await BotHarness.start(Path(tmp))
        try:
            async with bot.runtime.db.transaction() as session:
                team = await teams.get_team_by_name(session, "Team Werk")
                assert team is not None
            settings = bot.runtime.settings_for("Team Werk")
            # The team's own category codes (from its profile), the first three.
            data = caseload_file(rows, [c.code for c in settings.caselog.categories][:3])
            for label in ("eerste import", "tweede import"):
                async with bot.runtime.db.transaction() as session:
                    before = await caseload.count_events(session, team.id)
                started, cpu = time.perf_counter(), time.process_time()
                report = await import_caseload(
                    bot.runtime.db,
                    team=settings,
                    team_id=team.id,
                    filename="c.csv",
                    data=data,
                    now=bot.clock.now(),
                )
                seconds = time.perf_counter() - started
                # CPU seconds too: on a shared machine the wall clock mostly measures the others.
                cpu = time.process_time() - cpu
                async with bot.runtime.db.transaction() as session:
                    added = await caseload.count_events(session, team.id) - before
                print(
                    f"{label}: {rows} regels in {seconds:.2f} s (cpu {cpu:.2f} s); "
                    f"nieuw {report.created}, "
                    f"termijnen {report.deadlines}, historieregels erbij {added}"
                )
        finally:
            await bot.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().rows))
