"""Vacatures past their closing date expire by themselves (status vervallen)."""

from __future__ import annotations

import logging

from bot.caselog import service
from bot.runtime import BotContext

log = logging.getLogger(__name__)


async def expire_vacancies(context: BotContext) -> None:
    """Mark every open vacature whose closing date has passed vervallen (reads the database)."""
    runtime = context.runtime
    count = await service.expire_vacancies(runtime.db, runtime.clock)
    if count:
        log.info("caselog: %d vacature(s) vervallen", count)
