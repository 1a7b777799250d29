"""The [deadlines] config section."""

from __future__ import annotations

import tomllib
from datetime import time

import pytest

from bot.core.vocabulary import DeadlineKind, ExemptionReason
from bot.deadlines.settings import DeadlinesConfig, parse_deadlines


def test_defaults() -> None:
    config = parse_deadlines(None)
    assert config == DeadlinesConfig()
    assert config.digest_time == time(8, 30)
    assert config.pre_days == 30 and config.escalation_days == 14
    assert config.participation_categories == frozenset({"zorg", "meedoen"})
    assert config.review_months[ExemptionReason.MEDICAL] == 12
    assert config.pre_days_for(DeadlineKind.EXEMPTION_REVIEW) == 30
    assert config.pre_days_for(DeadlineKind.LB_APPOINTMENT) == 0


def test_full_section() -> None:
    raw = tomllib.loads(
        """
        digest_time = "07:45"
        pre_days = 21
        escalation_days = 10
        participation_categories = ["Zorg"]
        [review_months]
        scholing = 6
        [pre_days_by_kind]
        exemption_review = 45
        """
    )
    config = parse_deadlines(raw)
    assert config.digest_time == time(7, 45)
    assert config.stage_policy.pre_days == 21
    assert config.review_months[ExemptionReason.SCHOOLING] == 6
    assert config.review_months[ExemptionReason.MEDICAL] == 12
    assert config.participation_categories == frozenset({"zorg"})
    assert config.pre_days_for(DeadlineKind.EXEMPTION_REVIEW) == 45
    assert config.pre_days_for(DeadlineKind.PARTICIPATION_CONTACT) == 21


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"digest_tijd": "08:30"}, "onbekende instelling"),
        ({"digest_time": "half negen"}, "digest_time"),
        ({"digest_time": 830}, "digest_time"),
        ({"pre_days": -1}, "pre_days"),
        ({"escalation_days": 0}, "escalation_days"),
        ({"escalation_days": True}, "escalation_days"),
        ({"review_months": {"zorg_kind": 12}}, "jongste kind"),
        ({"review_months": {"vakantie": 12}}, "onbekende reden"),
        ({"review_months": {"medisch": 0}}, "medisch"),
        ({"review_months": 12}, "review_months"),
        ({"participation_categories": "zorg"}, "participation_categories"),
        ({"pre_days_by_kind": {"koffie": 3}}, "onbekende soort"),
        ({"max_postponements": 11}, "max_postponements"),
    ],
)
def test_invalid(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_deadlines(raw)
