"""Vacatures past their closing date expire by themselves (status vervallen)."""

from __future__ import annotations

import logging

from bot.core.clock import local_today
from bot.runtime import BotContext
from storage import vacancies

log = logging.getLogger(__name__)


async def expire_vacancies(context: BotContext) -> None:
    """Mark every open vacature whose closing date has passed vervallen (reads the database)."""
    runtime = context.runtime
    async with runtime.db.transaction() as session:
        count = await vacancies.expire_vacancies(
            session, local_today(runtime.clock), runtime.clock.now()
        )
    if count:
        log.info("caselog: %d vacature(s) vervallen", count)
