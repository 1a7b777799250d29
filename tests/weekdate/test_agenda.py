"""The agenda compiler: sections in order, candidates, the time box."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.weekdate.rules.agenda import (
    AgendaInput,
    CandidateIn,
    CaseItemIn,
    DeadlineIn,
    Section,
    VacancyIn,
    compile_agenda,
    item_priority,
    suggest_candidates,
)
from bot.weekdate.views import render_agenda_text
from tests.support.weekdate_fixtures import DALFSEN_MATCHING, MEETING, demo_input


def test_every_section_in_order_with_its_items() -> None:
    agenda = compile_agenda(demo_input())
    assert [s.section for s in agenda.sections] == list(Section)
    assert [s.title for s in agenda.sections] == [
        "Nieuwe aanmeldingen",
        "Vacatures",
        "Komende trajecten",
        "Knelpunten",
        "Doorstroom en uitstroom",
        "Successen",
        "Termijnen",
        "Doorgeschoven punten",
        "Open actiepunten",
    ]
    keys = {s.section: [i.key for i in s.items] for s in agenda.sections}
    assert keys[Section.INTAKES] == ["case_item:1"]
    assert keys[Section.VACANCIES] == ["vacancy:7"]
    assert keys[Section.TRAJECTORIES] == ["case_item:4"]
    assert keys[Section.BOTTLENECKS] == ["case_item:2"]
    assert keys[Section.TRANSITIONS] == ["transition:C-0300:category:2026-11-20"]
    assert keys[Section.SUCCESSES] == ["case_item:3"]
    assert keys[Section.DEADLINES] == ["deadline:20"]
    assert keys[Section.CARRIED] == ["case_item:5"]
    assert keys[Section.ACTION_ITEMS] == ["deadline:21"]
    assert agenda.section(Section.DEADLINES).items[0].overdue
    assert agenda.section(Section.VACANCIES).items[0].candidates[0].ref == "C-0900"


def test_horizon_filters_far_trajectories_deadlines_and_old_vacancies() -> None:
    data = AgendaInput(
        team_name="T",
        meeting_date=MEETING,
        duration_minutes=30,
        case_items=[
            CaseItemIn(
                1,
                "trajectory",
                "C-1",
                "A",
                MEETING,
                instrument="taalstage",
                start=MEETING + timedelta(days=15),
            )
        ],
        vacancies=[
            VacancyIn(
                1,
                "A",
                "f",
                "betaald_werk",
                MEETING,
                seen_before=True,
                closing_date=MEETING + timedelta(days=30),
            ),
            VacancyIn(
                2,
                "B",
                "g",
                "betaald_werk",
                MEETING,
                seen_before=True,
                closing_date=MEETING + timedelta(days=14),
            ),
            VacancyIn(
                3, "C", "h", "betaald_werk", MEETING, closing_date=MEETING - timedelta(days=1)
            ),
        ],
        deadlines=[
            DeadlineIn(1, "x", MEETING + timedelta(days=15), None),
            DeadlineIn(2, "x", MEETING + timedelta(days=14), None),
        ],
    )
    agenda = compile_agenda(data)
    assert agenda.section(Section.TRAJECTORIES).items == []
    assert [i.key for i in agenda.section(Section.VACANCIES).items] == ["vacancy:2"]
    assert [i.key for i in agenda.section(Section.DEADLINES).items] == ["deadline:2"]


def test_candidates_werkfit_for_paid_work_meedoen_for_participation() -> None:
    pool = [
        CandidateIn(1, "W-1", "werkfit", entered_on=date(2026, 1, 1)),
        CandidateIn(2, "W-2", "werkfit", branches=frozenset({"groen"})),
        CandidateIn(3, "W-3", "werkfit", branches=frozenset({"horeca"}), max_hours=16),
        CandidateIn(4, "W-4", "werkfit", branches=frozenset({"horeca"}), max_hours=36),
        CandidateIn(5, "M-1", "meedoen"),
        CandidateIn(6, "Z-1", "zorg"),
        CandidateIn(7, "W-5", "werkfit", status="uitgestroomd"),
        CandidateIn(8, "W-6", "werkfit", entered_on=date(2025, 1, 1)),
    ]
    paid = VacancyIn(1, "E", "f", "betaald_werk", MEETING, branche="Horeca", hours_per_week=24)
    got = suggest_candidates(paid, pool, DALFSEN_MATCHING)
    # Known branche and hours first; W-2 (other branche) and W-3 (too few hours) excluded;
    # unknown ones after, longest waiting first.
    assert [c.ref for c in got] == ["W-4", "W-6", "W-1"]
    assert got[0].reasons == ("branche Horeca", "tot 36 uur")
    volunteer = VacancyIn(2, "E", "f", "vrijwilligerswerk", MEETING)
    assert [c.ref for c in suggest_candidates(volunteer, pool, DALFSEN_MATCHING)] == ["M-1"]


def test_time_box_adds_up_and_heavy_sections_get_more() -> None:
    agenda = compile_agenda(demo_input(duration=30))
    assert agenda.total_minutes == 30
    intakes = agenda.section(Section.INTAKES).minutes
    successes = agenda.section(Section.SUCCESSES).minutes
    assert intakes > successes > 0
    assert all(not i.ter_info for i in agenda.items)
    assert all(s.minutes == 0 for s in agenda.sections if not s.items)


def test_overfull_agenda_marks_lowest_priority_ter_info() -> None:
    items = [CaseItemIn(n, "intake", f"C-{n}", "A", MEETING) for n in range(8)]
    items += [CaseItemIn(100 + n, "success", f"S-{n}", "A", MEETING) for n in range(5)]
    agenda = compile_agenda(AgendaInput("T", MEETING, 30, case_items=items))
    assert agenda.total_minutes == 30
    # 8 intakes need 24 minutes; 6 minutes are left for successes.
    successes = agenda.section(Section.SUCCESSES)
    assert len(successes.discussed) == 5
    assert successes.info == []
    more = items + [CaseItemIn(200 + n, "success", f"X-{n}", "A", MEETING) for n in range(3)]
    agenda = compile_agenda(AgendaInput("T", MEETING, 30, case_items=more))
    successes = agenda.section(Section.SUCCESSES)
    assert len(successes.discussed) == 6 and len(successes.info) == 2
    assert all(not i.ter_info for i in agenda.section(Section.INTAKES).items)
    assert agenda.total_minutes == 30


def test_empty_agenda_has_all_sections_and_no_minutes() -> None:
    agenda = compile_agenda(AgendaInput("T", MEETING, 30))
    assert agenda.is_empty and [s.section for s in agenda.sections] == list(Section)
    assert agenda.total_minutes == 0


def test_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError):
        compile_agenda(AgendaInput("T", MEETING, -1))


KINDS = st.sampled_from(["intake", "bottleneck", "success", "note", "trajectory"])


@given(
    kinds=st.lists(KINDS, max_size=60),
    deadlines=st.integers(0, 30),
    duration=st.integers(10, 120),
)
def test_time_box_property(kinds: list[str], deadlines: int, duration: int) -> None:
    items = [
        CaseItemIn(n, kind, f"C-{n}", "A", MEETING, start=MEETING) for n, kind in enumerate(kinds)
    ]
    dls = [DeadlineIn(n, "x", MEETING - timedelta(days=n % 3), None) for n in range(deadlines)]
    agenda = compile_agenda(AgendaInput("T", MEETING, duration, case_items=items, deadlines=dls))
    discussed = [i for i in agenda.items if not i.ter_info]
    if discussed:
        assert agenda.total_minutes == duration
    else:
        assert agenda.total_minutes == 0
    assert sum(i.weight for i in discussed) <= duration
    for section in agenda.sections:
        assert section.minutes >= sum(i.weight for i in section.discussed)
        if not section.discussed:
            assert section.minutes == 0
    # Ter info is a strict cut by priority: nothing discussed ranks below anything ter info.
    info = [i for i in agenda.items if i.ter_info]
    if info and discussed:
        assert max(map(item_priority, discussed)) < min(map(item_priority, info))


@pytest.mark.parametrize(
    ("start", "extensions", "long_running", "cite"),
    [
        # Two years and a day before the meeting, never extended: langlopend.
        (date(2024, 11, 23), 0, True, "001:L309: running longer than two years"),
        # Exactly two years: not yet.
        (date(2024, 11, 24), 2, False, "001:L309"),
        # A year old but extended three times: langlopend.
        (date(2025, 11, 24), 3, True, "001:L309: extended three times"),
        # Not an ontheffing's review: never.
        (None, 5, False, "only ontheffingen"),
    ],
)
def test_long_running_ontheffing_is_marked_on_the_termijnen(
    start: date | None, extensions: int, long_running: bool, cite: str
) -> None:
    data = AgendaInput(
        team_name="Dalfsen",
        meeting_date=MEETING,
        duration_minutes=30,
        deadlines=[
            DeadlineIn(
                7,
                "exemption_review",
                MEETING + timedelta(days=3),
                "Sanne",
                "C-7",
                exemption_start=start,
                extensions=extensions,
            )
        ],
    )
    agenda = compile_agenda(data)
    (item,) = agenda.section(Section.DEADLINES).items
    assert item.long_running is long_running, cite
    private = render_agenda_text(agenda, time(10, 0), private=True)
    assert ("(langlopend)" in private) is long_running, cite
