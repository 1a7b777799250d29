"""Clients and their history. Every change of category, owner or status writes a ClientEvent,
because the figures need doorstroom (moves between categories), not only in- and outflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.caselog.rules import key_without_prefix, reference_key, trajectory_is_open
from bot.core.vocabulary import AgendaStatus, CaseItemKind, ClientStatus, HistoryField
from storage.models import CaseItem, Client, ClientEvent, Staff
from storage.route_people import sync_tag_periods


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
    benefit_start: date | None = None


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
        benefit_start=client.benefit_start,
    )


async def get_client(session: AsyncSession, client_id: int) -> ClientInfo | None:
    """A client by id."""
    client = await session.get(Client, client_id)
    return client_info(client) if client else None


async def find_client(session: AsyncSession, team_id: int, ref: str) -> Client | None:
    """A team's client by reference, compared in the canonical key (``reference_key``).

    A reference typed with or without its letter prefix (``C10234`` / ``10234``) finds a client
    spelled the other way when exactly one client of the team has that number: never a guess
    between two.
    """
    key = reference_key(ref)
    if not key:
        return None
    same_team = Client.team_id == team_id
    client = await session.scalar(select(Client).where(same_team, Client.ref_key == key))
    if client is not None:
        return client
    number = key_without_prefix(key)
    if number != key:
        # Typed with a prefix; the team may know the client by the number alone.
        return await session.scalar(select(Client).where(same_team, Client.ref_key == number))
    if not number[:1].isdigit():
        return None
    # Typed without a prefix: the one client whose key is some letters and this number.
    rows = await session.scalars(select(Client).where(same_team, Client.ref_key.like(f"%{key}")))
    matches = [c for c in rows if c.ref_key != key and key_without_prefix(c.ref_key) == key]
    return matches[0] if len(matches) == 1 else None


async def find_clients(
    session: AsyncSession, team_id: int, refs: Iterable[str]
) -> dict[str, Client]:
    """:func:`find_client` for many references at once (one query, and one more only for
    references typed without their prefix that match no key exactly); by reference as given.

    Keep at most a few hundred references per call: the second query is one ``LIKE`` each.
    """
    keys = {ref: reference_key(ref) for ref in refs}
    keys = {ref: key for ref, key in keys.items() if key}
    if not keys:
        return {}
    same_team = Client.team_id == team_id
    wanted = set(keys.values()) | {key_without_prefix(k) for k in keys.values()}
    by_key = {
        c.ref_key: c
        for c in await session.scalars(
            select(Client).where(same_team, Client.ref_key.in_(sorted(wanted)))
        )
    }
    found: dict[str, Client] = {}
    bare: dict[str, str] = {}
    for ref, key in keys.items():
        number = key_without_prefix(key)
        client = by_key.get(key) or (by_key.get(number) if number != key else None)
        if client is not None:
            found[ref] = client
        elif number == key and number[:1].isdigit():
            bare[ref] = key
    if bare:
        # Typed without a prefix: the one client whose key is some letters and this number.
        candidates = list(
            await session.scalars(
                select(Client).where(
                    same_team, or_(*(Client.ref_key.like(f"%{k}") for k in set(bare.values())))
                )
            )
        )
        for ref, key in bare.items():
            matches = [
                c for c in candidates if c.ref_key != key and key_without_prefix(c.ref_key) == key
            ]
            if len(matches) == 1:
                found[ref] = matches[0]
    return found


async def get_client_by_ref(session: AsyncSession, team_id: int, ref: str) -> ClientInfo | None:
    """A team's client by reference (see :func:`find_client`)."""
    client = await find_client(session, team_id, ref)
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
            field=HistoryField.CATEGORY,
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
            field=HistoryField.SUBCATEGORY,
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
            field=HistoryField.OWNER,
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
            field=HistoryField.STATUS,
            old=client.status,
            new=status,
            actor_staff_id=actor_staff_id,
            reason=exit_reason or reason,
            now=now,
        )
        client.status = status
        client.exit_reason = exit_reason
    return client_info(client)


# --- the case log: aanmeldingen, herinstroom, cards ----------------------------------------------

#: Statuses of a client the team is working with; a new aanmelding for them is refused.
ACTIVE_STATUSES = (ClientStatus.REGISTERED, ClientStatus.ACTIVE)


class ClientAlreadyActive(Exception):
    """An aanmelding for a reference the team is already working with."""

    def __init__(self, client: ClientInfo) -> None:
        super().__init__(client.ref)
        self.client = client


@dataclass(frozen=True)
class IntakeSaved:
    """What an aanmelding stored."""

    client: ClientInfo
    item_id: int
    herinstroom: bool


async def register_intake(
    session: AsyncSession,
    *,
    team_id: int,
    ref: str,
    author_staff_id: int,
    first_conversation: date,
    entitlement: str,
    tags: list[str],
    proposed_category: str | None,
    benefit_start: date | None = None,
    note: str | None,
    now: datetime,
) -> IntakeSaved:
    """Store an aanmelding: a new client, or a herinstroom of one who left.

    The author becomes the owner. The aanmelding is a case item on the next weekdate agenda.
    Raises :class:`ClientAlreadyActive` when the reference is aangemeld or actief.
    """
    client = await find_client(session, team_id, ref)
    herinstroom = client is not None
    if client is None:
        client = Client(
            team_id=team_id,
            ref=ref,
            ref_key=reference_key(ref),
            owner_staff_id=author_staff_id,
            category=None,
            subcategory=None,
            tags=list(tags),
            status=ClientStatus.REGISTERED,
            entitlement=entitlement,
            benefit_start=benefit_start,
            entered_on=first_conversation,
            created_at=now,
            updated_at=now,
        )
        session.add(client)
        await session.flush()
        await _record(
            session,
            client,
            field=HistoryField.STATUS,
            old=None,
            new=ClientStatus.REGISTERED,
            actor_staff_id=author_staff_id,
            reason=None,
            now=now,
        )
    else:
        if client.status in ACTIVE_STATUSES:
            raise ClientAlreadyActive(client_info(client))
        await _record(
            session,
            client,
            field=HistoryField.RETURN,
            old=client.status,
            new=ClientStatus.REGISTERED,
            actor_staff_id=author_staff_id,
            reason=None,
            now=now,
        )
        await change_status(
            session,
            client.id,
            status=ClientStatus.REGISTERED,
            exit_reason=None,
            actor_staff_id=author_staff_id,
            reason=HistoryField.RETURN,
            now=now,
        )
        await change_owner(
            session,
            client.id,
            owner_staff_id=author_staff_id,
            actor_staff_id=author_staff_id,
            reason=HistoryField.RETURN,
            now=now,
        )
        client.tags = list(tags)
        client.entitlement = entitlement
        client.benefit_start = benefit_start
        client.entered_on = first_conversation
    # The intake's tags open periods (a herinstroom closes the tags it no longer has).
    await sync_tag_periods(session, client.id, tags, on=first_conversation)
    item = CaseItem(
        team_id=team_id,
        client_id=client.id,
        author_staff_id=author_staff_id,
        kind=CaseItemKind.INTAKE,
        text=note,
        data={
            "first_conversation": first_conversation.isoformat(),
            "entitlement": entitlement,
            "tags": list(tags),
            "proposed_category": proposed_category,
            "herinstroom": herinstroom,
        },
        created_at=now,
        agenda_status=AgendaStatus.PENDING,
    )
    session.add(item)
    await session.flush()
    return IntakeSaved(client_info(client), item.id, herinstroom)


async def refs_with_keys(session: AsyncSession, team_id: int, keys: set[str]) -> list[str]:
    """The team's references whose canonical key is in ``keys`` (words that could be one)."""
    if not keys:
        return []
    query = select(Client.ref).where(Client.team_id == team_id, Client.ref_key.in_(sorted(keys)))
    return list(await session.scalars(query))


async def team_has_clients(session: AsyncSession, team_id: int) -> bool:
    """Whether the team has any client at all (one indexed row, never the whole caseload)."""
    found = await session.scalar(select(Client.id).where(Client.team_id == team_id).limit(1))
    return found is not None


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a client's history, with who made the change."""

    at: datetime
    field: str
    old_value: str | None
    new_value: str | None
    reason: str | None
    actor_name: str | None


async def history(session: AsyncSession, client_id: int, limit: int = 10) -> list[HistoryEntry]:
    """The client's newest history entries first (owner ids shown as names)."""
    result = await session.execute(
        select(ClientEvent, Staff.display_name)
        .outerjoin(Staff, Staff.id == ClientEvent.actor_staff_id)
        .where(ClientEvent.client_id == client_id)
        .order_by(ClientEvent.at.desc(), ClientEvent.id.desc())
        .limit(limit)
    )
    rows = result.all()
    # Owner changes store staff ids: look up only those names (one plain query, none when there
    # is no owner change), never every staff member of every team.
    owner_ids = {
        int(value)
        for event, _name in rows
        if event.field == HistoryField.OWNER
        for value in (event.old_value, event.new_value)
        if value and value.isdigit()
    }
    names: dict[int, str] = {}
    if owner_ids:
        found = await session.execute(
            select(Staff.id, Staff.display_name).where(Staff.id.in_(sorted(owner_ids)))
        )
        names = {staff_id: name for staff_id, name in found}
    entries: list[HistoryEntry] = []
    for event, actor_name in rows:
        old, new = event.old_value, event.new_value
        if event.field == HistoryField.OWNER:
            old = names.get(int(old)) if old and old.isdigit() else old
            new = names.get(int(new)) if new and new.isdigit() else new
        entries.append(HistoryEntry(event.at, event.field, old, new, event.reason, actor_name))
    return entries


@dataclass(frozen=True)
class OwnedClient:
    """One of my clients with what is still open about it."""

    client: ClientInfo
    pending_items: int
    open_trajectories: int


def _owned_by(owner_staff_id: int) -> tuple[Any, ...]:
    return Client.owner_staff_id == owner_staff_id, Client.status.in_(ACTIVE_STATUSES)


async def count_clients_of(session: AsyncSession, owner_staff_id: int) -> int:
    """How many clients a staff member owns (not the ones who left)."""
    total = await session.scalar(
        select(func.count()).select_from(Client).where(*_owned_by(owner_staff_id))
    )
    return int(total or 0)


async def clients_of(
    session: AsyncSession,
    owner_staff_id: int,
    today: date,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[OwnedClient]:
    """The clients a staff member owns (not the ones who left), by reference: rows ``offset`` up
    to ``offset + limit`` (all when ``limit`` is None).

    Two statements whatever the caseload, each reading only the page: the clients with their
    pending item count (a correlated count, so only the page's items are counted), and the
    trajectory items of those clients (whether one is still open depends on its end date).
    """
    pending = (
        select(func.count())
        .where(CaseItem.client_id == Client.id, CaseItem.agenda_status == AgendaStatus.PENDING)
        .correlate(Client)
        .scalar_subquery()
    )
    query = (
        select(Client, pending)
        .where(*_owned_by(owner_staff_id))
        .order_by(Client.ref, Client.id)
        .offset(offset)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    trajectories = await session.execute(
        select(CaseItem.client_id, CaseItem.data).where(
            CaseItem.client_id.in_([client.id for client, _count in rows]),
            CaseItem.kind == CaseItemKind.TRAJECTORY,
        )
    )
    open_trajectories: dict[int, int] = {}
    for client_id, data in trajectories:
        if client_id is not None and trajectory_is_open(data.get("end"), today):
            open_trajectories[client_id] = open_trajectories.get(client_id, 0) + 1
    return [
        OwnedClient(client_info(client), int(count or 0), open_trajectories.get(client.id, 0))
        for client, count in rows
    ]
