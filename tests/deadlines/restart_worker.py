"""The bot's sweep in a separate process, for the SIGKILL restart test.

    python -m tests.deadlines.restart_worker DB_URL FIRST_DAY LAST_DAY TELEGRAM_LOG [POINT K]

Runs the real sweep at 08:30 local time on every day from FIRST_DAY to LAST_DAY (the first one
``at_start``, as after a restart). The "Telegram" side is an append-only log file, written and
fsynced before a send returns. With POINT and K the process SIGKILLs itself the K-th time it
reaches POINT:

- ``plan``: inside the planning transaction, before its commit;
- ``claim``: inside the claim transaction, before its commit;
- ``before_send``: after the claim was committed, before the message goes out;
- ``after_send``: after the message went out, before the outcome is recorded;
- ``record``: inside the outcome transaction, before its commit.

Progress lines ``DAY <iso>`` go to stdout (flushed) so the parent knows where to resume.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.config import Config
from bot.core.clock import AMSTERDAM, FakeClock
from bot.deadlines import sweep as reminder_sweep
from bot.runtime import Runtime
from jobs import deadlines as job
from storage import reminders
from storage.db import Database, create_engine


class Killer:
    """Counts arrivals at kill points and SIGKILLs this process at the chosen one."""

    def __init__(self, point: str | None, k: int) -> None:
        self.point, self.k, self.seen = point, k, 0

    def reached(self, point: str) -> None:
        """Called at every kill point."""
        if point != self.point:
            return
        self.seen += 1
        if self.seen == self.k:
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)


def install(killer: Killer) -> None:
    """Wrap the storage steps so the killer can strike inside their transactions."""
    plan, claim, record = reminder_sweep.plan_day, reminders.claim_digest, reminders.record_outcome

    async def plan_day(*args: Any, **kwargs: Any) -> Any:
        result = await plan(*args, **kwargs)
        killer.reached("plan")
        return result

    async def claim_digest(*args: Any, **kwargs: Any) -> Any:
        result = await claim(*args, **kwargs)
        killer.reached("claim")
        return result

    async def record_outcome(*args: Any, **kwargs: Any) -> Any:
        result = await record(*args, **kwargs)
        killer.reached("record")
        return result

    reminder_sweep.plan_day = plan_day  # test instrumentation
    reminders.claim_digest = claim_digest  # test instrumentation
    reminders.record_outcome = record_outcome  # test instrumentation


async def main(argv: list[str]) -> None:
    url, first, last, log_path = argv[:4]
    point, k = (argv[4], int(argv[5])) if len(argv) > 5 else (None, 0)
    killer = Killer(point, k)
    install(killer)
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    runtime = Runtime(config=Config(database_url=url), clock=clock, db=Database(create_engine(url)))
    # Blocking, fsynced writes on purpose: the log must hold a send before the kill can strike.
    log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115, ASYNC230

    async def send(chat_id: int, outgoing: job.Reply) -> None:
        killer.reached("before_send")
        today = clock.now().astimezone(AMSTERDAM).date().isoformat()
        ids = [int(b.data.split(":")[2]) for row in outgoing.keyboard for b in row]
        log.write(json.dumps({"chat": chat_id, "day": today, "ids": ids}) + "\n")
        log.flush()
        os.fsync(log.fileno())
        killer.reached("after_send")

    day, end = date.fromisoformat(first), date.fromisoformat(last)
    at_start = True
    while day <= end:
        print(f"DAY {day.isoformat()}", flush=True)
        clock.set(datetime.combine(day, time(8, 30), tzinfo=AMSTERDAM))
        await job.sweep(runtime, send, at_start=at_start)
        at_start = False
        day += timedelta(days=1)
    log.close()
    await runtime.db.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
