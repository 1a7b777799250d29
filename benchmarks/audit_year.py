"""A year of use, then the audit chain: verified, a one-character change caught, purge counts.

A team (teamleider, two consulenten) works every weekday from 3 March 2026 for a year on a real
bot (local transport, fake clock, SQLite): aanmeldingen and notes written, client cards and the
agenda looked at, strangers knocking, clients leaving, the weekdate discussing items; the daily
purge job runs every night. Retention for the run: items 3 months, clients 1 year after
uitstroom, forms 2 days, strangers 30 days, audit 1 year (short); 45 quiet nights follow, in
which the 1-year kinds come due.
Then ``python -m bot audit verify`` on the file, one character changed in a middle row, verify
again. Prints what it did; not a test (``tests/audit`` and ``tests/records`` are).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

# Run as a script: the repository root (for ``tests.support``) goes on the path first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, update

from bot.config import Config, TeamConfig
from bot.core.roles import Role
from bot.records.rules import Retention
from storage.models import (
    AuditEntry,
    CaseItem,
    Client,
    ClientEvent,
    FormSession,
    Staff,
)
from tests.support.harness import BotHarness

ROOT = Path(__file__).resolve().parents[1]

QUIET_DAYS = 45
KEEP = Retention(items_months=3, clients_years=1, forms_days=2, strangers_days=30, audit_years=1)


async def year(folder: Path) -> tuple[Path, Counter[str]]:
    config = Config(teams=(TeamConfig("Team Werk"),), retention=KEEP)
    bot = await BotHarness.start(folder, config=config)
    rng = random.Random(14)
    totals: Counter[str] = Counter()
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        consulenten = [await bot.staff(Role.CONSULENT, name=n) for n in ("Anna", "Bas")]
        queue = bot.application.job_queue
        assert queue is not None
        purge = next(j for j in queue.jobs() if j.name == "records:purge")
        refs: list[str] = []
        for day in range(365):
            if bot.clock.now().weekday() < 5:
                who = rng.choice(consulenten)
                ref = f"C-{1000 + day}"
                refs.append(ref)
                async with bot.runtime.db.transaction() as session:
                    author = await session.scalar(
                        select(Staff.id).where(Staff.telegram_user_id == who.id)
                    )
                    client = Client(
                        team_id=1, ref=ref, owner_staff_id=author, tags=[], status="actief",
                        created_at=bot.clock.now(), updated_at=bot.clock.now(),
                    )  # fmt: skip
                    session.add(client)
                    await session.flush()
                    session.add(
                        CaseItem(
                            team_id=1, client_id=client.id, author_staff_id=author or 0,
                            kind="note", text="gesprek gehad", data={},
                            created_at=bot.clock.now(), agenda_status="pending",
                        )
                    )  # fmt: skip
                    session.add(
                        FormSession(
                            # One open form per person: a left-behind one from a new colleague.
                            telegram_user_id=900000 + day, chat_id=900000 + day,
                            form="succes", step="text",
                            data={"ref": ref}, started_at=bot.clock.now(),
                            updated_at=bot.clock.now(),
                        )
                    )  # fmt: skip
                await bot.driver.text(who, f"/client {rng.choice(refs)}")
                await bot.driver.text(bot.stranger(), "hallo")
                if day % 7 == 1:  # the weekdate: the leader looks, the items are discussed
                    await bot.driver.text(leader, "/agenda")
                    async with bot.runtime.db.transaction() as session:
                        await session.execute(
                            update(CaseItem)
                            .where(CaseItem.agenda_status == "pending")
                            .values(agenda_status="discussed")
                        )
                if day % 10 == 3 and refs:  # someone leaves (uitstroom)
                    async with bot.runtime.db.transaction() as session:
                        gone = await session.scalar(select(Client).where(Client.ref == refs[0]))
                        if gone is not None:
                            gone.status = "uitgestroomd"
                            session.add(
                                ClientEvent(
                                    client_id=gone.id, at=bot.clock.now(), field="status",
                                    old_value="actief", new_value="uitgestroomd",
                                )
                            )  # fmt: skip
                        refs.pop(0)
            bot.clock.advance(timedelta(days=1))
            await purge.run(bot.application)
        year_end = bot.clock.now()
        # Then 45 quiet nights: the 1-year kinds (clients after uitstroom, audit) come due.
        for _ in range(QUIET_DAYS):
            bot.clock.advance(timedelta(days=1))
            await purge.run(bot.application)
        async with bot.runtime.db.transaction() as session:
            purges = (
                await session.execute(
                    select(AuditEntry.at, AuditEntry.object).where(
                        AuditEntry.action == "retention:purge"
                    )
                )
            ).all()
        for at, summary in purges:
            period = "year" if at <= year_end else "after"
            for part in (summary or "").split(","):
                kind, count = part.split("=")
                totals[f"{period}:{kind}"] += int(count)
            totals[f"{period}:purge runs"] += 1
    finally:
        await bot.stop()
    return folder / "bot.sqlite", totals


def verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "audit", "verify"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
    )  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path, totals = asyncio.run(year(Path(tmp)))
        url = f"sqlite+aiosqlite:///{path}"
        print("Purge counts (sum of the nightly runs' audit rows):")
        print(f"  {'kind':<10} {'year':>6} {'+45 days':>9}")
        for kind in ("items", "vacancies", "meetings", "deadlines", "clients", "forms",
                     "strangers", "audit", "purge runs"):  # fmt: skip
            print(f"  {kind:<10} {totals['year:' + kind]:>6} {totals['after:' + kind]:>9}")
        with sqlite3.connect(path) as conn:
            first, last, rows = conn.execute(
                "SELECT min(id), max(id), count(*) FROM audit_log"
            ).fetchone()
            anchor = conn.execute("SELECT anchor_id, purged_rows FROM audit_chain").fetchone()
        print(f"Audit rows now {rows} (ids {first}..{last}); anchor at id {anchor[0]}, "
              f"{anchor[1]} rows purged under audit_years=1")  # fmt: skip
        ok = verify(url)
        print(f"$ python -m bot audit verify  -> exit {ok.returncode}: {ok.stdout.strip()}")
        middle = (first + last) // 2
        with sqlite3.connect(path) as conn:
            before = conn.execute("SELECT result FROM audit_log WHERE id = ?", (middle,)).fetchone()
            conn.execute("DROP TRIGGER audit_log_no_update")
            changed = before[0][:-1] + chr(ord(before[0][-1]) ^ 1)
            conn.execute("UPDATE audit_log SET result = ? WHERE id = ?", (changed, middle))
        print(f"Changed one character of row {middle}: result {before[0]!r} -> {changed!r}")
        broken = verify(url)
        print(f"$ python -m bot audit verify  -> exit {broken.returncode}: {broken.stdout.strip()}")


if __name__ == "__main__":
    main()
