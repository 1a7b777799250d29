"""The pure rules of overdracht, doelgroep dates and deleting one's own item."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.answers import InputProblem
from bot.core.roles import Role
from bot.core.vocabulary import AgendaStatus, CaseItemKind, DeadlineKind
from bot.deadlines.rules import DEFAULT_CATALOGUE
from bot.route import people_rules as rules
from bot.route.people_rules import Candidate, DeleteRefusal, Refusal

REVIEW = DEFAULT_CATALOGUE[DeadlineKind.EXEMPTION_REVIEW]  # a consulent's kind
LB = DEFAULT_CATALOGUE[DeadlineKind.LB_APPOINTMENT]  # a loopbaanbegeleider's kind


def _refusal(receiver: Candidate | None, **over: object) -> Refusal | None:
    args: dict[str, object] = {
        "actor_id": 1,
        "actor_roles": {Role.CONSULENT},
        "client_team_id": 10,
        "client_status": "actief",
        "owner_id": 1,
        "receiver": receiver,
        "deadline_rules": [REVIEW],
    }
    args.update(over)
    return rules.handover_refusal(**args)  # type: ignore[arg-type]


def _colleague(staff_id: int = 2, *roles: Role, team: int = 10, active: bool = True) -> Candidate:
    return Candidate(staff_id, team, active, frozenset(roles or {Role.CONSULENT}))


def test_a_consulent_may_get_a_client_with_a_review() -> None:
    assert _refusal(_colleague()) is None


@pytest.mark.parametrize(
    ("receiver", "over", "expected"),
    [
        (_colleague(1), {}, Refusal.SELF),
        (_colleague(3), {"actor_id": 5, "actor_roles": {Role.TEAMLEIDER}, "owner_id": 3},
         Refusal.CURRENT),
        (_colleague(2, active=False), {}, Refusal.INACTIVE),
        (_colleague(2, team=11), {}, Refusal.OTHER_TEAM),
        (_colleague(2, Role.NETWERKER), {}, Refusal.CANNOT_OWN),
        (_colleague(2, Role.BELEID), {}, Refusal.CANNOT_OWN),
        # A loopbaanbegeleider may not own a consulent's ontheffing review.
        (_colleague(2, Role.LOOPBAANBEGELEIDER), {}, Refusal.CANNOT_OWN),
        (_colleague(), {"client_status": "uitgestroomd"}, Refusal.LEFT),
        (_colleague(), {"client_status": "overgedragen"}, Refusal.LEFT),
        # Not the owner and no teamleider: no overdracht at all.
        (_colleague(), {"actor_id": 7}, Refusal.NOT_ALLOWED),
    ],
)  # fmt: skip
def test_refusals(receiver: Candidate, over: dict[str, object], expected: Refusal) -> None:
    assert _refusal(receiver, **over) == expected


def test_a_teamleider_may_hand_over_anyones_client_and_own_any_kind() -> None:
    over = {"actor_id": 9, "actor_roles": {Role.TEAMLEIDER}, "deadline_rules": [REVIEW, LB]}
    assert _refusal(_colleague(4, Role.TEAMLEIDER), **over) is None
    assert _refusal(_colleague(4, Role.CONSULENT), **over) == Refusal.CANNOT_OWN


def test_who_may_take_a_leavers_work() -> None:
    def refusal(receiver: Candidate | None) -> Refusal | None:
        return rules.work_receiver_refusal(
            leaver_id=1, leaver_team_id=10, receiver=receiver, deadline_rules=[REVIEW]
        )

    assert refusal(_colleague(2)) is None
    assert refusal(_colleague(2, Role.TEAMLEIDER)) is None
    assert refusal(None) == Refusal.INACTIVE
    assert refusal(_colleague(2, active=False)) == Refusal.INACTIVE
    assert refusal(_colleague(1)) == Refusal.CURRENT
    assert refusal(_colleague(2, team=3)) == Refusal.OTHER_TEAM
    assert refusal(_colleague(2, Role.NETWERKER)) == Refusal.CANNOT_OWN


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), ("   ", "empty"), ("ab", "people_reason_short"),
                       ("x" * 201, "too_long"), ("\u200b\u200b", "empty")]
)  # fmt: skip
def test_bad_reasons(text: str, code: str) -> None:
    with pytest.raises(InputProblem) as caught:
        rules.check_reason(text)
    assert caught.value.code == code


def test_a_reason_is_one_clean_line() -> None:
    assert rules.check_reason("  verhuist\n naar  Noord ") == "verhuist naar Noord"
    assert len(rules.check_reason("x" * 200)) == 200


def test_toggle_and_changes() -> None:
    assert rules.toggled(["a", "b"], "a") == ["b"]
    assert rules.toggled(["b"], "a") == ["b", "a"]
    assert rules.tag_changes(["a", "b"], ["b", "c"]) == (["c"], ["a"])


def test_tag_dates() -> None:
    today = date(2026, 4, 1)
    entered = date(2026, 3, 3)
    assert rules.check_tag_date(today, today, entered, None) == today
    assert rules.check_tag_date(entered, today, entered, None) == entered
    with pytest.raises(InputProblem, match="people_tag_future"):
        rules.check_tag_date(date(2026, 4, 2), today, entered, None)
    with pytest.raises(InputProblem, match="people_tag_before") as caught:
        rules.check_tag_date(date(2026, 3, 2), today, entered, None)
    assert caught.value.values == {"earliest": entered}
    # A later change of one of the tags being changed is the floor.
    last = rules.last_change(
        [("a", date(2026, 3, 3), date(2026, 3, 20)), ("b", date(2026, 3, 25), None)], ["a"]
    )
    assert last == date(2026, 3, 20)
    with pytest.raises(InputProblem):
        rules.check_tag_date(date(2026, 3, 19), today, entered, last)
    assert rules.last_change([("b", date(2026, 3, 25), None)], ["a"]) is None


NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
SINCE = NOW - timedelta(days=14)


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({}, None),
        ({"actor_id": 2}, DeleteRefusal.GONE),
        ({"created_at": SINCE - timedelta(seconds=1)}, DeleteRefusal.GONE),
        ({"agenda_status": AgendaStatus.DISCUSSED}, DeleteRefusal.DECIDED),
        ({"agenda_status": AgendaStatus.INFO}, DeleteRefusal.DECIDED),
        ({"agenda_status": AgendaStatus.CARRIED}, None),
        ({"kind": CaseItemKind.INTAKE}, DeleteRefusal.INTAKE),
    ],
)
def test_delete_refusal(over: dict[str, object], expected: DeleteRefusal | None) -> None:
    args: dict[str, object] = {
        "author_id": 1,
        "actor_id": 1,
        "created_at": NOW,
        "since": SINCE,
        "kind": CaseItemKind.SUCCESS,
        "agenda_status": AgendaStatus.PENDING,
    }
    args.update(over)
    assert rules.delete_refusal(**args) == expected  # type: ignore[arg-type]


def test_who_may_edit_a_vacancy() -> None:
    assert rules.may_edit_vacancy(1, {Role.NETWERKER}, 1)
    assert not rules.may_edit_vacancy(2, {Role.NETWERKER, Role.CONSULENT}, 1)
    assert rules.may_edit_vacancy(2, {Role.TEAMLEIDER}, 1)
