"""The weekdate agenda dispatch.

Two alarms call the same tick: a daily one at the agenda time (so the agenda goes out on the
minute, in local time on both sides of a DST switch) and a repeating one that catches up after a
restart or a missed tick. The tick reads everything from the database; a meeting's agenda is
claimed with a compare-and-set before it is sent, so it never goes out twice.
"""

from __future__ import annotations

import logging

from bot.outbound import deliver
from bot.runtime import BotContext
from bot.weekdate.service import dispatch_all, record_agenda_outcomes

log = logging.getLogger(__name__)

#: Job names (namespaced).
DAILY_JOB = "weekdate:agenda-daily"
CATCH_UP_JOB = "weekdate:agenda-catch-up"


async def dispatch_agendas(context: BotContext) -> None:
    """Send every agenda whose time has come; ask due holiday questions."""
    runtime = context.runtime
    settings = [runtime.settings_for(team.name) for team in runtime.config.teams]
    tick = await dispatch_all(runtime.db, runtime.clock, settings)
    out = tick.outbox
    outcomes = await deliver(context.bot, out)
    # Every agenda's outcome is recorded per recipient; failures are told to someone who can act.
    recorded = [
        (tick.tracked[i], status) for i, (_, status) in enumerate(outcomes) if i in tick.tracked
    ]
    if recorded:
        notices = await record_agenda_outcomes(runtime.db, runtime.clock, recorded)
        await deliver(context.bot, notices)
    if out.replies:
        log.info("weekdate: %d messages, %d documents sent", len(out.replies), len(out.documents))
