"""Access rules: who is staff, invitations, the stranger reply, groups. Service functions.

Handlers call one function here each; these call storage inside the caller's transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.roles import MANAGERS, Role
from storage import audit, invitations, staff, strangers, teams
from storage.staff import StaffMember

#: A stranger hears the fixed reply at most this often.
STRANGER_REPLY_INTERVAL = timedelta(hours=1)
#: Invitation codes fit Telegram's deep-link parameter ([A-Za-z0-9_-], at most 64).
CODE_BYTES = 12


def stranger_may_get_reply(last_reply_at: datetime | None, now: datetime) -> bool:
    """Whether the fixed stranger reply may be sent again (pure rule)."""
    return last_reply_at is None or now - last_reply_at >= STRANGER_REPLY_INTERVAL


async def note_stranger(
    session: AsyncSession, telegram_user_id: int, now: datetime, what: str
) -> bool:
    """Audit a stranger's attempt; True when the fixed reply should be sent now."""
    await audit.record(
        session,
        at=now,
        action=f"stranger:{what}",
        result="refused",
        actor_telegram_id=telegram_user_id,
    )
    if not stranger_may_get_reply(await strangers.last_reply_at(session, telegram_user_id), now):
        return False
    await strangers.record_reply(session, telegram_user_id, now)
    return True


def may_manage(actor: StaffMember) -> bool:
    """Teamleider or admin."""
    return actor.has(*MANAGERS)


def invitable_teams(actor: StaffMember, all_teams: list[teams.TeamInfo]) -> list[teams.TeamInfo]:
    """An admin may invite into any team, a teamleider only into their own."""
    if Role.ADMIN in actor.roles:
        return all_teams
    return [team for team in all_teams if team.id == actor.team_id]


def invitable_roles(actor: StaffMember) -> list[Role]:
    """Only an admin hands out the admin role."""
    return [role for role in Role if role != Role.ADMIN or Role.ADMIN in actor.roles]


@dataclass(frozen=True)
class NewInvitation:
    """A created invitation, ready to show."""

    code: str
    team_name: str
    roles: tuple[Role, ...]
    expires_at: datetime


async def create_invitation(
    session: AsyncSession,
    actor: StaffMember,
    *,
    team_id: int,
    roles: list[Role],
    now: datetime,
    valid_for: timedelta,
) -> NewInvitation:
    """Create a one-time code; the caller has checked ``may_manage`` and the choices."""
    team = await teams.get_team(session, team_id)
    allowed = {t.id for t in invitable_teams(actor, await teams.list_teams(session))}
    if team is None or team.id not in allowed or not roles:
        raise PermissionError("not allowed to invite into this team")
    if any(role not in invitable_roles(actor) for role in roles):
        raise PermissionError("not allowed to hand out this role")
    code = secrets.token_urlsafe(CODE_BYTES)
    info = await invitations.create_invitation(
        session,
        code=code,
        team_id=team_id,
        roles=roles,
        created_by_staff_id=actor.staff_id,
        now=now,
        expires_at=now + valid_for,
    )
    await audit.record(
        session,
        at=now,
        action="invitation:create",
        result="ok",
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"invitation:{info.id}",
    )
    return NewInvitation(code, team.name, tuple(roles), info.expires_at)


class Redemption(StrEnum):
    """What happened to a ``/start <code>``."""

    JOINED = "joined"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_STAFF = "already_staff"


async def redeem_invitation(
    session: AsyncSession,
    *,
    code: str,
    telegram_user_id: int,
    display_name: str,
    now: datetime,
) -> tuple[Redemption, StaffMember | None]:
    """Make the sender staff if the code is valid, unused and not expired."""
    existing = await staff.get_active_staff(session, telegram_user_id)
    if existing is not None:
        return Redemption.ALREADY_STAFF, existing
    found = await invitations.find_invitation(session, code) if len(code) <= 64 else None
    outcome: Redemption
    member = None
    if found is None:
        outcome = Redemption.UNKNOWN
    elif found.used_at is not None:
        outcome = Redemption.USED
    elif found.expires_at <= now:
        outcome = Redemption.EXPIRED
    elif not await invitations.mark_used(session, found.id, telegram_user_id, now):
        outcome = Redemption.USED
    else:
        member = await staff.upsert_staff(
            session,
            telegram_user_id=telegram_user_id,
            display_name=display_name,
            team_id=found.team_id,
            roles=found.roles,
            now=now,
        )
        outcome = Redemption.JOINED
    await audit.record(
        session,
        at=now,
        action="invitation:redeem",
        result=outcome.value,
        actor_telegram_id=telegram_user_id,
        object=f"invitation:{found.id}" if found else None,
    )
    return outcome, member


async def bootstrap_admins(
    session: AsyncSession, admin_ids: tuple[int, ...], team_id: int, now: datetime
) -> None:
    """Admins named in config or ``BOT_ADMINS`` are active staff from the first start."""
    for telegram_user_id in admin_ids:
        member = await staff.get_active_staff(session, telegram_user_id)
        if member is None:
            await staff.upsert_staff(
                session,
                telegram_user_id=telegram_user_id,
                display_name=f"Beheerder {telegram_user_id}",
                team_id=team_id,
                roles=[Role.ADMIN],
                now=now,
            )
        elif Role.ADMIN not in member.roles:
            await staff.add_roles(session, telegram_user_id, [Role.ADMIN])


class Deactivation(StrEnum):
    """What happened to a deactivation request."""

    DONE = "done"
    NOT_ALLOWED = "not_allowed"
    SELF = "self"
    GONE = "gone"


async def deactivate_member(
    session: AsyncSession, actor: StaffMember, staff_id: int, now: datetime
) -> tuple[Deactivation, StaffMember | None]:
    """Deactivate a colleague in the actor's team (an admin: any team); never oneself."""
    target = await staff.get_staff(session, staff_id)
    outcome: Deactivation
    if target is None or not target.active:
        outcome = Deactivation.GONE
    elif not may_manage(actor) or (
        Role.ADMIN not in actor.roles and target.team_id != actor.team_id
    ):
        outcome = Deactivation.NOT_ALLOWED
    elif target.staff_id == actor.staff_id:
        outcome = Deactivation.SELF
    else:
        await staff.deactivate(session, staff_id, now)
        outcome = Deactivation.DONE
    await audit.record(
        session,
        at=now,
        action="staff:deactivate",
        result=outcome.value,
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"staff:{staff_id}",
    )
    return outcome, target


class GroupLink(StrEnum):
    """What happened to ``/koppel``."""

    LINKED = "linked"
    ALREADY = "already"
    OTHER_TEAM = "other_team"
    NOT_ALLOWED = "not_allowed"


async def link_group(
    session: AsyncSession, actor: StaffMember | None, chat_id: int, now: datetime
) -> GroupLink:
    """Link ``chat_id`` to the actor's team; only a teamleider or admin may."""
    if actor is None or not may_manage(actor):
        outcome = GroupLink.NOT_ALLOWED
    else:
        current = await teams.team_for_group(session, chat_id)
        if current is not None and current.id == actor.team_id:
            outcome = GroupLink.ALREADY
        elif current is not None:
            outcome = GroupLink.OTHER_TEAM
        else:
            await teams.link_group(session, actor.team_id, chat_id)
            outcome = GroupLink.LINKED
    await audit.record(
        session,
        at=now,
        action="group:link",
        result=outcome.value,
        actor_telegram_id=actor.telegram_user_id if actor else None,
        actor_staff_id=actor.staff_id if actor else None,
        object=f"chat:{chat_id}",
    )
    return outcome
