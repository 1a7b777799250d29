"""Meeting mode rules: what a weekdate decision changes, and what the minutes say.

Pure functions. The meeting walks the agenda items in order; each gets one outcome:

- an aanmelding gets a category and subcategory. A category whose profile meaning says so plans
  a conversation with a loopbaanbegeleider (a deadline "gesprek loopbaanbegeleider inplannen",
  10 working days), and one that hands over moves the client to that person (Dalfsen: 000:L151,
  001:L134). Which categories do is the team's profile (``bot.profiles.meaning``);
- any other item is ``discussed`` (besproken), gets an ``action`` (actiepunt: who, due date) or is
  ``carried`` (doorgeschoven) to the next weekdate.

Items the meeting did not reach keep their status and come back next week, as carried ones do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.vocabulary import AgendaStatus, DeadlineKind, MeetingOutcome
from bot.core.workdays import add_working_days

#: Working days the LB has to plan the conversation, unless the team's
#: ``deadlines.lb_appointment_working_days`` says otherwise.
LB_TASK_WORKING_DAYS = 10
LB_TASK_KIND = DeadlineKind.LB_APPOINTMENT
LB_TASK_TITLE = "gesprek loopbaanbegeleider inplannen"
ACTION_ITEM_KIND = DeadlineKind.ACTION_ITEM

OUTCOMES = tuple(MeetingOutcome)


@dataclass(frozen=True)
class IntakeEffects:
    """What deciding an aanmelding changes."""

    category: str
    subcategory: str | None
    new_owner_staff_id: int | None
    lb_staff_id: int | None
    lb_task_due: date | None


def intake_effects(
    *,
    category: str,
    subcategory: str | None,
    lb_staff_id: int | None,
    current_owner_staff_id: int | None,
    today: date,
    lb_categories: frozenset[str],
    handover_categories: frozenset[str],
    lb_working_days: int = LB_TASK_WORKING_DAYS,
) -> IntakeEffects:
    """The effects of deciding an aanmelding on ``today`` (the meeting's local date); the LB
    conversation is due ``lb_working_days`` working days later. ``lb_categories`` and
    ``handover_categories`` come from the team's profile (``bot.profiles.meaning``)."""
    if category in lb_categories:
        if lb_staff_id is None:
            raise ValueError(f"category {category} needs a loopbaanbegeleider")
        due = add_working_days(today, lb_working_days)
    else:
        lb_staff_id = None
        due = None
    new_owner = None
    if (
        category in handover_categories
        and lb_staff_id is not None
        and lb_staff_id != current_owner_staff_id
    ):
        new_owner = lb_staff_id
    return IntakeEffects(category, subcategory, new_owner, lb_staff_id, due)


@dataclass(frozen=True)
class MinutesLine:
    """One decided item in the minutes."""

    ref: str | None
    kind_label: str
    outcome: str
    text: str


@dataclass(frozen=True)
class Minutes:
    """The minutes of one weekdate."""

    team_name: str
    meeting_date: date
    chair: str
    attendees: tuple[str, ...]
    decisions: tuple[MinutesLine, ...]
    actions: tuple[MinutesLine, ...]
    carried: tuple[MinutesLine, ...]
    not_reached: tuple[MinutesLine, ...]


def build_minutes(
    *,
    team_name: str,
    meeting_date: date,
    chair: str,
    attendees: Sequence[str],
    lines: Sequence[MinutesLine],
    not_reached: Sequence[MinutesLine] = (),
) -> Minutes:
    """Group decided lines into decisions, actiepunten and doorgeschoven punten."""
    return Minutes(
        team_name=team_name,
        meeting_date=meeting_date,
        chair=chair,
        attendees=tuple(sorted(set(attendees))),
        decisions=tuple(
            x
            for x in lines
            if x.outcome
            in (MeetingOutcome.CATEGORISED, MeetingOutcome.DISCUSSED, MeetingOutcome.EXIT)
        ),
        actions=tuple(x for x in lines if x.outcome == MeetingOutcome.ACTION),
        carried=tuple(x for x in lines if x.outcome == MeetingOutcome.CARRIED),
        not_reached=tuple(not_reached),
    )


def next_case_status(outcome: str) -> AgendaStatus:
    """The ``agenda_status`` a case item gets from a meeting outcome."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    return AgendaStatus.CARRIED if outcome == MeetingOutcome.CARRIED else AgendaStatus.DISCUSSED
