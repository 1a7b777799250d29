"""Access use cases: who is this, the stranger reply, invitations, deactivation, groups.

The one home of access: each function here is one use case that handlers call once. Functions
taking a :class:`Database` open the transaction themselves; the few taking a session (the invite
form's save, the bootstrap at start-up) run inside their caller's transaction. Every decision
that matters writes an audit row in the same transaction. The rules live in
:mod:`bot.access.rules`; this module orchestrates storage around them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access.cache import AccessCache
from bot.access.rules import (
    CODE_BYTES,
    MAX_CODE_LENGTH,
    AuditAction,
    AuditResult,
    Deactivation,
    GroupLink,
    Redemption,
    UpdateKind,
    deactivation,
    group_link,
    invitable_roles,
    invitable_teams,
    may_manage,
    redemption,
    stranger_may_get_reply,
)
from bot.core.paging import Page
from bot.core.roles import Role
from storage import audit, invitations, staff, strangers, teams
from storage.db import Database
from storage.staff import StaffMember
from storage.teams import TeamInfo

# --- who is this -----------------------------------------------------------------------------


class ChatKind(StrEnum):
    """Where an update comes from, as far as access cares."""

    PRIVATE = "private"
    GROUP = "group"
    OTHER = "other"


class Door(StrEnum):
    """What the access middleware does with an update."""

    PASS = "pass"
    #: Drop the update silently.
    IGNORE = "ignore"
    #: Drop the update and send the fixed stranger reply.
    REFUSE = "refuse"


@dataclass(frozen=True)
class Identity:
    """The sender (active staff or ``None``) and what to do with the update."""

    actor: StaffMember | None
    door: Door


async def _note_stranger(
    session: AsyncSession, telegram_user_id: int, now: datetime, kind: UpdateKind
) -> bool:
    """Audit a stranger's attempt; True when the fixed reply should be sent now."""
    await audit.record(
        session,
        at=now,
        action=AuditAction.stranger(kind),
        result=AuditResult.REFUSED,
        actor_telegram_id=telegram_user_id,
    )
    if not stranger_may_get_reply(await strangers.last_reply_at(session, telegram_user_id), now):
        return False
    await strangers.record_reply(session, telegram_user_id, now)
    return True


async def identify(
    db: Database,
    *,
    telegram_user_id: int,
    chat_id: int,
    chat: ChatKind,
    kind: UpdateKind,
    is_invitation: bool,
    is_group_link: bool,
    now: datetime,
    cache: AccessCache | None = None,
) -> Identity:
    """Look the sender up and decide; strangers are audited (and rate-limited) here.

    Active staff (and a group's link) come from ``cache`` when it has them: then no database
    work at all for the lookup. Anything else is read in the update's transaction.
    """
    # Every audit row of this update carries where it came from (issue 14).
    audit.current_chat_type.set(chat.value)
    actor = cache.staff(telegram_user_id, now) if cache is not None else None
    linked_cached = cache.group(chat_id, now) if cache and chat == ChatKind.GROUP else None
    if actor is not None:
        audit.current_actor.set((actor.staff_id, actor.telegram_user_id))
        if chat == ChatKind.PRIVATE:
            return Identity(actor, Door.PASS)
        if linked_cached is not None:
            (linked,) = linked_cached
            if linked is not None and linked.id == actor.team_id:
                return Identity(actor, Door.PASS)
            if linked is None:
                return Identity(actor, Door.PASS if is_group_link else Door.IGNORE)
        # Anything else (a member of another team in a linked group) is audited below.
    generation = AccessCache.generation()
    async with db.transaction() as session:
        actor = await staff.get_active_staff(session, telegram_user_id)
        audit.current_actor.set(
            (actor.staff_id, actor.telegram_user_id) if actor else (None, telegram_user_id)
        )
        if cache is not None and actor is not None:
            cache.remember_staff(actor, generation, now)
        door = Door.PASS
        if chat == ChatKind.GROUP:
            linked = await teams.team_for_group(session, chat_id)
            if cache is not None:
                cache.remember_group(chat_id, linked, generation, now)
            if actor is None or (linked is not None and linked.id != actor.team_id):
                await _note_stranger(session, telegram_user_id, now, UpdateKind.GROUP)
                door = Door.IGNORE
            elif linked is None and not is_group_link:
                # Not linked (yet): the service message of the bot joining, a "hallo" before
                # /koppel. Whether the bot stays was decided when it was added (membership).
                door = Door.IGNORE
        elif chat == ChatKind.OTHER:
            door = Door.IGNORE  # channels: not ours
        elif actor is None and not is_invitation:
            reply_now = await _note_stranger(session, telegram_user_id, now, kind)
            door = Door.REFUSE if reply_now else Door.IGNORE
    return Identity(actor, door)


# --- invitations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewInvitation:
    """A created invitation, ready to show."""

    code: str
    team_name: str
    roles: tuple[Role, ...]
    expires_at: datetime


async def invite_choices(session: AsyncSession, actor: StaffMember) -> list[TeamInfo]:
    """The teams ``actor`` may invite into."""
    return invitable_teams(actor, await teams.list_teams(session))


async def create_invitation(
    session: AsyncSession,
    actor: StaffMember,
    *,
    team_id: int,
    roles: list[Role],
    now: datetime,
    valid_for: timedelta,
) -> NewInvitation:
    """Create a one-time code (in the invite form's transaction); re-checks the choices."""
    team = await teams.get_team(session, team_id)
    allowed = {t.id for t in await invite_choices(session, actor)}
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
        action=AuditAction.INVITATION_CREATE,
        result=AuditResult.OK,
        actor_telegram_id=actor.telegram_user_id,
        actor_staff_id=actor.staff_id,
        object=f"invitation:{info.id}",
    )
    return NewInvitation(code, team.name, tuple(roles), info.expires_at)


async def redeem(
    db: Database,
    *,
    code: str,
    telegram_user_id: int,
    display_name: str,
    now: datetime,
) -> tuple[Redemption, StaffMember | None]:
    """Make the sender staff if the code is valid, unused and not expired."""
    async with db.transaction() as session:
        existing = await staff.get_active_staff(session, telegram_user_id)
        if existing is not None:
            return Redemption.ALREADY_STAFF, existing
        found = (
            await invitations.find_invitation(session, code)
            if len(code) <= MAX_CODE_LENGTH
            else None
        )
        member = None
        outcome = redemption(
            found=found is not None,
            used=found is not None and found.used_at is not None,
            expires_at=found.expires_at if found else None,
            now=now,
        )
        if outcome is None and found is not None:
            if not await invitations.mark_used(session, found.id, telegram_user_id, now):
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
        outcome = outcome or Redemption.UNKNOWN
        await audit.record(
            session,
            at=now,
            action=AuditAction.INVITATION_REDEEM,
            result=outcome,
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


# --- the team ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamOverview:
    """The actor's team, and the colleagues the actor may deactivate."""

    colleagues: list[StaffMember]
    deactivatable: list[StaffMember]
    page: Page


#: Colleagues per page of ``/team`` (each may carry a deactivate button).
TEAM_PAGE_SIZE = 20


async def team_overview(db: Database, member: StaffMember, offset: int = 0) -> TeamOverview:
    """``/team``: one page of the colleagues (only that page is read, plus a count); a manager
    may deactivate anyone but themselves."""
    async with db.transaction() as session:
        total = await staff.count_staff(session, member.team_id)
        page = Page.at(offset, total, TEAM_PAGE_SIZE)
        colleagues = await staff.list_staff(
            session, member.team_id, offset=page.offset, limit=page.size
        )
    others = [c for c in colleagues if c.staff_id != member.staff_id]
    return TeamOverview(colleagues, others if may_manage(member) else [], page)


async def deactivation_target(
    db: Database, member: StaffMember, staff_id: int
) -> tuple[Deactivation, StaffMember | None]:
    """Whether ``member`` may deactivate ``staff_id``; the colleague only when they may.

    Judged by the same rule as the deactivation itself (own team; an admin any team; never
    oneself) before anything is shown, so a replayed button with another team's id shows no
    name.
    """
    async with db.transaction() as session:
        target = await staff.get_staff(session, staff_id)
    outcome = deactivation(member, target)
    return outcome, target if outcome == Deactivation.DONE else None


async def deactivate(
    db: Database, actor: StaffMember, staff_id: int, now: datetime
) -> tuple[Deactivation, StaffMember | None]:
    """Deactivate a colleague in the actor's team (an admin: any team); never oneself."""
    async with db.transaction() as session:
        target = await staff.get_staff(session, staff_id)
        outcome = deactivation(actor, target)
        if outcome == Deactivation.DONE:
            await staff.deactivate(session, staff_id, now)
        await audit.record(
            session,
            at=now,
            action=AuditAction.STAFF_DEACTIVATE,
            result=outcome,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"staff:{staff_id}",
        )
    return outcome, target


# --- groups ------------------------------------------------------------------------------------


async def link_group(
    db: Database, actor: StaffMember | None, chat_id: int, now: datetime
) -> GroupLink:
    """Link ``chat_id`` to the actor's team; only a teamleider or admin may.

    A refusal does not make the bot leave: a colleague's ``/koppel`` in a group a teamleider
    added must not undo that teamleider's choice.
    """
    async with db.transaction() as session:
        current = await teams.team_for_group(session, chat_id)
        outcome = group_link(actor, current.id if current else None)
        if outcome == GroupLink.LINKED and actor is not None:
            await teams.link_group(session, actor.team_id, chat_id)
        await audit.record(
            session,
            at=now,
            action=AuditAction.GROUP_LINK,
            result=outcome,
            actor_telegram_id=actor.telegram_user_id if actor else None,
            actor_staff_id=actor.staff_id if actor else None,
            object=f"chat:{chat_id}",
        )
    return outcome


async def group_left(db: Database, chat_id: int, by_telegram_id: int, now: datetime) -> bool:
    """The bot is no longer in ``chat_id``: clear the team's link to it. True when it was linked.

    Nothing is sent to a group the bot is not in, so a stale link would only make every agenda
    and meeting copy fail.
    """
    async with db.transaction() as session:
        team_id = await teams.unlink_group(session, chat_id)
        if team_id is not None:
            await audit.record(
                session,
                at=now,
                action=AuditAction.GROUP_UNLINK,
                result=AuditResult.OK,
                actor_telegram_id=by_telegram_id,
                object=f"chat:{chat_id}",
            )
    return team_id is not None


async def group_migrated(db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
    """Telegram turned ``old_chat_id`` into the supergroup ``new_chat_id`` (it does so when a
    group gets certain settings or admins): a linked group stays linked. True when it was."""
    async with db.transaction() as session:
        team_id = await teams.move_group(session, old_chat_id, new_chat_id)
        if team_id is not None:
            await audit.record(
                session,
                at=now,
                action=AuditAction.GROUP_MIGRATE,
                result=AuditResult.OK,
                object=f"chat:{new_chat_id}",
            )
    return team_id is not None


class Membership(StrEnum):
    """What the bot does after being added to a group."""

    #: The group is already linked: nothing to say.
    LINKED = "linked"
    #: A manager added it: stay and explain /koppel.
    WELCOME = "welcome"
    #: Anyone else added it: say so and leave.
    LEAVE = "leave"


async def membership(db: Database, chat_id: int, adder_telegram_id: int) -> Membership:
    """The bot was added to ``chat_id``: stay only when a teamleider or admin added it."""
    async with db.transaction() as session:
        linked = await teams.team_for_group(session, chat_id)
        adder = await staff.get_active_staff(session, adder_telegram_id)
    if linked is not None:
        return Membership.LINKED
    if adder is not None and may_manage(adder):
        return Membership.WELCOME
    return Membership.LEAVE


# --- what Telegram shows -----------------------------------------------------------------------


async def menu_holders(db: Database) -> list[StaffMember]:
    """Everyone who ever was staff: active ones get their menu, deactivated ones lose theirs."""
    async with db.transaction() as session:
        return await staff.list_staff(session, active_only=False)
