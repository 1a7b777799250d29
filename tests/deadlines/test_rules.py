"""Unit tests for the pure deadline rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.vocabulary import ContactKind, DeadlineKind, ExemptionReason, Stage
from bot.core.workdays import is_working_day
from bot.deadlines.rules import (
    FORCED_ESCALATION,
    DigestItem,
    PostponeChoice,
    Postponed,
    PostponeRefused,
    RuleError,
    Section,
    StagePolicy,
    Undelivered,
    add_months,
    compose_digest,
    development_route_due,
    exemption_review_due,
    internship_review_due,
    is_escalated,
    lb_appointment_due,
    next_recurring_due,
    parse_stage_key,
    participation_contact_due,
    postpone,
    stage_dates,
    stage_key,
    stages_due_on,
    status_holder_review_due,
    termijnen_view,
    trajectory_end_due,
    wage_value_assessment_due,
    working_due,
)
from bot.deadlines.settings import DeadlinesConfig

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
POLICY = StagePolicy()


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


@given(days, st.integers(min_value=0, max_value=48))
def test_add_months_lands_in_the_right_month(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_working_due_moves_weekend_and_holiday_back() -> None:
    assert working_due(date(2026, 11, 21)) == date(2026, 11, 20)  # Saturday -> Friday
    assert working_due(date(2026, 11, 22)) == date(2026, 11, 20)  # Sunday -> Friday
    assert working_due(date(2026, 12, 25)) == date(2026, 12, 24)  # Kerstmis -> Thursday
    assert working_due(date(2026, 12, 28)) == date(2026, 12, 28)  # Monday stays
    assert working_due(date(2027, 4, 27)) == date(2027, 4, 26)  # Koningsdag (Tuesday)


@given(days)
def test_working_due_is_a_working_day_not_after(day: date) -> None:
    result = working_due(day)
    assert is_working_day(result)
    assert result <= day
    assert (day - result).days < 7


def test_exemption_review_default_twelve_months() -> None:
    assert exemption_review_due(date(2026, 3, 2), ExemptionReason.MEDICAL) == date(2027, 3, 2)


def test_exemption_review_months_per_reason() -> None:
    months = {ExemptionReason.SCHOOLING: 6}
    due = exemption_review_due(date(2026, 3, 2), ExemptionReason.SCHOOLING, review_months=months)
    assert due == date(2026, 9, 2)


def test_exemption_review_on_weekend_moves_back() -> None:
    # 2027-03-06 is a Saturday.
    assert exemption_review_due(date(2026, 3, 6), ExemptionReason.OTHER) == date(2027, 3, 5)


def test_exemption_child_under_five_uses_only_the_fifth_birthday() -> None:
    start = date(2026, 1, 5)
    assert exemption_review_due(
        start, ExemptionReason.CHILD_UNDER_5, youngest_turns_five=date(2028, 6, 14)
    ) == date(2028, 6, 14)
    with pytest.raises(RuleError):
        exemption_review_due(start, ExemptionReason.CHILD_UNDER_5)
    with pytest.raises(RuleError):
        exemption_review_due(start, ExemptionReason.CHILD_UNDER_5, youngest_turns_five=start)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # No end, or an end after the regular review: the regular review.
        (date(2026, 3, 2), None, date(2027, 3, 2)),
        (date(2026, 3, 2), date(2028, 1, 1), date(2027, 3, 2)),
        # Ends before the regular review: two weeks before the end (Thu 17 Sep 2026).
        (date(2026, 3, 2), date(2026, 10, 1), date(2026, 9, 17)),
        # Two weeks before the end is a Saturday: the working day before it.
        (date(2026, 3, 2), date(2026, 10, 3), date(2026, 9, 18)),
        # Shorter than two weeks: on the end itself.
        (date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 10)),
    ],
)
def test_exemption_review_never_after_its_end(
    start: date, end: date | None, expected: date
) -> None:
    due = exemption_review_due(start, ExemptionReason.MEDICAL, end=end)
    assert due == expected
    assert due > start
    if end is not None:
        assert due <= end


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(1, 4000))
def test_exemption_review_within_start_and_end(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    due = exemption_review_due(start, ExemptionReason.OTHER, end=end)
    assert start < due <= end


def test_participation_first_contact_within_twelve_months() -> None:
    assert participation_contact_due(date(2026, 2, 2), []) == date(2027, 2, 2)


def test_phone_call_does_not_reset_participation_clock() -> None:
    entered = date(2026, 2, 2)
    contacts = [(date(2026, 6, 1), ContactKind.PHONE)]
    assert participation_contact_due(entered, contacts) == date(2027, 2, 2)
    contacts.append((date(2026, 7, 1), ContactKind.HOME_VISIT))
    contacts.append((date(2026, 9, 1), ContactKind.PHONE))
    assert participation_contact_due(entered, contacts) == date(2027, 7, 1)
    contacts.append((date(2026, 10, 6), ContactKind.FACE_TO_FACE))
    assert participation_contact_due(entered, contacts) == date(2027, 10, 6)


@given(days, st.lists(st.tuples(days, st.sampled_from(list(ContactKind))), max_size=6))
def test_participation_due_within_a_year_of_last_qualifying(entered: date, contacts) -> None:
    due = participation_contact_due(entered, contacts)
    qualifying = [d for d, k in contacts if k is not ContactKind.PHONE]
    anchor = max(qualifying) if qualifying else entered
    assert is_working_day(due)
    assert add_months(anchor, 12) - timedelta(days=6) <= due <= add_months(anchor, 12)


def test_wage_value_assessment_every_n_years() -> None:
    assert wage_value_assessment_due(date(2026, 5, 4), 1) == date(2027, 5, 4)
    assert wage_value_assessment_due(date(2026, 5, 4), 3) == date(2029, 5, 4)
    for bad in (0, 4):
        with pytest.raises(RuleError):
            wage_value_assessment_due(date(2026, 5, 4), bad)


def test_taalstage_three_months_at_most_nine() -> None:
    start = date(2026, 1, 12)
    assert internship_review_due(start, 3, 9, 1) == date(2026, 4, 10)  # 12 April is a Sunday
    assert internship_review_due(start, 3, 9, 3) == date(2026, 10, 12)
    assert internship_review_due(start, 3, 9, 4) is None


def test_werkstage_three_months_at_most_six() -> None:
    start = date(2026, 1, 12)
    assert internship_review_due(start, 3, 6, 2) == date(2026, 7, 10)  # 12 July is a Sunday
    assert internship_review_due(start, 3, 6, 3) is None
    with pytest.raises(RuleError):
        internship_review_due(start, 3, 6, 0)


def test_other_catalogue_rules() -> None:
    assert development_route_due(date(2026, 1, 5)) == date(2028, 1, 5)
    assert status_holder_review_due(date(2026, 1, 5)) == date(2026, 7, 3)  # 5 July is a Sunday
    # Ten working days after Friday 24 April 2026, skipping Koningsdag (27 April).
    assert lb_appointment_due(date(2026, 4, 24)) == date(2026, 5, 11)
    assert trajectory_end_due(date(2026, 1, 5), date(2026, 3, 1)) == date(2026, 2, 27)
    with pytest.raises(RuleError):
        trajectory_end_due(date(2026, 3, 1), date(2026, 1, 5))


def test_next_recurring_due() -> None:
    config = DeadlinesConfig()
    assert next_recurring_due(date(2026, 3, 3), config.rule(DeadlineKind.EXEMPTION_REVIEW)) == date(
        2027, 3, 3
    )
    assert next_recurring_due(date(2026, 3, 3), config.rule(DeadlineKind.ACTION_ITEM)) is None
    assert next_recurring_due(
        date(2026, 3, 3), config.rule(DeadlineKind.WAGE_VALUE_ASSESSMENT), 24
    ) == date(2028, 3, 3)


def test_stage_keys_round_trip() -> None:
    assert stage_key(Stage.DUE) == "due"
    assert stage_key(Stage.ESCALATION, 2) == "escalation:2"
    assert parse_stage_key("escalation:2") == (Stage.ESCALATION, 2)
    assert parse_stage_key("pre") == (Stage.PRE, 0)
    assert parse_stage_key(FORCED_ESCALATION) == (Stage.ESCALATION, None)


def test_stage_dates_defaults() -> None:
    # Due Wednesday 16 December 2026: pre 16 November (Monday), escalation 30 December.
    stages = stage_dates(date(2026, 12, 16), date(2026, 1, 1), 0, POLICY)
    assert [(s.key, s.on) for s in stages] == [
        ("pre", date(2026, 11, 16)),
        ("due", date(2026, 12, 16)),
        ("escalation", date(2026, 12, 30)),
    ]


def test_stage_dates_move_to_previous_working_day() -> None:
    # Due 8 January 2027 (Friday): pre = 9 December (Wednesday); escalation 22 Jan (Friday).
    stages = stage_dates(date(2027, 1, 8), date(2026, 1, 1), 0, POLICY)
    assert [s.on for s in stages] == [date(2026, 12, 9), date(2027, 1, 8), date(2027, 1, 22)]
    # Due 24 January 2027 is a Sunday: everything relative to the due date, then moved.
    stages = stage_dates(date(2027, 1, 24), date(2026, 1, 1), 0, POLICY)
    assert [s.on for s in stages] == [date(2026, 12, 24), date(2027, 1, 22), date(2027, 2, 5)]


def test_no_vooraankondiging_when_created_inside_the_window() -> None:
    stages = stage_dates(date(2026, 12, 16), date(2026, 12, 1), 0, POLICY)
    assert [s.key for s in stages] == ["due", "escalation"]
    # pre_days 0 switches it off.
    stages = stage_dates(date(2026, 12, 16), date(2026, 1, 1), 0, POLICY, pre_days=0)
    assert [s.key for s in stages] == ["due", "escalation"]


def test_postponed_round_has_no_vooraankondiging() -> None:
    stages = stage_dates(date(2026, 12, 16), date(2026, 1, 1), 1, POLICY)
    assert [s.key for s in stages] == ["due:1", "escalation:1"]


@given(days, days, st.integers(0, 2), st.integers(0, 60), st.integers(1, 40))
def test_stage_dates_properties(due: date, created: date, round_: int, pre: int, esc: int) -> None:
    stages = stage_dates(due, created, round_, StagePolicy(pre, esc))
    assert all(is_working_day(s.on) for s in stages)
    dates = [s.on for s in stages]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert len({s.key for s in stages}) == len(stages)
    assert stages[-2].on == working_due(due)
    for s in stages:
        if s.stage is Stage.PRE:
            assert s.on > created and round_ == 0


def test_stages_due_on_skips_weekends_and_the_ledger() -> None:
    due, created = date(2026, 12, 16), date(2026, 1, 1)
    assert stages_due_on(date(2026, 11, 14), due, created, 0, POLICY) == []  # Saturday
    assert [s.key for s in stages_due_on(date(2026, 11, 16), due, created, 0, POLICY)] == ["pre"]
    got = stages_due_on(date(2026, 12, 16), due, created, 0, POLICY, already={"pre"})
    assert [s.key for s in got] == ["due"]
    # Catch-up after downtime: both missed stages come at once, late.
    got = stages_due_on(date(2027, 1, 4), due, created, 0, POLICY)
    assert [s.key for s in got] == ["pre", "due", "escalation"]


@given(days, days, st.integers(0, 2))
def test_walking_every_day_notifies_each_stage_once_on_a_working_day(
    due: date, created: date, round_: int
) -> None:
    ledger: dict[str, date] = {}
    day = created
    while day <= max(due, created) + timedelta(days=40):
        for s in stages_due_on(day, due, created, round_, POLICY, ledger):
            assert s.key not in ledger
            ledger[s.key] = day
        day += timedelta(days=1)
    expected = stage_dates(due, created, round_, POLICY)
    assert set(ledger) == {s.key for s in expected}
    assert all(is_working_day(d) for d in ledger.values())
    for s in expected:
        assert ledger[s.key] >= s.on


def test_is_escalated() -> None:
    due = date(2026, 12, 16)
    assert not is_escalated(date(2026, 12, 29), due, POLICY)
    assert is_escalated(date(2026, 12, 30), due, POLICY)


def test_postpone_week_and_month() -> None:
    today = date(2026, 11, 23)
    assert postpone(today, date(2026, 11, 23), 0, PostponeChoice.WEEK) == Postponed(
        date(2026, 11, 30), 1
    )
    assert postpone(today, date(2026, 11, 23), 1, PostponeChoice.MONTH) == Postponed(
        date(2026, 12, 23), 2
    )
    # Overdue: counted from today, not from the old due date.
    assert postpone(today, date(2026, 11, 2), 0, PostponeChoice.WEEK) == Postponed(
        date(2026, 11, 30), 1
    )


def test_postpone_refused_after_two() -> None:
    assert postpone(date(2026, 11, 23), date(2026, 11, 23), 2, PostponeChoice.WEEK) == (
        PostponeRefused(2)
    )
    assert isinstance(
        postpone(date(2026, 11, 23), date(2026, 11, 23), 1, PostponeChoice.WEEK, 1),
        PostponeRefused,
    )


@given(days, days, st.sampled_from(list(PostponeChoice)), st.integers(0, 1))
def test_postpone_always_lands_on_a_later_working_day(
    today: date, due: date, choice: PostponeChoice, count: int
) -> None:
    result = postpone(today, due, count, choice)
    assert isinstance(result, Postponed)
    assert result.new_due > today and is_working_day(result.new_due)
    assert result.round_ == count + 1


def _item(i: int, due: date, kind: str = "exemption_review", **kw) -> DigestItem:
    return DigestItem(deadline_id=i, kind=kind, due=due, client_ref=f"C{i}", **kw)


def test_digest_sections_and_grouping() -> None:
    today = date(2026, 11, 23)
    own = [
        _item(1, date(2026, 11, 2)),
        _item(2, date(2026, 11, 23), "participation_contact"),
        _item(3, date(2026, 11, 27)),
        _item(4, date(2026, 12, 23), new_stages=("pre",)),
        _item(5, date(2026, 12, 30)),  # far away, nothing new: not shown
        _item(6, date(2026, 10, 1), "participation_contact"),
    ]
    view = compose_digest(today, own, soon_days=7)
    assert [s for s, _ in view.sections] == [Section.OVERDUE, Section.TODAY, Section.SOON]
    assert [i.deadline_id for i in view.section(Section.OVERDUE)] == [6, 1]
    assert [i.deadline_id for i in view.section(Section.TODAY)] == [2]
    assert [i.deadline_id for i in view.section(Section.SOON)] == [3, 4]
    assert view.deadline_ids == [6, 1, 2, 3, 4]
    overdue_groups = dict(view.sections)[Section.OVERDUE]
    assert [g.kind for g in overdue_groups] == ["participation_contact", "exemption_review"]


def test_digest_for_teamleider_has_escalations_and_undelivered() -> None:
    today = date(2026, 11, 23)
    escalated = [_item(7, date(2026, 11, 2), owner_name="Sanne")]
    undelivered = [Undelivered("Sanne", date(2026, 11, 20), "unknown")]
    view = compose_digest(today, [], escalated=escalated, undelivered=undelivered)
    assert view.section(Section.ESCALATED)[0].deadline_id == 7
    assert view.undelivered == tuple(undelivered)
    assert not view.is_empty
    assert compose_digest(today, []).is_empty


@given(
    st.lists(
        st.tuples(st.integers(1, 10_000), days),
        unique_by=lambda t: t[0],
        max_size=30,
    ),
    days,
)
def test_every_overdue_item_is_in_every_digest(rows, today: date) -> None:
    own = [_item(i, due) for i, due in rows]
    view = compose_digest(today, own)
    ids = set(view.deadline_ids)
    for i, due in rows:
        if due <= today:
            assert i in ids
    assert len(view.deadline_ids) == len(ids)


def test_termijnen_overdue_first() -> None:
    today = date(2026, 11, 23)
    view = termijnen_view(today, [_item(1, date(2027, 1, 1)), _item(2, date(2026, 1, 1))])
    assert [i.deadline_id for i in view.overdue] == [2]
    assert [i.deadline_id for i in view.upcoming] == [1]


def test_gedaan_opens_the_review_the_contact_or_the_plain_form() -> None:
    from bot.core.vocabulary import DeadlineSource
    from bot.deadlines.rules import FollowUp, follow_up_for

    review = DeadlineKind.EXEMPTION_REVIEW
    contact = DeadlineKind.PARTICIPATION_CONTACT
    assert follow_up_for(review, DeadlineSource.EXEMPTION, "C-1") is FollowUp.REVIEW
    # An imported review has no ontheffing row behind it: Gedaan is the plain form.
    assert follow_up_for(review, DeadlineSource.IMPORT, "C-1") is FollowUp.DONE
    assert follow_up_for(contact, DeadlineSource.CLIENT, "C-1") is FollowUp.CONTACT
    assert follow_up_for(contact, DeadlineSource.CLIENT, None) is FollowUp.DONE
    assert follow_up_for(DeadlineKind.ACTION_ITEM, None, None) is FollowUp.DONE
