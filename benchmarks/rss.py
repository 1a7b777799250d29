"""Resident memory of the bot with 10,000 clients and 5 years of history, after 1,000 updates
with the jobs running (the reminder sweep and a PDF agenda, the heaviest thing a job renders).

The seed is the one of ``benchmarks/latency.py`` plus 5 years of client history (a category or
status change per client every half year: 100,000 ``client_events`` rows). Prints the peak RSS
of this process (the bot); a PDF child process, when used, is not the bot and is left out.
Goal (issue 15): under 120 MB. Not a test.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from benchmarks.latency import CONSULENTEN, NOW, seed
from bot import profiles
from bot.core.ui import Reply
from bot.transport import LocalUser
from jobs.deadlines import sweep
from storage import audit
from storage.models import Client, ClientEvent
from tests.support.harness import BotHarness

CLIENTS = int(os.environ.get("RSS_CLIENTS", "10000"))
UPDATES = 1_000

#: Category codes from the default profile (codes belong to the profiles, not to this script):
#: one whose clients get participatiecontacts and one whose clients do not.
PARTICIPATION_CATEGORY = next(
    c.code for c in profiles.default().categories if c.participation_contact
)
OTHER_CATEGORY = next(c.code for c in profiles.default().categories if not c.participation_contact)


def rss_mb() -> float:
    """The current resident set of this process, in MB (from /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def history(bot: BotHarness) -> None:
    async with bot.runtime.db.transaction() as session:
        audit.summarised(session)  # a seed, not a use case
        ids = list(await session.scalars(select(Client.id)))
        rows = [
            {
                "client_id": cid, "at": NOW - timedelta(days=182 * half), "field": "category",
                "old_value": PARTICIPATION_CATEGORY, "new_value": OTHER_CATEGORY, "reason": None,
            }
            for cid in ids
            for half in range(1, 11)
        ]  # fmt: skip
        for start in range(0, len(rows), 20_000):
            await session.execute(insert(ClientEvent), rows[start : start + 20_000])


SEED = """
import asyncio, sys
from pathlib import Path
from benchmarks.rss import seed_all
asyncio.run(seed_all(Path(sys.argv[1])))
"""


async def seed_all(folder: Path) -> None:
    """Migrate and seed ``folder``'s database (run in a child process, see ``prepared``)."""
    bot = await BotHarness.start(folder)
    await seed(bot, CLIENTS)
    await history(bot)
    await bot.stop()


def prepared() -> Path:
    """A database migrated and seeded by another process, as a deployment migrates before the
    bot starts and the years of history were written by earlier runs: the bot process measured
    carries neither the migration tool nor the seeding."""
    folder = Path(tempfile.mkdtemp(prefix="rss-"))
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", SEED, str(folder)], check=True, cwd=root)
    return folder


async def main(folder: Path) -> None:
    bot = await BotHarness.start(folder)
    # The users seed() made in the child: the harness numbers Telegram ids from 5000 on.
    consulenten = [LocalUser(5000 + n, f"C{n}") for n in range(CONSULENTEN)]
    lead = LocalUser(5000 + CONSULENTEN, "TL")
    refs = [f"C-{n:05d}" for n in range(CLIENTS)]
    print(f"bot started on the seeded database: {rss_mb():.0f} MB")

    async def send(_chat_id: int, _reply: Reply) -> None:
        return None

    d = bot.driver
    texts = ["/help", "/mijn", "/termijnen", f"/client {refs[0]}", f"{refs[0]} belde", "/annuleer"]
    peak = rss_mb()
    for n in range(UPDATES):
        me = consulenten[n % len(consulenten)]
        await d.text(me, texts[n % len(texts)].replace(refs[0], refs[n % len(refs)]))
        if n % 100 == 0:
            await d.text(lead, "/agenda pdf")  # the PDF an agenda job renders
            await sweep(bot.runtime, send)
        peak = max(peak, rss_mb())
    await bot.stop()
    verdict = "met" if peak < 120 else "NOT met"
    print(f"{CLIENTS:,} clients, {UPDATES:,} updates with the jobs: peak RSS {peak:.0f} MB")
    print(f"goal < 120 MB: {verdict}")
    print(f"weasyprint in the bot process: {'weasyprint' in sys.modules}")
    print(f"alembic in the bot process: {'alembic' in sys.modules}")


if __name__ == "__main__":
    asyncio.run(main(prepared()))
