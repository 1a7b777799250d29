"""Uitstroom and placements: the pure rules.

A client leaves with a reason from the team's list (``[caselog] exit_reasons``). Leaving for
``werk`` asks the kind of work and the hours a week and records a placement; work with
loonkostensubsidie keeps the client in view as ``geplaatst`` (out of the active caseload, the
LB still measures the loonwaarde), every other exit makes the client ``uitgestroomd``. The open
deadlines close with reason "uitstroom", except those that follow the placement.
"""

from __future__ import annotations

from datetime import date

from bot.caselog.catalog import Choice
from bot.core.answers import InputProblem
from bot.core.vocabulary import ClientStatus, DeadlineKind, DeadlineSource
from bot.core.workdays import add_working_days
from bot.deadlines.rules import add_months, working_due

#: The reason code that asks the kind of work and the hours (kept in every configured list).
WORK = "werk"
#: The kind of work that is a placement with loonkostensubsidie.
WITH_LKS = "lks"
#: Kinds of work (issue 10 item 1); ``lks`` brings the loonwaardemeting (001:L112, L404).
WORK_KINDS = (
    Choice("fulltime", "dienstverband fulltime"),
    Choice("parttime", "dienstverband parttime"),
    Choice("detachering", "detachering"),
    Choice("garantiebaan", "garantiebaan/banenafspraak"),
    Choice(WITH_LKS, "met loonkostensubsidie"),
)
#: The reason the closed deadlines carry (the same word the ontheffingen use).
EXIT_NOTE = "uitstroom"
#: Deadlines that follow a placement and stay open after the uitstroom.
PLACEMENT_FOLLOW_UPS = frozenset({DeadlineKind.WAGE_VALUE_ASSESSMENT})
#: Months after the start of a placement with LKS that the first loonwaardemeting is due.
FIRST_ASSESSMENT_MONTHS = 12
#: Hours a week a job can have.
HOURS_MIN, HOURS_MAX = 1, 60
#: Working days the owner gets to record an uitstroom the weekdate decided.
EXIT_TASK_WORKING_DAYS = 5
EXIT_TASK_TITLE = "uitstroom vastleggen met /uitstroom {ref}"


def is_work(reason: str | None) -> bool:
    """Whether leaving for ``reason`` asks the kind of work and the hours."""
    return reason == WORK


def with_lks(reason: str | None, kind: str | None) -> bool:
    """Whether the exit is a placement with loonkostensubsidie."""
    return is_work(reason) and kind == WITH_LKS


def status_after_exit(reason: str, kind: str | None) -> ClientStatus:
    """``geplaatst`` for work with loonkostensubsidie (still in view), else ``uitgestroomd``."""
    return ClientStatus.PLACED if with_lks(reason, kind) else ClientStatus.EXITED


def exit_date_window(today: date, entered_on: date | None) -> dict[str, date]:
    """The dates an uitstroom may have: from the intake (the current spell) up to today."""
    window = {"latest": today}
    if entered_on is not None:
        window["earliest"] = entered_on
    return window


def check_exit_date(day: date, today: date, entered_on: date | None) -> date:
    """``day`` when it lies between the intake and today; refused with the reason otherwise."""
    if entered_on is not None and day < entered_on:
        raise InputProblem("exit_before_intake", {"entered": entered_on})
    if day > today:
        raise InputProblem("exit_in_future")
    return day


def check_hours(text: str | None) -> int:
    """Hours a week of the new job: a whole number ``HOURS_MIN``..``HOURS_MAX`` ("32 uur")."""
    words = (text or "").strip().lower().removesuffix("uur").strip()
    if not (words.isascii() and words.isdigit()) or len(words) > 3:
        raise InputProblem("hours", {"low": HOURS_MIN, "high": HOURS_MAX})
    hours = int(words)
    if not HOURS_MIN <= hours <= HOURS_MAX:
        raise InputProblem("hours", {"low": HOURS_MIN, "high": HOURS_MAX})
    return hours


def closes_on_exit(kind: str, source_type: str | None) -> bool:
    """Whether an open deadline ends with the uitstroom: all but a placement's follow-ups
    (loonwaardemeting, nazorg), which the LB still owes after the client left the benefit."""
    if source_type == DeadlineSource.PLACEMENT:
        return False
    return kind not in PLACEMENT_FOLLOW_UPS


def first_assessment_due(start: date) -> date:
    """The first loonwaardemeting: 12 months after the placement started, on a working day."""
    return working_due(add_months(start, FIRST_ASSESSMENT_MONTHS))


def exit_task_due(today: date) -> date:
    """When the owner is to have recorded an uitstroom the weekdate decided."""
    return add_working_days(today, EXIT_TASK_WORKING_DAYS)


def may_place(status: str) -> bool:
    """Whether a client can be placed (a vacature vervuld) or leave: only one in the caseload."""
    return status in (ClientStatus.REGISTERED, ClientStatus.ACTIVE)
