"""How long compiling and rendering a weekdate agenda takes for a big team.

A team with 5,000 clients (candidates for the vacatures) and 500 new items (aanmeldingen,
knelpunten, successen, trajecten, notities), 40 vacatures, 300 termijnen and 30 actiepunten.
Goal: compile + render under 200 ms. Prints the median of several runs; not a test.
"""

from __future__ import annotations

import random
import statistics
import sys
import time as timer
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.agenda import (
    AgendaInput,
    CandidateIn,
    CaseItemIn,
    DeadlineIn,
    TransitionIn,
    VacancyIn,
    compile_agenda,
)
from bot.agenda_render import render_agenda_messages

MEETING = date(2026, 11, 24)
BRANCHES = ["horeca en toerisme", "zorg en welzijn", "techniek en productie", "groen", "bouw"]
KINDS = ["intake", "bottleneck", "success", "trajectory", "note"]
PLACES = ["betaald_werk", "leerwerkplek", "werkstage", "proefplaatsing", "vrijwilligerswerk"]


def build(rng: random.Random) -> AgendaInput:
    candidates = [
        CandidateIn(
            n,
            f"C-{n:05d}",
            rng.choice(["zorg", "meedoen", "werkfit"]),
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
            proposed_category=rng.choice(["zorg", "meedoen", "werkfit"]),
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
        TransitionIn(f"C-{n:05d}", "category", "zorg", "meedoen", MEETING - timedelta(days=2))
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
    )


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


if __name__ == "__main__":
    main()
