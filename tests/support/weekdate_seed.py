"""Seed clients, case items, vacatures and deadlines straight into the database for weekdate
tests (the case-log forms are another feature's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from storage.models import CaseItem, Client, Staff, Team, Vacancy
from tests.support.harness import BotHarness


async def team_id(bot: BotHarness, name: str = "Team Werk") -> int:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalar(select(Team.id).where(Team.name == name))
        assert found is not None
        return found


async def staff_id(bot: BotHarness, telegram_user_id: int) -> int:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalar(
            select(Staff.id).where(Staff.telegram_user_id == telegram_user_id)
        )
        assert found is not None
        return found


async def client(
    bot: BotHarness,
    ref: str,
    *,
    owner: int | None,
    category: str | None = None,
    status: str = "aangemeld",
    team: str = "Team Werk",
) -> int:
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        row = Client(
            team_id=await session.scalar(select(Team.id).where(Team.name == team)),
            ref=ref,
            owner_staff_id=owner,
            category=category,
            subcategory=None,
            tags=["jongere"],
            status=status,
            entered_on=now.date(),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        return row.id


async def case_item(
    bot: BotHarness,
    kind: str,
    *,
    author: int,
    client_id: int | None,
    text: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    team: str = "Team Werk",
) -> int:
    async with bot.runtime.db.transaction() as session:
        row = CaseItem(
            team_id=await session.scalar(select(Team.id).where(Team.name == team)),
            client_id=client_id,
            author_staff_id=author,
            kind=kind,
            text=text,
            data=data or {},
            created_at=at or bot.clock.now(),
            agenda_status="pending",
        )
        session.add(row)
        await session.flush()
        return row.id


async def vacancy(
    bot: BotHarness,
    *,
    author: int,
    employer: str,
    function: str,
    place_kind: str,
    branche: str | None = None,
    hours: int | None = None,
    closing: date | None = None,
) -> int:
    async with bot.runtime.db.transaction() as session:
        row = Vacancy(
            team_id=await session.scalar(select(Team.id).where(Team.name == "Team Werk")),
            author_staff_id=author,
            employer=employer,
            function=function,
            branche=branche,
            hours_per_week=hours,
            place_kind=place_kind,
            closing_date=closing,
            status="open",
            created_at=bot.clock.now(),
            agenda_status="pending",
        )
        session.add(row)
        await session.flush()
        return row.id
