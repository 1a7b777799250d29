"""The reminder sweep's wake-up: the JobQueue calls these, they hand the bot's sender over.

All state is in the database and the sweep is orchestrated by :func:`bot.deadlines.sweep.sweep`;
this module only turns a Telegram send into a :class:`~bot.deadlines.sweep.Delivery` through
:mod:`bot.outbound` (the one way out, and the one classification of Bot API errors).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.ui import Reply
from bot.core.vocabulary import DeliveryStatus
from bot.deadlines import sweep as reminder_sweep
from bot.deadlines.sweep import Deliver, Delivery, SweepReport
from bot.outbound import PartlySent, outcome_of, send_reply
from bot.runtime import BotContext, Runtime

__all__ = ["Reply", "Sender", "SweepReport", "bot_sender", "classified", "sweep"]

#: Sends one digest to a chat; raises the Bot API error (or ``PartlySent``). Returns nothing.
Sender = Callable[[int, Reply], Awaitable[None]]


def bot_sender(bot: Bot) -> Sender:
    """A :data:`Sender` through :func:`bot.outbound.send_reply` (and PTB's rate limiter)."""

    async def send(chat_id: int, digest: Reply) -> None:
        await send_reply(bot, chat_id, digest)

    return send


def _retry_seconds(exc: RetryAfter) -> timedelta:
    value: Any = exc.retry_after
    if isinstance(value, timedelta):
        return value
    return timedelta(seconds=float(value))


def _explain(error: TelegramError) -> str:
    if isinstance(error, Forbidden):
        return f"forbidden: {error.message}"
    if isinstance(error, NetworkError):
        return f"network: {error.message}"
    return f"bad request: {error.message}"


def _classify(error: TelegramError) -> Delivery:
    if isinstance(error, RetryAfter):
        return Delivery(DeliveryStatus.RETRY, retry_after=_retry_seconds(error))
    return Delivery(outcome_of(error), error=_explain(error))


def classified(send: Sender) -> Deliver:
    """``send`` with its Bot API errors classified for the ledger.

    ``RetryAfter`` on the first part: retry later. A later part failing (``PartlySent``): the
    digest is partly out, so it is never resent (``unknown``; ``failed`` when the chat cannot be
    reached). ``Forbidden``/``BadRequest``: failed. A timeout or network error: unknown.
    """

    async def deliver(chat_id: int, digest: Reply) -> Delivery:
        try:
            await send(chat_id, digest)
        except PartlySent as partly:
            if outcome_of(partly.cause) is DeliveryStatus.RETRY:
                # Part of the digest is out: a retry would repeat it.
                return Delivery(
                    DeliveryStatus.UNKNOWN,
                    error=f"{partly.parts_sent} part(s) sent, then stopped",
                )
            return _classify(partly.cause)
        except TelegramError as exc:
            return _classify(exc)
        return Delivery(DeliveryStatus.SENT)

    return deliver


async def sweep(
    runtime: Runtime, send: Sender, *, at_start: bool = False, batch: int = 50
) -> SweepReport:
    """One sweep of the reminder engine, sending through ``send``."""
    return await reminder_sweep.sweep(
        runtime.db,
        runtime.clock,
        runtime.config.deadlines,
        classified(send),
        at_start=at_start,
        batch=batch,
    )


async def sweep_job(context: BotContext) -> None:
    """JobQueue callback: the regular sweep."""
    await sweep(context.runtime, bot_sender(context.bot))


async def catch_up_job(context: BotContext) -> None:
    """JobQueue callback once at start: settle dead claims, then catch up what was missed."""
    await sweep(context.runtime, bot_sender(context.bot), at_start=True)
