"""Case items: succes, knelpunt, traject, notitie (and the aanmelding, see ``storage.clients``).

Every item is created with ``agenda_status`` pending, so the next weekdate picks it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.caselog.rules import trajectory_is_open
from bot.core.vocabulary import AgendaStatus, CaseItemKind
from storage.models import CaseItem, Client


@dataclass(frozen=True)
class ItemInfo:
    """A case item as plain data, with its client's reference."""

    id: int
    team_id: int
    client_id: int | None
    client_ref: str | None
    author_staff_id: int
    kind: str
    text: str | None
    data: dict[str, Any]
    created_at: datetime
    agenda_status: str


def _info(item: CaseItem, ref: str | None) -> ItemInfo:
    return ItemInfo(
        id=item.id,
        team_id=item.team_id,
        client_id=item.client_id,
        client_ref=ref,
        author_staff_id=item.author_staff_id,
        kind=item.kind,
        text=item.text,
        data=dict(item.data or {}),
        created_at=item.created_at,
        agenda_status=item.agenda_status,
    )


async def add_item(
    session: AsyncSession,
    *,
    team_id: int,
    client_id: int | None,
    author_staff_id: int,
    kind: str,
    text: str | None,
    data: dict[str, Any] | None = None,
    now: datetime,
    agenda_status: str = AgendaStatus.PENDING,
) -> ItemInfo:
    """Store a case item for the next weekdate (or, with another ``agenda_status``, only for the
    client's record)."""
    item = CaseItem(
        team_id=team_id,
        client_id=client_id,
        author_staff_id=author_staff_id,
        kind=kind,
        text=text,
        data=dict(data or {}),
        created_at=now,
        agenda_status=agenda_status,
    )
    session.add(item)
    await session.flush()
    ref = None
    if client_id is not None:
        ref = await session.scalar(select(Client.ref).where(Client.id == client_id))
    return _info(item, ref)


async def items_for_client(session: AsyncSession, client_id: int, limit: int = 5) -> list[ItemInfo]:
    """The client's newest items first."""
    rows = await session.execute(
        select(CaseItem, Client.ref)
        .join(Client, Client.id == CaseItem.client_id)
        .where(CaseItem.client_id == client_id)
        .order_by(CaseItem.created_at.desc(), CaseItem.id.desc())
        .limit(limit)
    )
    return [_info(item, ref) for item, ref in rows]


async def open_trajectories(session: AsyncSession, client_id: int, today: date) -> list[ItemInfo]:
    """The client's trajecten that have not ended, oldest start first."""
    rows = await session.execute(
        select(CaseItem, Client.ref)
        .join(Client, Client.id == CaseItem.client_id)
        .where(CaseItem.client_id == client_id, CaseItem.kind == CaseItemKind.TRAJECTORY)
        .order_by(CaseItem.id)
    )
    return [
        _info(item, ref) for item, ref in rows if trajectory_is_open(item.data.get("end"), today)
    ]


async def own_recent_items(
    session: AsyncSession, author_staff_id: int, since: datetime, limit: int = 10
) -> list[ItemInfo]:
    """The author's items created since ``since``, newest first."""
    rows = await session.execute(
        select(CaseItem, Client.ref)
        .outerjoin(Client, Client.id == CaseItem.client_id)
        .where(CaseItem.author_staff_id == author_staff_id, CaseItem.created_at >= since)
        .order_by(CaseItem.created_at.desc(), CaseItem.id.desc())
        .limit(limit)
    )
    return [_info(item, ref) for item, ref in rows]


async def get_item(session: AsyncSession, item_id: int) -> ItemInfo | None:
    """One item by id."""
    row = (
        await session.execute(
            select(CaseItem, Client.ref)
            .outerjoin(Client, Client.id == CaseItem.client_id)
            .where(CaseItem.id == item_id)
        )
    ).first()
    return _info(row[0], row[1]) if row else None


async def set_item_text(
    session: AsyncSession, item_id: int, *, author_staff_id: int, since: datetime, text: str | None
) -> ItemInfo | None:
    """Replace the text of one's own recent item; ``None`` when it is not one's own or too old."""
    item = await session.get(CaseItem, item_id)
    if item is None or item.author_staff_id != author_staff_id or item.created_at < since:
        return None
    item.text = text
    await session.flush()
    ref = None
    if item.client_id is not None:
        ref = await session.scalar(select(Client.ref).where(Client.id == item.client_id))
    return _info(item, ref)
