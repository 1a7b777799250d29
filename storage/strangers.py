"""When a non-staff person last got the fixed refusal (the rate limit of the stranger reply)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StrangerReply


async def last_reply_at(session: AsyncSession, telegram_user_id: int) -> datetime | None:
    """When this person last got the refusal, or ``None``."""
    row = await session.get(StrangerReply, telegram_user_id)
    return row.last_reply_at if row else None


async def record_reply(session: AsyncSession, telegram_user_id: int, now: datetime) -> None:
    """Remember that this person got the refusal ``now``."""
    row = await session.get(StrangerReply, telegram_user_id)
    if row is None:
        session.add(StrangerReply(telegram_user_id=telegram_user_id, last_reply_at=now))
    else:
        row.last_reply_at = now
