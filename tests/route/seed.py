"""Rows for the route tests, written straight into the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Client, Deadline, ParticipationContact, Team
from tests.support.harness import BotHarness


async def client(
    bot: BotHarness,
    ref: str,
    *,
    owner: int | None = None,
    category: str | None = None,
    subcategory: str | None = None,
    status: str = "actief",
    entered_on: date | None = None,
    team: str = "Team Werk",
) -> int:
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        row = Client(
            team_id=await session.scalar(select(Team.id).where(Team.name == team)),
            ref=ref,
            owner_staff_id=owner,
            category=category,
            subcategory=subcategory,
            tags=[],
            status=status,
            entered_on=entered_on or now.date(),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        return row.id


async def contact(bot: BotHarness, client_id: int, on: date, kind: str = "face_to_face") -> None:
    async with bot.runtime.db.transaction() as session:
        team_id = (await session.get_one(Client, client_id)).team_id
        session.add(
            ParticipationContact(
                team_id=team_id,
                client_id=client_id,
                kind=kind,
                contact_date=on,
                outcome="afspraken_gemaakt",
                created_at=bot.clock.now(),
            )
        )


async def deadline(bot: BotHarness, client_id: int, due: date, owner: int | None) -> None:
    async with bot.runtime.db.transaction() as session:
        team_id = (await session.get_one(Client, client_id)).team_id
        session.add(
            Deadline(
                team_id=team_id,
                client_id=client_id,
                kind="participation_contact",
                due_date=due,
                owner_staff_id=owner,
                status="open",
                created_at=bot.clock.now(),
            )
        )
