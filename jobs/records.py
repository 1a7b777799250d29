"""The daily retention purge: deletes what is past its period, one audit row per run."""

from __future__ import annotations

import logging

from bot.records import service as records
from bot.runtime import BotContext

#: The job's name on the JobQueue.
PURGE_JOB = "records:purge"

log = logging.getLogger(__name__)


async def purge_job(context: BotContext) -> None:
    """Run the purge; the counts go to the audit log (and the log, as numbers only)."""
    runtime = context.runtime
    counts = await records.purge(runtime.db, runtime.clock, runtime.config.retention, dry_run=False)
    log.info("retention purge: %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
