"""Pure access rules: who may manage, invite, deactivate; the stranger reply's rate limit.

Imports nothing but :mod:`bot.core`; its stored audit codes live in :mod:`bot.core.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from bot.core.roles import MANAGERS, Role

# The stored audit codes live in the vocabulary; re-exported here for the callers of access.
from bot.core.vocabulary import AuditAction as AuditAction
from bot.core.vocabulary import AuditResult as AuditResult
from bot.core.vocabulary import Deactivation as Deactivation
from bot.core.vocabulary import GroupLink as GroupLink
from bot.core.vocabulary import Redemption as Redemption
from bot.core.vocabulary import UpdateKind as UpdateKind

#: A stranger hears the fixed reply at most this often.
STRANGER_REPLY_INTERVAL = timedelta(hours=1)
#: Invitation codes fit Telegram's deep-link parameter ([A-Za-z0-9_-], at most 64).
CODE_BYTES = 12
#: Longer ``/start`` parameters are no code of ours (not even looked up).
MAX_CODE_LENGTH = 64


class Member(Protocol):
    """What the rules need to know of a staff member."""

    @property
    def staff_id(self) -> int: ...
    @property
    def team_id(self) -> int: ...
    @property
    def roles(self) -> frozenset[Role]: ...
    @property
    def active(self) -> bool: ...


class HasId(Protocol):
    """A team (or anything else) known by its id."""

    @property
    def id(self) -> int: ...


TeamT = TypeVar("TeamT", bound=HasId)


def stranger_may_get_reply(last_reply_at: datetime | None, now: datetime) -> bool:
    """Whether the fixed stranger reply may be sent again."""
    return last_reply_at is None or now - last_reply_at >= STRANGER_REPLY_INTERVAL


def may_manage(actor: Member) -> bool:
    """Teamleider or admin."""
    return bool(actor.roles.intersection(MANAGERS))


def invitable_teams(actor: Member, all_teams: Sequence[TeamT]) -> list[TeamT]:
    """An admin may invite into any team, a teamleider only into their own."""
    if Role.ADMIN in actor.roles:
        return list(all_teams)
    return [team for team in all_teams if team.id == actor.team_id]


def invitable_roles(actor: Member) -> list[Role]:
    """Only an admin hands out the admin role."""
    return [role for role in Role if role != Role.ADMIN or Role.ADMIN in actor.roles]


def deactivation(actor: Member, target: Member | None) -> Deactivation:
    """Whether ``actor`` may deactivate ``target`` (their own team; an admin any team; never
    themselves)."""
    if target is None or not target.active:
        return Deactivation.GONE
    if not may_manage(actor) or (Role.ADMIN not in actor.roles and target.team_id != actor.team_id):
        return Deactivation.NOT_ALLOWED
    if target.staff_id == actor.staff_id:
        return Deactivation.SELF
    return Deactivation.DONE


def group_link(actor: Member | None, linked_team_id: int | None) -> GroupLink:
    """What ``/koppel`` does in a group currently linked to ``linked_team_id`` (or none)."""
    if actor is None or not may_manage(actor):
        return GroupLink.NOT_ALLOWED
    if linked_team_id is None:
        return GroupLink.LINKED
    return GroupLink.ALREADY if linked_team_id == actor.team_id else GroupLink.OTHER_TEAM


def redemption(
    *, found: bool, used: bool, expires_at: datetime | None, now: datetime
) -> Redemption | None:
    """The outcome of a code before claiming it; ``None`` when it may be claimed."""
    if not found:
        return Redemption.UNKNOWN
    if used:
        return Redemption.USED
    if expires_at is not None and expires_at <= now:
        return Redemption.EXPIRED
    return None
