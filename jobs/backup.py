"""The daily SQLite snapshot (PostgreSQL is backed up with pg_dump outside the bot)."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.backups import service
from bot.runtime import BotContext

log = logging.getLogger(__name__)

BACKUP_JOB = "backup:daily"
CATCH_UP_JOB = "backup:catch-up"


async def daily_backup(context: BotContext) -> None:
    """Make today's snapshot if there is none yet, then drop the ones beyond ``keep``."""
    runtime = context.runtime
    settings = runtime.config.backup
    made = await service.backup_if_due(
        runtime.db, Path(settings.folder), runtime.clock.now(), settings.keep
    )
    if made is not None:
        log.info("backup: %s made, %d old removed", made.path.name, len(made.removed))
