"""Teams: synced from config at start; the linked group chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Team


@dataclass(frozen=True)
class TeamInfo:
    """A team as plain data."""

    id: int
    name: str
    group_chat_id: int | None


def _info(team: Team) -> TeamInfo:
    return TeamInfo(team.id, team.name, team.group_chat_id)


async def ensure_teams(session: AsyncSession, names: list[str], now: datetime) -> list[TeamInfo]:
    """Create the configured teams that do not exist yet; returns them in config order."""
    existing = {t.name: t for t in await session.scalars(select(Team))}
    for name in names:
        if name not in existing:
            team = Team(name=name, created_at=now)
            session.add(team)
            existing[name] = team
    await session.flush()
    return [_info(existing[name]) for name in names]


async def get_team(session: AsyncSession, team_id: int) -> TeamInfo | None:
    """A team by id."""
    team = await session.get(Team, team_id)
    return _info(team) if team else None


async def get_team_by_name(session: AsyncSession, name: str) -> TeamInfo | None:
    """A team by its exact name."""
    team = await session.scalar(select(Team).where(Team.name == name))
    return _info(team) if team else None


async def list_teams(session: AsyncSession) -> list[TeamInfo]:
    """All teams by name."""
    return [_info(t) for t in await session.scalars(select(Team).order_by(Team.name))]


async def team_for_group(session: AsyncSession, chat_id: int) -> TeamInfo | None:
    """The team whose linked group is ``chat_id``."""
    team = await session.scalar(select(Team).where(Team.group_chat_id == chat_id))
    return _info(team) if team else None


async def link_group(session: AsyncSession, team_id: int, chat_id: int) -> None:
    """Make ``chat_id`` the team's group (replacing an earlier one)."""
    await session.execute(update(Team).where(Team.id == team_id).values(group_chat_id=chat_id))


async def unlink_group(session: AsyncSession, chat_id: int) -> int | None:
    """Clear the link of the group ``chat_id``; the id of the team it belonged to, if any."""
    team = await session.scalar(select(Team).where(Team.group_chat_id == chat_id))
    if team is None:
        return None
    team.group_chat_id = None
    await session.flush()
    return team.id


async def move_group(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> int | None:
    """Point the team linked to ``old_chat_id`` at ``new_chat_id``; that team's id, if any."""
    team = await session.scalar(select(Team).where(Team.group_chat_id == old_chat_id))
    if team is None:
        return None
    team.group_chat_id = new_chat_id
    await session.flush()
    return team.id
