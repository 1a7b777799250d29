"""Issue 11 rules, table-driven; each case cites the seed line or the article it follows."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.vocabulary import ExemptionOutcome, ExemptionReason
from bot.deadlines.rules import (
    RuleError,
    art9a_end,
    art9a_followup_due,
    art9a_plan_due,
    exemption_review_due,
    is_long_running,
    participation_applies,
    participation_contact_due,
    participation_entry,
    review_outcomes,
    status_holder_check_due,
)

PARTICIPATION = frozenset({"zorg", "meedoen"})


@pytest.mark.parametrize(
    ("request_on", "born", "used", "end", "cite"),
    [
        # Ends on the youngest child's fifth birthday.
        (date(2026, 3, 2), date(2025, 6, 14), 0, date(2030, 6, 14), "art. 9a lid 1"),
        # A request the day before the fifth birthday: one day of ontheffing.
        (date(2030, 6, 13), date(2025, 6, 14), 0, date(2030, 6, 14), "art. 9a lid 1"),
        # Born on 29 February: five on 28 February (month's end).
        (date(2026, 1, 5), date(2024, 2, 29), 0, date(2029, 2, 28), "art. 9a lid 1"),
        # A newborn: the fifth birthday lies within six years, so the birthday wins.
        (date(2026, 1, 5), date(2026, 1, 1), 0, date(2031, 1, 1), "art. 9a, 003:L339"),
        # 30 months used elsewhere: 42 left, earlier than the fifth birthday.
        (date(2026, 1, 5), date(2026, 1, 1), 30, date(2029, 7, 5), "art. 9a (zes jaar)"),
        # 71 months used: one month left.
        (date(2026, 1, 5), date(2025, 1, 1), 71, date(2026, 2, 5), "art. 9a (zes jaar)"),
        # 12 used, birthday in 4 years: 60 months left, the birthday comes first.
        (date(2026, 1, 5), date(2025, 1, 1), 12, date(2030, 1, 1), "art. 9a (zes jaar)"),
    ],
)
def test_art9a_end(request_on: date, born: date, used: int, end: date, cite: str) -> None:
    assert art9a_end(request_on, born, used) == end, cite


@pytest.mark.parametrize(
    ("request_on", "born", "used", "code", "cite"),
    [
        # On the fifth birthday itself the child is five: no 9a.
        (date(2030, 6, 14), date(2025, 6, 14), 0, "child_five", "art. 9a lid 1"),
        (date(2031, 1, 1), date(2025, 6, 14), 0, "child_five", "art. 9a lid 1"),
        (date(2026, 1, 5), date(2026, 2, 1), 0, "child_not_born", "art. 9a lid 1"),
        (date(2026, 1, 5), date(2025, 1, 1), 72, "cap_used", "art. 9a (zes jaar)"),
    ],
)
def test_art9a_refused(request_on: date, born: date, used: int, code: str, cite: str) -> None:
    with pytest.raises(RuleError) as refused:
        art9a_end(request_on, born, used)
    assert str(refused.value) == code, cite


def test_art9a_followup_and_plan() -> None:
    # Actiepunt a month ahead; 14 June 2030 minus a month = 14 May 2030 (a Tuesday).
    assert art9a_followup_due(date(2030, 6, 14)) == date(2030, 5, 14)
    # Plan van aanpak within six months of the request: 5 July 2026 is a Sunday -> Friday 3 July.
    assert art9a_plan_due(date(2026, 1, 5)) == date(2026, 7, 3)


@pytest.mark.parametrize(
    ("reason", "outcomes", "cite"),
    [
        (ExemptionReason.CHILD_UNDER_5, (ExemptionOutcome.ENDED,), "art. 9a: never verlengd"),
        (ExemptionReason.CHILDCARE, tuple(ExemptionOutcome), "001:L302, L307"),
        (ExemptionReason.MEDICAL, tuple(ExemptionOutcome), "001:L307"),
    ],
)
def test_review_outcomes(
    reason: ExemptionReason, outcomes: tuple[ExemptionOutcome, ...], cite: str
) -> None:
    assert review_outcomes(reason) == outcomes, cite


@pytest.mark.parametrize(
    ("reason", "months", "due", "cite"),
    [
        # A medical review every 6 months keeps that rhythm after a review on 2 March 2026.
        (ExemptionReason.MEDICAL, 6, date(2026, 9, 2), "001:L307 periodiek"),
        (ExemptionReason.SCHOOLING, 3, date(2026, 6, 2), "001:L307 periodiek"),
        # 24 months: 2 March 2028 is a Thursday.
        (ExemptionReason.INFORMAL_CARE, 24, date(2028, 3, 2), "001:L307 periodiek"),
    ],
)
def test_next_review_keeps_the_reason_rhythm(
    reason: ExemptionReason, months: int, due: date, cite: str
) -> None:
    assert exemption_review_due(date(2026, 3, 2), reason, review_months={reason: months}) == due, (
        cite
    )


def test_next_review_keeps_rhythm_but_never_after_the_end() -> None:
    # 6-month rhythm, but the ontheffing ends 1 June 2026: two weeks before (issue 9 defect 20).
    months = {ExemptionReason.MEDICAL: 6}
    due = exemption_review_due(
        date(2026, 3, 2), ExemptionReason.MEDICAL, review_months=months, end=date(2026, 6, 1)
    )
    assert due == date(2026, 5, 18), "001:L307"


@pytest.mark.parametrize(
    ("start", "today", "extensions", "long", "cite"),
    [
        (date(2024, 3, 1), date(2026, 3, 1), 0, False, "001:L309: exactly two years"),
        (date(2024, 3, 1), date(2026, 3, 2), 0, True, "001:L309: longer than two years"),
        (date(2025, 3, 1), date(2026, 3, 1), 2, False, "001:L309: extended twice"),
        (date(2025, 3, 1), date(2026, 3, 1), 3, True, "001:L309: extended three times"),
    ],
)
def test_long_running(start: date, today: date, extensions: int, long: bool, cite: str) -> None:
    assert is_long_running(start, today, extensions) is long, cite


@pytest.mark.parametrize(
    ("changes", "entry", "cite"),
    [
        # No category history: the start of the spell.
        ([], date(2024, 1, 8), "004:L287"),
        # Werkfit for two years, then Meedoen: the clock starts at the move.
        (
            [(date(2024, 1, 15), None, "werkfit"), (date(2026, 1, 12), "werkfit", "meedoen")],
            date(2026, 1, 12),
            "004:L287",
        ),
        # Zorg -> Meedoen stays inside participation: no restart.
        (
            [(date(2024, 1, 15), None, "zorg"), (date(2025, 1, 12), "zorg", "meedoen")],
            date(2024, 1, 15),
            "004:L287",
        ),
        # Back and forth: Meedoen -> Werkfit -> Meedoen; the latest entry counts.
        (
            [
                (date(2024, 1, 15), None, "meedoen"),
                (date(2024, 6, 3), "meedoen", "werkfit"),
                (date(2025, 2, 3), "werkfit", "meedoen"),
            ],
            date(2025, 2, 3),
            "004:L287",
        ),
        # A change from an earlier spell (before entering now) does not count.
        ([(date(2023, 5, 1), "werkfit", "zorg")], date(2024, 1, 8), "004:L287"),
    ],
)
def test_participation_entry(
    changes: list[tuple[date, str | None, str | None]], entry: date, cite: str
) -> None:
    assert participation_entry(date(2024, 1, 8), changes, PARTICIPATION) == entry, cite


def test_first_contact_after_a_category_change_two_years_in_is_not_overdue() -> None:
    # 004:L287: entered 8 January 2024, Meedoen from 12 January 2026: due 12 January 2027.
    entry = participation_entry(
        date(2024, 1, 8), [(date(2026, 1, 12), "werkfit", "meedoen")], PARTICIPATION
    )
    assert participation_contact_due(entry, []) == date(2027, 1, 12)


@pytest.mark.parametrize(
    ("category", "active", "full", "with_full", "applies", "cite"),
    [
        ("meedoen", True, False, False, True, "004:L287"),
        ("meedoen", True, True, False, False, "004:L302 tenzij ontheffing"),
        ("meedoen", True, True, True, True, "001:L622 blijven in beeld (setting)"),
        ("werkfit", True, False, True, False, "004:L123-125"),
        ("meedoen", False, False, True, False, "004:L287"),
    ],
)
def test_participation_applies(
    category: str, active: bool, full: bool, with_full: bool, applies: bool, cite: str
) -> None:
    assert (
        participation_applies(
            category,
            active,
            PARTICIPATION,
            full_exemption=full,
            contacts_with_full_exemption=with_full,
        )
        is applies
    ), cite


@pytest.mark.parametrize(
    ("entered", "today", "months", "due", "cite"),
    [
        # 5 July 2026 is a Sunday: Friday 3 July.
        (date(2026, 1, 5), date(2026, 1, 5), 6, date(2026, 7, 3), "001:L156"),
        # 3 months: 5 April 2026 is Easter Sunday, 3 April Good Friday: Thursday 2 April.
        (date(2026, 1, 5), date(2026, 1, 5), 3, date(2026, 4, 2), "001:L156 (setting)"),
        # Tagged long after entering: due today, not overdue.
        (date(2024, 1, 5), date(2026, 3, 2), 6, date(2026, 3, 2), "001:L156"),
    ],
)
def test_status_holder_check(entered: date, today: date, months: int, due: date, cite: str) -> None:
    assert status_holder_check_due(entered, today, months) == due, cite
