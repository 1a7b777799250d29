"""The audit log: who did what to which object, with what result. No client data or free text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import AuditAction
from storage.models import AuditEntry


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as plain data."""

    at: datetime
    actor_telegram_id: int | None
    actor_staff_id: int | None
    action: str
    object: str | None
    result: str


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    action: AuditAction,
    result: StrEnum,
    actor_telegram_id: int | None = None,
    actor_staff_id: int | None = None,
    object: str | None = None,
) -> None:
    """Append one audit row (``object`` is an id such as ``client:12``, never a BSN).

    ``action`` must be a member of :class:`AuditAction` (a ``ValueError`` otherwise), so no
    user text can reach the log through it, whatever a caller builds.
    """
    session.add(
        AuditEntry(
            at=at,
            action=AuditAction(action).value,
            result=str(result),
            actor_telegram_id=actor_telegram_id,
            actor_staff_id=actor_staff_id,
            object=object,
        )
    )


async def recent(session: AsyncSession, limit: int = 100) -> list[AuditRow]:
    """The newest audit rows first."""
    rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [
        AuditRow(r.at, r.actor_telegram_id, r.actor_staff_id, r.action, r.object, r.result)
        for r in rows
    ]
