"""The job lease's heartbeat (every worker) and the pruning of old update ids (the leader)."""

from __future__ import annotations

import logging

from bot import workers
from bot.runtime import BotContext

log = logging.getLogger(__name__)

LEASE_JOB = "workers:lease"
PRUNE_UPDATES_JOB = "workers:prune-update-ids"
WATCH_ACCESS_JOB = "workers:watch-access"


async def renew_lease(context: BotContext) -> None:
    """Renew the job lease, or take it over when its holder stopped renewing."""
    leadership = context.runtime.leadership
    if leadership is None:
        return
    was_leader = leadership.is_leader()
    try:
        leads = await leadership.tick()
    except Exception:
        # The database is away: this process stops acting as leader when its lease lapses.
        log.exception("job lease: renewal failed")
        return
    if leads and not was_leader:
        log.info("job lease: %s now runs the scheduled jobs", leadership.holder)
    elif was_leader and not leads:
        log.warning("job lease: %s lost the lease", leadership.holder)


async def prune_update_ids(context: BotContext) -> None:
    """Forget update ids Telegram can no longer redeliver."""
    gate = context.runtime.gate
    if gate is not None:
        await gate.prune()


async def watch_access(context: BotContext) -> None:
    """Every worker: see another worker's change to staff, roles or teams within seconds."""
    runtime = context.runtime
    if runtime.leadership is None:
        return  # one process: its own commits already invalidate its cache
    try:
        await workers.watch_access(runtime.db, runtime.access_watch, runtime.clock)
    except Exception:
        log.exception("access cache: could not read the shared generation")
