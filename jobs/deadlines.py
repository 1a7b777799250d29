"""The reminder sweep: one morning digest per person per working day, never twice.

The JobQueue only wakes this up (at the digest time on working days, and every minute for
catch-up and retries); all state is in the database (see ``storage/reminders.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.core.callbacks import encode
from bot.core.clock import local_now
from bot.core.render import render, split_message
from bot.core.workdays import is_working_day
from bot.deadlines.rules import DigestView
from bot.runtime import BotContext, Runtime
from storage import deadlines as deadline_store
from storage import reminders

log = logging.getLogger(__name__)

#: Callback namespace of deadline buttons: ``ddl:<action>:<deadline id>[:…]``.
DEADLINE_NS = "ddl"
#: At most this many item buttons per digest (Telegram allows 100 per message).
MAX_BUTTONS = 60


@dataclass(frozen=True)
class Outgoing:
    """A rendered digest: text parts and the buttons (label, callback data) for the last part."""

    parts: list[str]
    buttons: list[list[tuple[str, str]]]


#: Sends one digest to a chat; raises telegram errors. Returns nothing.
Sender = Callable[[int, Outgoing], Awaitable[None]]


def render_digest(view: DigestView, name: str) -> Outgoing:
    """The digest text and one numbered button per item (a tap opens the item's card)."""
    text = render("deadlines_digest", view=view, name=name, max_buttons=MAX_BUTTONS)
    buttons = [
        (str(n), encode(DEADLINE_NS, "open", deadline_id))
        for n, deadline_id in enumerate(view.deadline_ids[:MAX_BUTTONS], start=1)
    ]
    rows = [buttons[i : i + 6] for i in range(0, len(buttons), 6)]
    return Outgoing(split_message(text), rows)


def bot_sender(bot: Bot) -> Sender:
    """A :data:`Sender` through PTB (and therefore through its rate limiter)."""

    async def send(chat_id: int, outgoing: Outgoing) -> None:
        for index, part in enumerate(outgoing.parts):
            markup = None
            if index == len(outgoing.parts) - 1 and outgoing.buttons:
                markup = InlineKeyboardMarkup(
                    [
                        [InlineKeyboardButton(t, callback_data=d) for t, d in row]
                        for row in outgoing.buttons
                    ]
                )
            try:
                await bot.send_message(chat_id, part, reply_markup=markup)
            except RetryAfter:
                if index:
                    # Part of the digest is out: a retry would repeat it.
                    raise PartlySent(index) from None
                raise

    return send


class PartlySent(Exception):
    """Some parts of a digest were sent, then sending stopped."""

    def __init__(self, parts_sent: int) -> None:
        super().__init__(f"{parts_sent} part(s) sent, then stopped")


@dataclass
class SweepReport:
    """What one sweep did (for logs, tests and the benchmark)."""

    recovered: int = 0
    planned_notifications: int = 0
    planned_digests: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        """Add one outcome."""
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def _retry_seconds(exc: RetryAfter) -> timedelta:
    value: Any = exc.retry_after
    if isinstance(value, timedelta):
        return value
    return timedelta(seconds=float(value))


async def _deliver(claimed: reminders.ClaimedDigest, send: Sender) -> tuple[str, dict[str, Any]]:
    """Send one claimed digest; the outcome and its details."""
    try:
        outgoing = render_digest(claimed.view, claimed.staff_name)
    except Exception as exc:  # a broken template must not leave the claim open
        log.exception("digest %s could not be rendered", claimed.digest_id)
        return reminders.FAILED, {"error": f"render: {exc}"}
    text = "\n".join(outgoing.parts)
    try:
        await send(claimed.telegram_user_id, outgoing)
    except RetryAfter as exc:
        return reminders.RETRY, {"text": text, "retry_after": _retry_seconds(exc)}
    except Forbidden as exc:
        return reminders.FAILED, {"text": text, "error": f"forbidden: {exc.message}"}
    except BadRequest as exc:
        return reminders.FAILED, {"text": text, "error": f"bad request: {exc.message}"}
    except NetworkError as exc:  # includes TimedOut: it may or may not have arrived
        return reminders.UNKNOWN, {"text": text, "error": f"network: {exc.message}"}
    except PartlySent as exc:
        return reminders.UNKNOWN, {"text": text, "error": str(exc)}
    return reminders.SENT, {"text": text}


async def sweep(
    runtime: Runtime, send: Sender, *, at_start: bool = False, batch: int = 50
) -> SweepReport:
    """Recover, plan, claim, send, record. Safe to run at any time, from any number of workers."""
    config = runtime.config.deadlines
    report = SweepReport()
    now = runtime.clock.now()
    # At start on SQLite (one process by design) every open claim is from a dead process.
    single = at_start and runtime.db.dialect == "sqlite"
    lease = timedelta(0) if single else timedelta(seconds=config.claim_lease_seconds)
    async with runtime.db.transaction() as session:
        report.recovered = await reminders.recover_stale(session, now, lease)
    local = local_now(runtime.clock)
    today = local.date()
    if not is_working_day(today) or local.time() < config.digest_time:
        return report
    async with runtime.db.transaction() as session:
        await deadline_store.reconcile_participation(session, config=config, now=now)
    async with runtime.db.transaction() as session:
        plan = await reminders.plan_day(
            session, today=today, now=now, tz=runtime.clock.tz, config=config
        )
    report.planned_notifications, report.planned_digests = plan.notifications, plan.digests
    while True:
        now = runtime.clock.now()
        async with runtime.db.transaction() as session:
            ids = await reminders.claimable_digest_ids(session, today=today, now=now, limit=batch)
            directory = await reminders.load_directory(session) if ids else None
            claimed = [
                c
                for c in [
                    await reminders.claim_digest(
                        session, i, now=now, config=config, directory=directory
                    )
                    for i in ids
                ]
                if c is not None
            ]
        if not claimed:
            return report
        for item in claimed:
            details: dict[str, Any]
            if item.view.is_empty:
                outcome, details = reminders.EMPTY, {}
            else:
                outcome, details = await _deliver(item, send)
            async with runtime.db.transaction() as session:
                await reminders.record_outcome(
                    session, item.digest_id, outcome, now=runtime.clock.now(), **details
                )
            report.count(outcome)
            if outcome != reminders.SENT:
                log.warning("digest %s: %s", item.digest_id, outcome)


async def sweep_job(context: BotContext) -> None:
    """JobQueue callback: the regular sweep."""
    await sweep(context.runtime, bot_sender(context.bot))


async def catch_up_job(context: BotContext) -> None:
    """JobQueue callback once at start: settle dead claims, then catch up what was missed."""
    await sweep(context.runtime, bot_sender(context.bot), at_start=True)
