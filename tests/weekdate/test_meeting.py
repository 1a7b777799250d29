"""Meeting-mode rules: what a decision changes; the minutes."""

from __future__ import annotations

from datetime import date

import pytest

from bot import profiles
from bot.profiles import meaning
from bot.weekdate.rules.meeting import MinutesLine, build_minutes, intake_effects, next_case_status
from bot.weekdate.views import render_minutes_messages

MEETING = date(2026, 11, 24)
#: The default (Dalfsen) profile's meaning: what a weekdate decision sets in motion.
DALFSEN = profiles.default()
MEANING = {
    "lb_categories": meaning.lb_categories(DALFSEN),
    "handover_categories": meaning.handover_categories(DALFSEN),
}


def test_werkfit_hands_over_and_plans_the_lb_conversation() -> None:
    effects = intake_effects(
        category="werkfit",
        subcategory="ontwikkeling",
        lb_staff_id=7,
        current_owner_staff_id=3,
        today=MEETING,
        **MEANING,
    )
    assert effects.new_owner_staff_id == 7
    # 10 working days after Tuesday 24 November 2026: Tuesday 8 December.
    assert effects.lb_task_due == date(2026, 12, 8)


def test_meedoen_plans_the_conversation_but_keeps_the_owner() -> None:
    effects = intake_effects(
        category="meedoen",
        subcategory=None,
        lb_staff_id=7,
        current_owner_staff_id=3,
        today=date(2026, 4, 20),
        **MEANING,
    )
    assert effects.new_owner_staff_id is None
    # Koningsdag (Monday 27 April) does not count, so 10 working days end on Tuesday 5 May
    # (Bevrijdingsdag is a day off only in lustrum years such as 2025).
    assert effects.lb_task_due == date(2026, 5, 5)
    assert effects.lb_staff_id == 7


def test_zorg_needs_no_lb_and_meedoen_without_lb_is_refused() -> None:
    effects = intake_effects(
        category="zorg",
        subcategory=None,
        lb_staff_id=7,
        current_owner_staff_id=3,
        today=MEETING,
        **MEANING,
    )
    assert (effects.lb_task_due, effects.new_owner_staff_id, effects.lb_staff_id) == (
        None,
        None,
        None,
    )
    with pytest.raises(ValueError):
        intake_effects(
            category="werkfit",
            subcategory=None,
            lb_staff_id=None,
            current_owner_staff_id=3,
            today=MEETING,
            **MEANING,
        )


def test_outcomes_map_to_case_status() -> None:
    assert next_case_status("carried") == "carried"
    assert next_case_status("discussed") == "discussed"
    assert next_case_status("action") == "discussed"
    with pytest.raises(ValueError):
        next_case_status("vergeten")


def test_minutes_group_and_render() -> None:
    lines = [
        MinutesLine("C-1", "aanmelding", "categorised", "werkfit, LB Lotte"),
        MinutesLine("C-2", "knelpunt", "action", "Bram: vervoer regelen, uiterlijk 01-12-2026"),
        MinutesLine("C-3", "succes", "discussed", "besproken"),
        MinutesLine("C-4", "knelpunt", "carried", "doorgeschoven"),
    ]
    minutes = build_minutes(
        team_name="Dalfsen",
        meeting_date=MEETING,
        chair="Tara",
        attendees=["Bram", "Anna", "Bram"],
        lines=lines,
        not_reached=[MinutesLine("C-5", "succes", "", "")],
    )
    assert minutes.attendees == ("Anna", "Bram")
    text = "\n".join(render_minutes_messages(minutes))
    for needle in (
        "Notulen weekdate Dalfsen",
        "dinsdag 24-11-2026",
        "C-1 aanmelding: werkfit",
        "Actiepunten",
        "C-2 knelpunt: Bram",
        "Doorgeschoven",
        "C-4 knelpunt",
        "Niet aan toegekomen",
        "C-5 succes",
    ):
        assert needle in text
    assert text.index("Besluiten") < text.index("Actiepunten") < text.index("Doorgeschoven")
