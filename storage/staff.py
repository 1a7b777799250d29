"""Staff members and their roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.roles import Role
from storage.models import Staff, StaffRole, Team


@dataclass(frozen=True)
class StaffMember:
    """An active (or listed) staff member as plain data."""

    staff_id: int
    telegram_user_id: int
    display_name: str
    team_id: int
    team_name: str
    roles: frozenset[Role]
    active: bool = True

    def has(self, *roles: Role) -> bool:
        """Whether the member holds any of ``roles``."""
        return bool(self.roles.intersection(roles))


def _member(staff: Staff, team_name: str) -> StaffMember:
    return StaffMember(
        staff_id=staff.id,
        telegram_user_id=staff.telegram_user_id,
        display_name=staff.display_name,
        team_id=staff.team_id,
        team_name=team_name,
        roles=frozenset(Role(r.role) for r in staff.roles),
        active=staff.active,
    )


async def get_active_staff(session: AsyncSession, telegram_user_id: int) -> StaffMember | None:
    """The active staff member with this Telegram id; ``None`` for anyone else."""
    row = (
        await session.execute(
            select(Staff, Team.name)
            .join(Team, Team.id == Staff.team_id)
            .where(Staff.telegram_user_id == telegram_user_id, Staff.active.is_(True))
        )
    ).first()
    return _member(row[0], row[1]) if row else None


async def get_staff(session: AsyncSession, staff_id: int) -> StaffMember | None:
    """Any staff member (active or not) by id."""
    row = (
        await session.execute(
            select(Staff, Team.name)
            .join(Team, Team.id == Staff.team_id)
            .where(Staff.id == staff_id)
        )
    ).first()
    return _member(row[0], row[1]) if row else None


async def display_name(session: AsyncSession, staff_id: int) -> str | None:
    """A staff member's name (active or not): one plain row, not the member with its roles."""
    name = await session.scalar(select(Staff.display_name).where(Staff.id == staff_id))
    return str(name) if name is not None else None


async def list_staff(
    session: AsyncSession,
    team_id: int | None = None,
    *,
    active_only: bool = True,
    offset: int = 0,
    limit: int | None = None,
) -> list[StaffMember]:
    """Staff by name, optionally one team's; ``offset``/``limit``: one page of them."""
    query = select(Staff, Team.name).join(Team, Team.id == Staff.team_id)
    if team_id is not None:
        query = query.where(Staff.team_id == team_id)
    if active_only:
        query = query.where(Staff.active.is_(True))
    query = query.order_by(Staff.display_name, Staff.id).offset(offset).limit(limit)
    rows = await session.execute(query)
    return [_member(staff, name) for staff, name in rows]


async def count_staff(session: AsyncSession, team_id: int) -> int:
    """How many active members the team has (what :func:`list_staff` lists in all)."""
    total = await session.scalar(
        select(func.count())
        .select_from(Staff)
        .where(Staff.team_id == team_id, Staff.active.is_(True))
    )
    return int(total or 0)


async def team_members_with_role(
    session: AsyncSession, team_id: int, role: Role
) -> list[StaffMember]:
    """The team's active members who hold ``role``."""
    return [m for m in await list_staff(session, team_id) if role in m.roles]


async def upsert_staff(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    display_name: str,
    team_id: int,
    roles: Iterable[Role],
    now: datetime,
) -> StaffMember:
    """Create the member, or reactivate and update an existing one with these roles and team."""
    staff = await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_user_id))
    if staff is None:
        staff = Staff(
            telegram_user_id=telegram_user_id,
            display_name=display_name[:100],
            team_id=team_id,
            active=True,
            created_at=now,
        )
        session.add(staff)
    else:
        staff.active = True
        staff.deactivated_at = None
        staff.team_id = team_id
        staff.display_name = display_name[:100] or staff.display_name
    staff.roles = [StaffRole(role=role.value) for role in sorted(set(roles))]
    await session.flush()
    team_name = await session.scalar(select(Team.name).where(Team.id == team_id))
    return _member(staff, team_name or "")


async def add_roles(
    session: AsyncSession, telegram_user_id: int, roles: Iterable[Role]
) -> StaffMember | None:
    """Give an existing member extra roles (bootstrap admins keep their other roles)."""
    staff = await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_user_id))
    if staff is None:
        return None
    held = {r.role for r in staff.roles}
    for role in roles:
        if role.value not in held:
            staff.roles.append(StaffRole(role=role.value))
    await session.flush()
    return await get_staff(session, staff.id)


async def deactivate(session: AsyncSession, staff_id: int, now: datetime) -> bool:
    """Deactivate a member; from now on they are a stranger. False if already inactive."""
    staff = await session.get(Staff, staff_id)
    if staff is None or not staff.active:
        return False
    staff.active = False
    staff.deactivated_at = now
    return True
