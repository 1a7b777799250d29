"""Seed a realistic weekdate week into a database, for console demos.

    export DATABASE_URL=sqlite+aiosqlite:////tmp/demo.sqlite
    .venv/bin/python scripts/weekdate_demo.py
    .venv/bin/python -m bot console --as teamleider

Dates are relative to the next weekdate of "Team Werk" (default config: dinsdag 10:00). The
clients are invented references; no names, no BSNs.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import prepare_database
from bot.config import load_config
from bot.core.clock import SystemClock, local_today
from bot.core.roles import Role
from bot.runtime import Runtime
from bot.weekdate.rules.schedule import next_occurrence
from storage import staff, teams
from storage.db import Database, create_engine
from storage.models import CaseItem, Client, ClientEvent, Deadline, Vacancy


async def main() -> None:
    config = load_config(None, os.environ)
    clock = SystemClock(config.timezone)
    runtime = Runtime(config, clock, Database(create_engine(config.database_url)))
    await prepare_database(runtime)
    now = clock.now()
    today = local_today(clock)
    async with runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, config.teams[0].name)
        assert team is not None
        settings = runtime.settings_for(team.name).weekdate
        meeting = next_occurrence(now, settings, {}, clock.tz).date
        people = {}
        for tid, name, roles in (
            (9001, "Anna", (Role.CONSULENT,)),
            (9002, "Bram", (Role.CONSULENT,)),
            (9003, "Lotte", (Role.LOOPBAANBEGELEIDER,)),
            (9004, "Niels", (Role.NETWERKER,)),
        ):
            member = await staff.upsert_staff(
                session,
                telegram_user_id=tid,
                display_name=name,
                team_id=team.id,
                roles=roles,
                now=now,
            )
            people[name] = member.staff_id

        def client(
            ref: str, owner: str, category: str | None, status: str, tags: list[str], entered: date
        ) -> Client:
            row = Client(
                team_id=team.id,
                ref=ref,
                owner_staff_id=people[owner],
                category=category,
                subcategory=None,
                tags=tags,
                status=status,
                entered_on=entered,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            return row

        c = {
            "C-10234": client("C-10234", "Anna", None, "aangemeld", ["statushouder"], today),
            "C-10251": client("C-10251", "Bram", None, "aangemeld", ["jongere"], today),
            "C-09811": client("C-09811", "Lotte", "werkfit", "actief", [], date(2025, 2, 3)),
            "C-09902": client("C-09902", "Lotte", "werkfit", "actief", [], date(2025, 9, 1)),
            "C-09750": client("C-09750", "Anna", "meedoen", "actief", [], date(2024, 6, 1)),
            "C-09623": client("C-09623", "Lotte", "werkfit", "actief", [], date(2025, 4, 1)),
            "C-09402": client(
                "C-09402", "Anna", "meedoen", "actief", ["statushouder"], date(2025, 5, 12)
            ),
            "C-09305": client("C-09305", "Lotte", "werkfit", "uitgestroomd", [], date(2024, 1, 8)),
            "C-09518": client("C-09518", "Lotte", "werkfit", "actief", [], date(2025, 1, 6)),
            "C-09100": client(
                "C-09100", "Bram", "zorg", "actief", ["alleenstaande ouder"], date(2023, 3, 1)
            ),
            "C-09210": client("C-09210", "Anna", "zorg", "actief", [], date(2024, 11, 4)),
            "C-09044": client("C-09044", "Bram", "meedoen", "actief", [], date(2024, 2, 5)),
        }
        await session.flush()
        yesterday = now - timedelta(days=1)

        def item(
            kind: str,
            ref: str,
            author: str,
            text: str | None,
            data: dict[str, object],
            status: str = "pending",
        ) -> None:
            session.add(
                CaseItem(
                    team_id=team.id,
                    client_id=c[ref].id,
                    author_staff_id=people[author],
                    kind=kind,
                    text=text,
                    data=data,
                    created_at=yesterday,
                    agenda_status=status,
                )
            )

        item(
            "intake",
            "C-10234",
            "Anna",
            "eerste gesprek gehad, taalniveau A2",
            {"proposed_category": "zorg", "tags": ["statushouder"]},
        )
        item(
            "intake",
            "C-10251",
            "Bram",
            "wil graag in de techniek aan de slag",
            {"proposed_category": "werkfit", "tags": ["jongere"]},
        )
        item(
            "trajectory",
            "C-09811",
            "Lotte",
            None,
            {
                "instrument": "werkstage",
                "start": (meeting + timedelta(days=6)).isoformat(),
                "end": (meeting + timedelta(days=96)).isoformat(),
            },
        )
        item("bottleneck", "C-09623", "Lotte", "vervoer naar de werkstage lukt niet meer", {})
        item("success", "C-09518", "Lotte", "vaste aanstelling na proefplaatsing", {})
        item("bottleneck", "C-09044", "Bram", "wacht op budgetcoach", {}, status="carried")
        session.add(
            Vacancy(
                team_id=team.id,
                author_staff_id=people["Niels"],
                employer="Bakkerij Van der Veen",
                function="verkoopmedewerker",
                branche="horeca en toerisme",
                hours_per_week=24,
                place_kind="betaald_werk",
                closing_date=meeting + timedelta(days=10),
                source="wsp",
                status="open",
                created_at=yesterday,
                agenda_status="pending",
            )
        )
        session.add(
            Vacancy(
                team_id=team.id,
                author_staff_id=people["Niels"],
                employer="Zorgcentrum De Vecht",
                function="gastvrouw/-heer koffiebar",
                branche="zorg en welzijn",
                hours_per_week=8,
                place_kind="vrijwilligerswerk",
                closing_date=None,
                source="eigen_netwerk",
                status="open",
                created_at=yesterday,
                agenda_status="pending",
            )
        )
        session.add(
            ClientEvent(
                client_id=c["C-09402"].id,
                at=yesterday,
                actor_staff_id=people["Anna"],
                field="category",
                old_value="zorg",
                new_value="meedoen",
                reason="statushouder na 6 maanden",
            )
        )
        session.add(
            ClientEvent(
                client_id=c["C-09305"].id,
                at=yesterday,
                actor_staff_id=people["Lotte"],
                field="status",
                old_value="actief",
                new_value="uitgestroomd",
                reason="werk",
            )
        )
        for ref, kind, due, owner, title in (
            ("C-09100", "exemption_review", today - timedelta(days=3), "Bram", None),
            ("C-09210", "participation_contact", meeting + timedelta(days=8), "Anna", None),
            (
                "C-09623",
                "action_item",
                meeting + timedelta(days=3),
                "Lotte",
                "offerte jobcoach opvragen",
            ),
        ):
            session.add(
                Deadline(
                    team_id=team.id,
                    client_id=c[ref].id,
                    kind=kind,
                    title=title,
                    due_date=due,
                    owner_staff_id=people[owner],
                    status="open",
                    postponements=0,
                    created_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
            )
    await runtime.db.dispose()
    print(f"demo week seeded for {team.name}, weekdate {meeting.isoformat()}")


if __name__ == "__main__":
    asyncio.run(main())
