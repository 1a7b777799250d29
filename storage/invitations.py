"""One-time invitation codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.roles import Role
from storage.models import Invitation


@dataclass(frozen=True)
class InvitationInfo:
    """An invitation as plain data."""

    id: int
    code: str
    team_id: int
    roles: tuple[Role, ...]
    expires_at: datetime
    used_at: datetime | None


def _info(inv: Invitation) -> InvitationInfo:
    return InvitationInfo(
        inv.id,
        inv.code,
        inv.team_id,
        tuple(Role(r) for r in inv.roles),
        inv.expires_at,
        inv.used_at,
    )


async def create_invitation(
    session: AsyncSession,
    *,
    code: str,
    team_id: int,
    roles: list[Role],
    created_by_staff_id: int,
    now: datetime,
    expires_at: datetime,
) -> InvitationInfo:
    """Store a new invitation."""
    inv = Invitation(
        code=code,
        team_id=team_id,
        roles=[r.value for r in roles],
        created_by_staff_id=created_by_staff_id,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(inv)
    await session.flush()
    return _info(inv)


async def find_invitation(session: AsyncSession, code: str) -> InvitationInfo | None:
    """The invitation with exactly this code."""
    inv = await session.scalar(select(Invitation).where(Invitation.code == code))
    return _info(inv) if inv else None


async def mark_used(
    session: AsyncSession, invitation_id: int, telegram_user_id: int, now: datetime
) -> bool:
    """Claim the invitation; False when someone else used it first (compare-and-set)."""
    inv = await session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id, Invitation.used_at.is_(None))
        .with_for_update()
    )
    if inv is None:
        return False
    inv.used_at = now
    inv.used_by_telegram_id = telegram_user_id
    return True
