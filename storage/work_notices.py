"""The work notices: one private message per person per decision source (SQL only).

Sending follows the agenda deliveries: a row is claimed with a compare-and-set before it is
sent, so two senders (the handler right after ``/weekdate stop`` and the job) never both send
it; ``retry`` rows are claimed again by the job; ``sending`` and ``unknown`` rows never are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import WorkNoticeStatus
from storage.models import WorkNotice


async def add_items(
    session: AsyncSession,
    *,
    team_id: int,
    source: str,
    staff_id: int,
    items: Sequence[dict[str, Any]],
    now: datetime,
) -> None:
    """Add ``items`` to the person's draft notice for ``source`` (created when missing)."""
    row = (
        await session.execute(
            select(WorkNotice).where(WorkNotice.source == source, WorkNotice.staff_id == staff_id)
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(
            WorkNotice(
                team_id=team_id,
                staff_id=staff_id,
                source=source,
                items=list(items),
                status=WorkNoticeStatus.DRAFT,
                attempts=0,
                created_at=now,
                updated_at=now,
            )
        )
    elif row.status == WorkNoticeStatus.DRAFT:
        # A new list, so the JSON column is seen as changed.
        row.items = [*row.items, *items]
        row.updated_at = now
    await session.flush()


@dataclass(frozen=True)
class WorkDraft:
    """A draft notice: for whom, and the items so far."""

    id: int
    staff_id: int
    items: list[dict[str, Any]]


async def drafts(session: AsyncSession, source: str) -> list[WorkDraft]:
    """The draft notices of ``source``."""
    rows = await session.execute(
        select(WorkNotice)
        .where(WorkNotice.source == source, WorkNotice.status == WorkNoticeStatus.DRAFT)
        .order_by(WorkNotice.id)
    )
    return [WorkDraft(r.id, r.staff_id, list(r.items)) for r in rows.scalars()]


async def make_pending(
    session: AsyncSession, notice_id: int, *, chat_id: int, text: str, now: datetime
) -> None:
    """Fix the notice's text and recipient; it waits to be claimed and sent."""
    await session.execute(
        update(WorkNotice)
        .where(WorkNotice.id == notice_id, WorkNotice.status == WorkNoticeStatus.DRAFT)
        .values(status=WorkNoticeStatus.PENDING, chat_id=chat_id, text=text, updated_at=now)
    )


@dataclass(frozen=True)
class ClaimedNotice:
    """A notice claimed for sending."""

    id: int
    chat_id: int
    text: str


async def claim(
    session: AsyncSession, now: datetime, ids: Sequence[int] | None = None
) -> list[ClaimedNotice]:
    """Claim (pending or retry → sending) the notices ``ids``, or every waiting one."""
    waiting = (WorkNoticeStatus.PENDING, WorkNoticeStatus.RETRY)
    query = select(WorkNotice.id, WorkNotice.chat_id, WorkNotice.text).where(
        WorkNotice.status.in_(waiting)
    )
    if ids is not None:
        if not ids:
            return []
        query = query.where(WorkNotice.id.in_(list(ids)))
    rows = (await session.execute(query.order_by(WorkNotice.id).limit(500))).all()
    claimed: list[ClaimedNotice] = []
    for notice_id, chat_id, text in rows:
        result = await session.execute(
            update(WorkNotice)
            .where(WorkNotice.id == notice_id, WorkNotice.status.in_(waiting))
            .values(
                status=WorkNoticeStatus.SENDING,
                attempts=WorkNotice.attempts + 1,
                updated_at=now,
            )
        )
        if getattr(result, "rowcount", 0) == 1 and chat_id is not None and text:
            claimed.append(ClaimedNotice(notice_id, int(chat_id), text))
    return claimed


async def record(session: AsyncSession, notice_id: int, status: str, now: datetime) -> None:
    """How sending one notice went."""
    await session.execute(
        update(WorkNotice)
        .where(WorkNotice.id == notice_id)
        .values(status=WorkNoticeStatus(status), updated_at=now)
    )


async def statuses(session: AsyncSession, source: str) -> dict[int, str]:
    """Status per person of ``source``'s notices (for checks and the console)."""
    rows = await session.execute(
        select(WorkNotice.staff_id, WorkNotice.status).where(WorkNotice.source == source)
    )
    return {int(staff_id): str(status) for staff_id, status in rows}
