"""What a category MEANS for the route, asked in one place.

Pure. Today the meaning comes from the weekdate's hard-coded category sets; the profiles work
replaces those with each category's configured meaning. Every feature of the route (the
weekdate's decisions, ``/categorie``, matching) asks these functions, so that swap happens here
and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum

from bot.weekdate.rules.meeting import HANDOVER_CATEGORIES, LB_CATEGORIES


class Direction(StrEnum):
    """Where a category leads: towards paid work, towards participation, or neither."""

    WORK = "work"
    PARTICIPATION = "participation"
    NONE = "none"


def needs_lb_appointment(category: str | None) -> bool:
    """Does entering ``category`` plan a conversation with a loopbaanbegeleider?"""
    return category is not None and category in LB_CATEGORIES


def hands_over_to_lb(category: str | None) -> bool:
    """Does entering ``category`` hand the client's guidance to the loopbaanbegeleider?"""
    return category is not None and category in HANDOVER_CATEGORIES


def direction(category: str | None) -> Direction:
    """Where ``category`` leads (for matching clients to vacatures).

    The categories whose guidance moves to a loopbaanbegeleider lead towards work; the others
    with an LB conversation lead towards participation.
    """
    if hands_over_to_lb(category):
        return Direction.WORK
    if needs_lb_appointment(category):
        return Direction.PARTICIPATION
    return Direction.NONE
