"""A week of morning digests for one demo consulent, rendered on the fake clock.

    .venv/bin/python scripts/demo_deadlines_week.py

Sanne owns a handful of deadlines (ontheffing reviews, participation contacts, a traject end,
an action item). Monday to Friday the real sweep runs at 08:30; she answers some items during
the day (Gedaan, Uitstellen) and ignores others. Prints each digest as she would read it.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Config
from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.roles import Role
from bot.core.ui import Reply
from bot.core.vocabulary import ContactKind, ContactOutcome, ExemptionReason, ExemptionScope
from bot.deadlines import service
from bot.deadlines.rules import PostponeChoice
from bot.runtime import Runtime
from jobs.deadlines import sweep
from storage import deadlines as store
from storage import staff, teams
from storage.db import Database, create_engine, upgrade
from storage.models import Client

MONDAY = date(2026, 11, 23)


def plain(text: str) -> str:
    """Telegram HTML as plain text."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


async def build_week() -> list[tuple[date, str]]:
    """Run the demo week; returns (day, digest text) for Sanne, Monday to Friday."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.sqlite'}"
        clock = FakeClock(at(MONDAY - timedelta(days=3), 16))
        runtime = Runtime(
            config=Config(database_url=url), clock=clock, db=Database(create_engine(url))
        )
        await upgrade(runtime.db.engine)
        now = clock.now()
        config = runtime.config.deadlines
        async with runtime.db.transaction() as session:
            (team,) = await teams.ensure_teams(session, ["Team Werk"], now)
            sanne = await staff.upsert_staff(
                session,
                telegram_user_id=1001,
                display_name="Sanne",
                team_id=team.id,
                roles=[Role.CONSULENT],
                now=now,
            )
            await staff.upsert_staff(
                session,
                telegram_user_id=1002,
                display_name="Tom",
                team_id=team.id,
                roles=[Role.TEAMLEIDER],
                now=now,
            )

            async def client(ref: str, category: str, entered: date) -> int:
                row = Client(
                    team_id=team.id,
                    ref=ref,
                    owner_staff_id=sanne.staff_id,
                    category=category,
                    tags=[],
                    status="actief",
                    entered_on=entered,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                await session.flush()
                return row.id

            async def exemption(ref: str, reason: ExemptionReason, review: date) -> None:
                cid = await client(ref, "zorg", date(2024, 5, 1))
                # Zorg clients are seen face to face yearly; these were, in March.
                await service.record_participation_contact(
                    session,
                    client_id=cid,
                    kind=ContactKind.FACE_TO_FACE,
                    contact_date=date(2026, 3, 10),
                    outcome=ContactOutcome.TEMPORARILY_IMPOSSIBLE,
                    note=None,
                    staff_id=sanne.staff_id,
                    config=config,
                    now=now,
                )
                await service.create_exemption(
                    session,
                    team_id=team.id,
                    client_id=cid,
                    scope=ExemptionScope.FULL,
                    reason=reason,
                    start=date(2025, 11, 3),
                    end=None,
                    review_date=review,
                    youngest_turns_five=None,
                    owner_staff_id=sanne.staff_id,
                    now=now - timedelta(days=300),
                )

            await exemption("C-1042", ExemptionReason.INFORMAL_CARE, date(2026, 11, 3))  # overdue
            await exemption("C-1077", ExemptionReason.MEDICAL, date(2026, 11, 25))  # Wednesday
            await exemption("C-1101", ExemptionReason.SCHOOLING, date(2026, 12, 23))  # pre on Mon
            for ref, entered in (("C-2001", date(2025, 11, 26)), ("C-2002", date(2025, 12, 24))):
                cid = await client(ref, "meedoen", entered)
                await service.ensure_participation_deadline(session, cid, config=config, now=now)
            await service.deadline_for_trajectory(
                session,
                team_id=team.id,
                case_item_id=1,
                client_id=await client("C-3005", "werkfit", date(2026, 3, 1)),
                start=date(2026, 9, 1),
                end=date(2026, 11, 27),
                owner_staff_id=sanne.staff_id,
                now=now,
                title="werkstage bij Hoveniersbedrijf",
            )
            await store.create_deadline(
                session,
                team_id=team.id,
                kind="action_item",
                due_date=date(2026, 11, 24),
                owner_staff_id=sanne.staff_id,
                now=now,
                title="offerte taalcursus opvragen",
            )

        inbox: list[tuple[date, str]] = []

        async def send(chat_id: int, outgoing: Reply) -> None:
            if chat_id == 1001:
                inbox.append((clock.now().astimezone(AMSTERDAM).date(), outgoing.text))

        async def during_the_day(day: date) -> None:
            clock.set(at(day, 11))
            async with runtime.db.transaction() as session:
                # One entry per client reference (or title), the deadline of interest per kind.
                open_rows = {
                    d.client_ref or d.title: d
                    for d in await store.open_deadlines(
                        session, team_id=team.id, owner_staff_id=sanne.staff_id
                    )
                    if d.kind != "participation_contact" or d.client_ref in ("C-2001", "C-2002")
                }
                today = clock.now()
                if day.weekday() == 0:  # Monday: the overdue review is done, extended a year
                    await service.review_exemption(
                        session,
                        open_rows["C-1042"].id,
                        outcome=store.ExemptionOutcome.EXTENDED,
                        reviewed_on=day,
                        next_review=date(2027, 11, 23),
                        staff_id=sanne.staff_id,
                        now=today,
                    )
                if day.weekday() == 1:  # Tuesday: the action item is done; a phone call
                    await service.complete_deadline(
                        session,
                        open_rows["offerte taalcursus opvragen"].id,
                        done_on=day,
                        now=today,
                        config=config,
                    )
                    await service.record_participation_contact(
                        session,
                        client_id=open_rows["C-2001"].client_id or 0,
                        kind=ContactKind.PHONE,
                        contact_date=day,
                        outcome=ContactOutcome.VOLUNTEERING,
                        note=None,
                        staff_id=sanne.staff_id,
                        config=config,
                        now=today,
                    )
                if day.weekday() == 2:  # Wednesday: the medical review waits for a report
                    await service.postpone_deadline(
                        session,
                        open_rows["C-1077"].id,
                        choice=PostponeChoice.WEEK,
                        reason="wacht op rapport",
                        today=day,
                        now=today,
                        staff_id=sanne.staff_id,
                    )
                if day.weekday() == 3:  # Thursday: the home visit happened
                    await service.record_participation_contact(
                        session,
                        client_id=open_rows["C-2001"].client_id or 0,
                        kind=ContactKind.HOME_VISIT,
                        contact_date=day,
                        outcome=ContactOutcome.VOLUNTEERING,
                        note=None,
                        staff_id=sanne.staff_id,
                        config=config,
                        now=today,
                    )

        for offset in range(5):
            day = MONDAY + timedelta(days=offset)
            clock.set(at(day, 8, 30))
            await sweep(runtime, send)
            await during_the_day(day)
        await runtime.db.dispose()
        return inbox


def main() -> None:
    for day, text in asyncio.run(build_week()):
        print(f"===== {day.isoformat()} 08:30 =====")
        print(plain(text))
        print()


if __name__ == "__main__":
    main()
