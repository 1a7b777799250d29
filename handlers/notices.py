"""Sending the work notices a decision produced (``/weekdate stop``, ``/categorie``).

A notice is claimed before it is sent and its outcome recorded after (see
:mod:`bot.route.work`), so it is never sent twice; whatever fails with "wait" is sent by the job.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import outbound
from bot.route import work
from bot.runtime import BotContext


async def send_work_notices(context: BotContext, ids: Sequence[int]) -> None:
    """Send the work notices ``ids`` right away (after the update's transaction committed)."""
    if not ids:
        return
    runtime = context.runtime
    batch = await work.claim_notices(runtime.db, runtime.clock, ids)
    outcomes = await outbound.deliver(context.bot, batch.outbox)
    await work.record_outcomes(runtime.db, runtime.clock, batch, outcomes)
