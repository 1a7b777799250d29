"""Pure access rules: who may manage, invite, deactivate, link a group; the stranger interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.access.rules import (
    Deactivation,
    GroupLink,
    Redemption,
    deactivation,
    group_link,
    invitable_roles,
    invitable_teams,
    may_manage,
    redemption,
    stranger_may_get_reply,
)
from bot.core.roles import Role

NOW = datetime(2026, 3, 18, 10, tzinfo=UTC)


@dataclass(frozen=True)
class M:
    staff_id: int
    team_id: int
    roles: frozenset[Role]
    active: bool = True


@dataclass(frozen=True)
class T:
    id: int


LEADER = M(1, 10, frozenset({Role.TEAMLEIDER}))
ADMIN = M(2, 20, frozenset({Role.ADMIN}))
CONSULENT = M(3, 10, frozenset({Role.CONSULENT}))


def test_managers() -> None:
    assert may_manage(LEADER) and may_manage(ADMIN) and not may_manage(CONSULENT)


def test_invitable_teams_and_roles() -> None:
    teams = [T(10), T(20)]
    assert invitable_teams(LEADER, teams) == [T(10)]
    assert invitable_teams(ADMIN, teams) == teams
    assert Role.ADMIN not in invitable_roles(LEADER)
    assert Role.ADMIN in invitable_roles(ADMIN)


def test_deactivation() -> None:
    other_team = M(4, 20, frozenset({Role.CONSULENT}))
    assert deactivation(LEADER, None) == Deactivation.GONE
    assert deactivation(LEADER, M(5, 10, frozenset(), active=False)) == Deactivation.GONE
    assert deactivation(CONSULENT, LEADER) == Deactivation.NOT_ALLOWED
    assert deactivation(LEADER, other_team) == Deactivation.NOT_ALLOWED
    assert deactivation(ADMIN, other_team) == Deactivation.DONE
    assert deactivation(LEADER, LEADER) == Deactivation.SELF
    assert deactivation(LEADER, CONSULENT) == Deactivation.DONE


def test_group_link() -> None:
    assert group_link(None, None) == GroupLink.NOT_ALLOWED
    assert group_link(CONSULENT, None) == GroupLink.NOT_ALLOWED
    assert group_link(LEADER, None) == GroupLink.LINKED
    assert group_link(LEADER, 10) == GroupLink.ALREADY
    assert group_link(LEADER, 20) == GroupLink.OTHER_TEAM


def test_redemption_before_claim() -> None:
    later = NOW + timedelta(hours=1)
    assert redemption(found=False, used=False, expires_at=None, now=NOW) == Redemption.UNKNOWN
    assert redemption(found=True, used=True, expires_at=later, now=NOW) == Redemption.USED
    assert redemption(found=True, used=False, expires_at=NOW, now=NOW) == Redemption.EXPIRED
    assert redemption(found=True, used=False, expires_at=later, now=NOW) is None


def test_stranger_reply_at_most_hourly() -> None:
    assert stranger_may_get_reply(None, NOW)
    assert not stranger_may_get_reply(NOW - timedelta(minutes=59), NOW)
    assert stranger_may_get_reply(NOW - timedelta(hours=1), NOW)
