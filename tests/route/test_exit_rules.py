"""The pure rules of the uitstroom: status, date window, hours, which deadlines close, when the
first loonwaardemeting falls."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.answers import InputProblem
from bot.core.vocabulary import ClientStatus, DeadlineKind, DeadlineSource
from bot.core.workdays import is_working_day
from bot.route import exit_rules as rules


def test_work_with_lks_is_placed_everything_else_left() -> None:
    assert rules.status_after_exit("werk", "lks") is ClientStatus.PLACED
    assert rules.status_after_exit("werk", "parttime") is ClientStatus.EXITED
    assert rules.status_after_exit("verhuizing", None) is ClientStatus.EXITED
    # "lks" only counts for werk (a stale kind after changing the reason does not place).
    assert rules.status_after_exit("onderwijs", "lks") is ClientStatus.EXITED
    assert rules.with_lks("werk", "lks") and not rules.with_lks("overig", "lks")


def test_exit_date_between_intake_and_today() -> None:
    today, intake = date(2026, 3, 10), date(2026, 3, 3)
    assert rules.check_exit_date(intake, today, intake) == intake
    assert rules.check_exit_date(today, today, intake) == today
    with pytest.raises(InputProblem) as before:
        rules.check_exit_date(date(2026, 3, 2), today, intake)
    assert before.value.code == "exit_before_intake"
    assert before.value.values["entered"] == intake
    with pytest.raises(InputProblem) as future:
        rules.check_exit_date(date(2026, 3, 11), today, intake)
    assert future.value.code == "exit_in_future"
    # A client without a known intake date: only the future is refused.
    assert rules.check_exit_date(date(2020, 1, 1), today, None) == date(2020, 1, 1)


@pytest.mark.parametrize("text", ["", "0", "61", "-3", "veertig", "32.5", "1" * 50, "٣٢"])
def test_hours_refused(text: str) -> None:
    with pytest.raises(InputProblem) as problem:
        rules.check_hours(text)
    assert problem.value.code == "hours"


@pytest.mark.parametrize(("text", "hours"), [("32", 32), (" 24 uur", 24), ("1", 1), ("60", 60)])
def test_hours_taken(text: str, hours: int) -> None:
    assert rules.check_hours(text) == hours


def test_placement_follow_ups_stay_open() -> None:
    assert not rules.closes_on_exit(DeadlineKind.WAGE_VALUE_ASSESSMENT, None)
    assert not rules.closes_on_exit(DeadlineKind.ACTION_ITEM, DeadlineSource.PLACEMENT)
    for kind in (
        DeadlineKind.ACTION_ITEM,
        DeadlineKind.TRAJECTORY_END,
        DeadlineKind.EXEMPTION_REVIEW,
        DeadlineKind.LB_APPOINTMENT,
        DeadlineKind.PARTICIPATION_CONTACT,
    ):
        assert rules.closes_on_exit(kind, DeadlineSource.CLIENT), kind


def test_first_assessment_a_year_later_on_a_working_day() -> None:
    assert rules.first_assessment_due(date(2026, 3, 3)) == date(2027, 3, 3)
    # 7 March 2027 is a Sunday: the Friday before.
    assert rules.first_assessment_due(date(2026, 3, 7)) == date(2027, 3, 5)
    for day in range(1, 29):
        assert is_working_day(rules.first_assessment_due(date(2026, 2, day)))


def test_only_the_caseload_can_be_placed_or_leave() -> None:
    assert rules.may_place(ClientStatus.REGISTERED) and rules.may_place(ClientStatus.ACTIVE)
    for status in (ClientStatus.EXITED, ClientStatus.PLACED, ClientStatus.TRANSFERRED):
        assert not rules.may_place(status)


def test_exit_task_due_in_working_days() -> None:
    # Friday 6 March 2026 + 5 working days = Friday 13 March.
    assert rules.exit_task_due(date(2026, 3, 6)) == date(2026, 3, 13)
