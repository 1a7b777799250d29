"""How long compiling and rendering a weekdate agenda takes for a big team.

A team with 5,000 clients (candidates for the vacatures) and 500 new items (aanmeldingen,
knelpunten, successen, trajecten, notities), 40 vacatures, 300 termijnen and 30 actiepunten.
Goal: compile + render under 200 ms. Prints the median of several runs; not a test.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time as timer
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bot import profiles
from bot.profiles import meaning
from bot.weekdate.rules.agenda import (
    AgendaInput,
    CandidateIn,
    CaseItemIn,
    DeadlineIn,
    TransitionIn,
    VacancyIn,
    compile_agenda,
)
from bot.weekdate.views import render_agenda_messages, render_agenda_pdf

MEETING = date(2026, 11, 24)
PROFILE = profiles.default()
#: The default profile's codes: the benchmark names no category itself.
CATEGORIES = [c.code for c in PROFILE.categories]
BRANCHES = list(PROFILE.branches[:5])
KINDS = ["intake", "bottleneck", "success", "trajectory", "note"]
PLACES = ["betaald_werk", "leerwerkplek", "werkstage", "proefplaatsing", "vrijwilligerswerk"]


def build(rng: random.Random) -> AgendaInput:
    candidates = [
        CandidateIn(
            n,
            f"C-{n:05d}",
            rng.choice(CATEGORIES),
            branches=frozenset(rng.sample(BRANCHES, rng.randint(0, 2))),
            max_hours=rng.choice([None, 16, 24, 32, 36]),
            entered_on=MEETING - timedelta(days=rng.randint(1, 2000)),
        )
        for n in range(5000)
    ]
    items = [
        CaseItemIn(
            n,
            rng.choice(KINDS),
            f"C-{rng.randrange(5000):05d}",
            "Anna",
            MEETING - timedelta(days=rng.randint(0, 7)),
            text="korte notitie zonder namen",
            proposed_category=rng.choice(CATEGORIES),
            tags=("jongere",),
            instrument="werkstage",
            start=MEETING + timedelta(days=rng.randint(0, 20)),
        )
        for n in range(500)
    ]
    vacancies = [
        VacancyIn(
            n,
            f"Werkgever {n}",
            "medewerker",
            rng.choice(PLACES),
            MEETING - timedelta(days=3),
            branche=rng.choice(BRANCHES),
            hours_per_week=rng.choice([None, 16, 24, 32]),
            closing_date=MEETING + timedelta(days=rng.randint(1, 40)),
        )
        for n in range(40)
    ]
    transitions = [
        TransitionIn(
            f"C-{n:05d}", "category", CATEGORIES[0], CATEGORIES[1], MEETING - timedelta(days=2)
        )
        for n in range(50)
    ]
    deadlines = [
        DeadlineIn(n, "exemption_review", MEETING + timedelta(days=rng.randint(-20, 14)), "Anna")
        for n in range(300)
    ]
    actions = [
        DeadlineIn(1000 + n, "action_item", MEETING + timedelta(days=n % 10), "Bram", title="bel")
        for n in range(30)
    ]
    return AgendaInput(
        "Benchmark",
        MEETING,
        30,
        case_items=items,
        vacancies=vacancies,
        candidates=candidates,
        transitions=transitions,
        deadlines=deadlines,
        action_items=actions,
        matching=meaning.matching(PROFILE),
    )


async def from_database(data: AgendaInput) -> tuple[float, float]:
    """Load the same week from SQLite through storage.weekdate.agenda_input; median ms of the
    load, and of load + compile + render."""
    import tempfile
    from datetime import UTC, datetime

    from storage.db import Database, create_engine, upgrade
    from storage.models import CaseItem, Client, Deadline, Staff, Team, Vacancy
    from storage.weekdate import agenda_input

    with tempfile.TemporaryDirectory() as folder:
        db = Database(create_engine(f"sqlite+aiosqlite:///{folder}/bench.sqlite"))
        await upgrade(db.engine)
        now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
        async with db.transaction() as session:
            team = Team(name="Benchmark", created_at=now)
            session.add(team)
            await session.flush()
            author = Staff(
                telegram_user_id=1,
                display_name="Anna",
                team_id=team.id,
                active=True,
                created_at=now,
            )
            session.add(author)
            await session.flush()
            ids: dict[str, int] = {}
            for c in data.candidates:
                row = Client(
                    team_id=team.id,
                    ref=c.ref,
                    owner_staff_id=author.id,
                    category=c.category,
                    subcategory=None,
                    tags=[],
                    status="actief",
                    entered_on=c.entered_on,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
            await session.flush()
            for cid, ref in await session.execute(select(Client.id, Client.ref)):
                ids[ref] = cid
            for item in data.case_items:
                session.add(
                    CaseItem(
                        team_id=team.id,
                        client_id=ids[item.client_ref or ""],
                        author_staff_id=author.id,
                        kind=item.kind,
                        text=item.text,
                        data={
                            "proposed_category": item.proposed_category,
                            "instrument": item.instrument,
                            "start": item.start.isoformat() if item.start else None,
                        },
                        created_at=now,
                        agenda_status="pending",
                    )
                )
            for v in data.vacancies:
                session.add(
                    Vacancy(
                        team_id=team.id,
                        author_staff_id=author.id,
                        employer=v.employer,
                        function=v.function,
                        branche=v.branche,
                        hours_per_week=v.hours_per_week,
                        place_kind=v.place_kind,
                        closing_date=v.closing_date,
                        status="open",
                        created_at=now,
                        agenda_status="pending",
                    )
                )
            for d in [*data.deadlines, *data.action_items]:
                session.add(
                    Deadline(
                        team_id=team.id,
                        kind=d.kind,
                        title=d.title,
                        due_date=d.due_date,
                        owner_staff_id=author.id,
                        status="open",
                        postponements=0,
                        created_at=now,
                    )
                )
            team_id = team.id
        load_ms: list[float] = []
        total_ms: list[float] = []
        for _ in range(7):
            t0 = timer.perf_counter()
            async with db.transaction() as session:
                loaded = await agenda_input(
                    session,
                    team_id=team_id,
                    team_name="Benchmark",
                    meeting_date=MEETING,
                    duration_minutes=30,
                    today=MEETING - timedelta(days=1),
                    changes_since=now - timedelta(days=7),
                    matching=meaning.matching(PROFILE),
                )
            t1 = timer.perf_counter()
            agenda = compile_agenda(loaded)
            render_agenda_messages(agenda, time(10, 0), private=True)
            render_agenda_messages(agenda, time(10, 0), private=False)
            t2 = timer.perf_counter()
            load_ms.append((t1 - t0) * 1000)
            total_ms.append((t2 - t0) * 1000)
        await db.dispose()
    return statistics.median(load_ms), statistics.median(total_ms)


def main() -> None:
    data = build(random.Random(4))
    compile_ms: list[float] = []
    render_ms: list[float] = []
    parts = 0
    for _ in range(15):
        t0 = timer.perf_counter()
        agenda = compile_agenda(data)
        t1 = timer.perf_counter()
        private = render_agenda_messages(agenda, time(10, 0), private=True)
        group = render_agenda_messages(agenda, time(10, 0), private=False)
        t2 = timer.perf_counter()
        compile_ms.append((t1 - t0) * 1000)
        render_ms.append((t2 - t1) * 1000)
        parts = len(private) + len(group)
    c, r = statistics.median(compile_ms), statistics.median(render_ms)
    print(
        f"agenda: 5000 clients, 500 new items, {len(agenda.items)} agenda items, {parts} messages"
    )
    print(f"  compile {c:.1f} ms, render (private + group) {r:.1f} ms, total {c + r:.1f} ms")
    print(f"  goal < 200 ms: {'met' if c + r < 200 else 'NOT met'}")
    t0 = timer.perf_counter()
    pdf = render_agenda_pdf(agenda, time(10, 0))
    print(
        f"  PDF (WeasyPrint, once): {(timer.perf_counter() - t0) * 1000:.0f} ms, {len(pdf)} bytes"
    )
    load, total = asyncio.run(from_database(data))
    print(f"  from SQLite: load {load:.1f} ms, load + compile + render {total:.1f} ms")


if __name__ == "__main__":
    main()
