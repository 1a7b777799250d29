"""Work notices the handler could not send at once (Telegram said "wait", or the bot stopped
between the decision and the send): claimed and sent here, never twice."""

from __future__ import annotations

from bot.outbound import deliver
from bot.route import work
from bot.runtime import BotContext

#: Job name (namespaced).
WORK_NOTICES_JOB = "route:work-notices"


async def send_waiting_notices(context: BotContext) -> None:
    """Send every waiting (pending or retry) work notice."""
    runtime = context.runtime
    batch = await work.claim_notices(runtime.db, runtime.clock)
    if not batch.ids:
        return
    outcomes = await deliver(context.bot, batch.outbox)
    await work.record_outcomes(runtime.db, runtime.clock, batch, outcomes)
