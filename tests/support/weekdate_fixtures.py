"""Shared agenda fixture data for the weekdate tests."""

from __future__ import annotations

from datetime import date

from bot import profiles
from bot.profiles import meaning
from bot.weekdate.rules.agenda import (
    AgendaInput,
    CandidateIn,
    CaseItemIn,
    DeadlineIn,
    TransitionIn,
    VacancyIn,
)

MEETING = date(2026, 11, 24)  # a Tuesday
#: Place kind -> suited categories of the default (Dalfsen) profile.
DALFSEN_MATCHING = meaning.matching(profiles.default())


def demo_input(duration: int = 30) -> AgendaInput:
    """One item in every section."""
    return AgendaInput(
        team_name="Dalfsen",
        meeting_date=MEETING,
        duration_minutes=duration,
        matching=DALFSEN_MATCHING,
        case_items=[
            CaseItemIn(
                1,
                "intake",
                "C-1001",
                "Anna",
                date(2026, 11, 18),
                proposed_category="werkfit",
                tags=("jongere",),
            ),
            CaseItemIn(2, "bottleneck", "C-0042", "Bram", date(2026, 11, 19), text="vervoer"),
            CaseItemIn(3, "success", "C-0077", "Bram", date(2026, 11, 20), text="contract"),
            CaseItemIn(
                4,
                "trajectory",
                "C-0050",
                "Cem",
                date(2026, 11, 20),
                instrument="werkstage",
                start=date(2026, 12, 1),
            ),
            CaseItemIn(
                5, "bottleneck", "C-0060", "Anna", date(2026, 11, 10), agenda_status="carried"
            ),
        ],
        vacancies=[
            VacancyIn(
                7,
                "Bakkerij Jansen",
                "verkoper",
                "betaald_werk",
                date(2026, 11, 19),
                branche="horeca en toerisme",
                hours_per_week=24,
            ),
        ],
        candidates=[
            CandidateIn(
                11, "C-0900", "werkfit", branches=frozenset({"horeca en toerisme"}), max_hours=32
            ),
        ],
        transitions=[TransitionIn("C-0300", "category", "zorg", "meedoen", date(2026, 11, 20))],
        deadlines=[DeadlineIn(20, "exemption_review", date(2026, 11, 20), "Anna", "C-0400")],
        action_items=[
            DeadlineIn(21, "action_item", date(2026, 11, 30), "Bram", title="offerte opvragen")
        ],
    )
