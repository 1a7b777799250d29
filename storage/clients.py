"""Clients and their history. Every change of category, owner or status writes a ClientEvent,
because the figures need doorstroom (moves between categories), not only in- and outflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Client, ClientEvent


@dataclass(frozen=True)
class ClientInfo:
    """A client as plain data (reference only; never a BSN or a name)."""

    id: int
    team_id: int
    ref: str
    owner_staff_id: int | None
    category: str | None
    subcategory: str | None
    tags: tuple[str, ...]
    status: str
    entered_on: date | None


def client_info(client: Client) -> ClientInfo:
    """Plain data for a loaded ``Client`` row."""
    return ClientInfo(
        id=client.id,
        team_id=client.team_id,
        ref=client.ref,
        owner_staff_id=client.owner_staff_id,
        category=client.category,
        subcategory=client.subcategory,
        tags=tuple(client.tags or ()),
        status=client.status,
        entered_on=client.entered_on,
    )


async def get_client(session: AsyncSession, client_id: int) -> ClientInfo | None:
    """A client by id."""
    client = await session.get(Client, client_id)
    return client_info(client) if client else None


async def get_client_by_ref(session: AsyncSession, team_id: int, ref: str) -> ClientInfo | None:
    """A team's client by (normalised) reference."""
    client = await session.scalar(
        select(Client).where(Client.team_id == team_id, Client.ref == ref)
    )
    return client_info(client) if client else None


async def _record(
    session: AsyncSession,
    client: Client,
    *,
    field: str,
    old: str | None,
    new: str | None,
    actor_staff_id: int | None,
    reason: str | None,
    now: datetime,
) -> None:
    session.add(
        ClientEvent(
            client_id=client.id,
            at=now,
            actor_staff_id=actor_staff_id,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason,
        )
    )
    client.updated_at = now


async def change_category(
    session: AsyncSession,
    client_id: int,
    *,
    category: str,
    subcategory: str | None,
    actor_staff_id: int | None,
    reason: str | None,
    now: datetime,
) -> ClientInfo:
    """Set category and subcategory; each real change goes into the history."""
    client = await session.get_one(Client, client_id)
    if client.category != category:
        await _record(
            session,
            client,
            field="category",
            old=client.category,
            new=category,
            actor_staff_id=actor_staff_id,
            reason=reason,
            now=now,
        )
        client.category = category
    if client.subcategory != subcategory:
        await _record(
            session,
            client,
            field="subcategory",
            old=client.subcategory,
            new=subcategory,
            actor_staff_id=actor_staff_id,
            reason=reason,
            now=now,
        )
        client.subcategory = subcategory
    return client_info(client)


async def change_owner(
    session: AsyncSession,
    client_id: int,
    *,
    owner_staff_id: int,
    actor_staff_id: int | None,
    reason: str | None,
    now: datetime,
) -> ClientInfo:
    """Hand the client to another staff member (in the history)."""
    client = await session.get_one(Client, client_id)
    if client.owner_staff_id != owner_staff_id:
        await _record(
            session,
            client,
            field="owner",
            old=str(client.owner_staff_id) if client.owner_staff_id else None,
            new=str(owner_staff_id),
            actor_staff_id=actor_staff_id,
            reason=reason,
            now=now,
        )
        client.owner_staff_id = owner_staff_id
    return client_info(client)


async def change_status(
    session: AsyncSession,
    client_id: int,
    *,
    status: str,
    exit_reason: str | None,
    actor_staff_id: int | None,
    reason: str | None,
    now: datetime,
) -> ClientInfo:
    """Change the client's status (aangemeld, actief, uitgestroomd, overgedragen)."""
    client = await session.get_one(Client, client_id)
    if client.status != status:
        await _record(
            session,
            client,
            field="status",
            old=client.status,
            new=status,
            actor_staff_id=actor_staff_id,
            reason=exit_reason or reason,
            now=now,
        )
        client.status = status
        client.exit_reason = exit_reason
    return client_info(client)
