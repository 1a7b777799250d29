"""Shared helpers for the reminder engine tests: clients, deadlines and a recording sender."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.render import split_message
from bot.core.ui import Reply
from storage.models import Client, Staff


async def make_client(
    session: AsyncSession,
    *,
    team_id: int,
    ref: str,
    owner_staff_id: int | None,
    now: datetime,
    category: str | None = "zorg",
    entered_on: date | None = None,
) -> int:
    """A client row (the case-log work owns the real intake)."""
    client = Client(
        team_id=team_id,
        ref=ref,
        owner_staff_id=owner_staff_id,
        category=category,
        tags=[],
        status="actief",
        entered_on=entered_on,
        created_at=now,
        updated_at=now,
    )
    session.add(client)
    await session.flush()
    return client.id


async def staff_id(session: AsyncSession, telegram_user_id: int) -> tuple[int, int]:
    """(staff id, team id) of a Telegram user."""
    row = (
        await session.execute(
            select(Staff.id, Staff.team_id).where(Staff.telegram_user_id == telegram_user_id)
        )
    ).one()
    return row[0], row[1]


@dataclass
class RecordingSender:
    """A :data:`jobs.deadlines.Sender` that records and can fail on demand."""

    sent: list[tuple[int, Reply]] = field(default_factory=list)
    #: chat id -> exception to raise (once) instead of sending
    faults: dict[int, Exception] = field(default_factory=dict)

    async def __call__(self, chat_id: int, outgoing: Reply) -> None:
        fault = self.faults.pop(chat_id, None)
        if fault is not None:
            raise fault
        self.sent.append((chat_id, outgoing))

    def to(self, chat_id: int) -> list[Reply]:
        """What ``chat_id`` received."""
        return [o for c, o in self.sent if c == chat_id]


def parts(reply: Reply) -> list[str]:
    """``reply``'s text as the Telegram messages :func:`bot.outbound.send_reply` sends."""
    return split_message(reply.text)
