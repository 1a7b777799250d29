"""Meeting mode services: start and stop the weekdate, decide items, the minutes, attendance.

Each use case opens its transaction (or works in the form's) and returns plain data or an
:class:`~bot.outbound.Outbox` to deliver after the commit; nothing here talks to Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import profiles
from bot.caselog.catalog import CaselogConfig, label_of
from bot.core.clock import Clock, local_today
from bot.core.dates import format_date
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Outbox
from bot.core.vocabulary import (
    AuditAction,
    AuditResult,
    CaseItemKind,
    DeadlineSource,
    MeetingOutcome,
    MeetingStatus,
    WorkKind,
)
from bot.profiles.model import Profile
from bot.route import exit_rules, exit_service, work
from bot.settings import TeamSettings
from bot.weekdate.rules.agenda import ITEM_KIND_LABELS, AgendaItem
from bot.weekdate.rules.meeting import (
    ACTION_ITEM_KIND,
    LB_TASK_TITLE,
    LB_TASK_WORKING_DAYS,
    MinutesLine,
    build_minutes,
    next_case_status,
)
from bot.weekdate.rules.schedule import next_occurrence
from bot.weekdate.service import attend_keyboard, build_agenda
from bot.weekdate.views import render_minutes_text
from storage import audit, clients, deadlines, staff, teams
from storage import forms as form_store
from storage import weekdate as store
from storage.db import Database
from storage.staff import StaffMember
from storage.weekdate import MeetingInfo as MeetingInfo

#: Item keys: ``case_item:<id>``, ``vacancy:<id>``, ``deadline:<id>``.
CASE_ITEM_KEY = "case_item:"
VACANCY_KEY = "vacancy:"


def walk_entry(item: AgendaItem) -> dict[str, Any]:
    """The JSON-safe snapshot of one agenda item for the meeting walk."""
    return {
        "key": item.key,
        "kind": item.kind,
        "ref": item.ref,
        "label": item.kind_label,
        "summary": item.summary,
        "details": list(item.details),
        "candidates": [c.ref for c in item.candidates],
        "client_id": item.client_id,
        "ter_info": item.ter_info,
    }


def can_carry(entry: dict[str, Any]) -> bool:
    """Only case items roll over; vacatures, termijnen and actiepunten come back by themselves
    while they are open."""
    return str(entry["key"]).startswith(CASE_ITEM_KEY)


def may_decide_exit(entry: dict[str, Any]) -> bool:
    """A succes about a client may be decided an uitstroom (issue 10 item 1)."""
    return entry["kind"] == CaseItemKind.SUCCESS and entry.get("client_id") is not None


# --- starting and stopping -------------------------------------------------------------------


@dataclass
class MeetingStart:
    """What ``/weekdate start`` found: a meeting already run by ``busy_chair``, or a new one
    whose walk goes to the group (``outbox``)."""

    resumed: bool
    busy_chair: str = ""
    #: The running meeting is chaired by someone else (``/weekdate start`` offers to take over).
    other_chair: bool = False
    outbox: Outbox = field(default_factory=Outbox)


async def start_meeting(
    db: Database, clock: Clock, actor: StaffMember, settings: TeamSettings
) -> MeetingStart:
    """Start today's weekdate (or the next one), or find the one in progress."""
    out = Outbox()
    async with db.transaction() as session:
        team = await teams.get_team(session, actor.team_id)
        assert team is not None
        running = await store.active_meeting(session, team.id)
        if running is not None:
            return MeetingStart(
                resumed=True,
                busy_chair=await chair_name(session, running),
                other_chair=running.chair_staff_id != actor.staff_id,
            )
        overrides = await store.load_overrides(session, team.id)
        # Today's weekdate, even when its start time has passed; otherwise the next one.
        midnight = datetime.combine(local_today(clock), time(0, 0), tzinfo=clock.tz)
        occ = next_occurrence(midnight, settings.weekdate, overrides.decided, clock.tz)
        meeting = await store.ensure_meeting(
            session, team.id, occ.regular_date, occ.date, clock.now()
        )
        built = await build_agenda(session, clock, team, occ, settings)
        walk = [walk_entry(item) for item in built.items]
        started = await store.start_meeting(
            session, meeting.id, chair_staff_id=actor.staff_id, walk=walk, now=clock.now()
        )
        if team.group_chat_id is not None:
            out.text(
                team.group_chat_id,
                render(
                    "weekdate/meeting_group",
                    walk=[{"ref": e["ref"], "label": e["label"]} for e in walk],
                ),
                attend_keyboard(started.id),
            )
    return MeetingStart(resumed=False, outbox=out)


@dataclass
class MeetingStop:
    """What ``/weekdate stop`` did: nothing (no meeting ran), or closed it and queued the
    minutes for the chair and attendees."""

    closed: bool
    recipients: int = 0
    outbox: Outbox = field(default_factory=Outbox)
    #: The work notices to send now: one per person who got work from the meeting's decisions.
    notices: list[int] = field(default_factory=list)


async def stop_meeting(
    db: Database,
    clock: Clock,
    actor: StaffMember,
    *,
    telegram_user_id: int | None,
    meeting_form: str,
) -> MeetingStop:
    """Close the team's meeting in progress; the chair's open meeting form ends with it."""
    async with db.transaction() as session:
        team = await teams.get_team(session, actor.team_id)
        assert team is not None
        meeting = await store.active_meeting(session, team.id)
        if meeting is None:
            return MeetingStop(closed=False)
        minutes, recipients = await finish_meeting(
            session, meeting=meeting, team_name=team.name, clock=clock
        )
        notices = await work.release(session, work.meeting_source(meeting.id), clock.now())
        if telegram_user_id is not None:
            open_form = await form_store.get_form(session, telegram_user_id)
            if open_form is not None and open_form.form == meeting_form:
                await form_store.clear_form(session, telegram_user_id)
    out = Outbox()
    for chat_id in recipients:
        out.text(chat_id, minutes)
    return MeetingStop(closed=True, recipients=len(recipients), outbox=out, notices=notices)


async def latest_minutes(db: Database, clock: Clock, actor: StaffMember) -> str | None:
    """``/notulen``: the team's latest minutes (the view is in the audit log)."""
    async with db.transaction() as session:
        meeting = await store.latest_minutes(session, actor.team_id)
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.MINUTES_VIEW,
            result=AuditResult.OK if meeting else AuditResult.NONE,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"meeting:{meeting.id}" if meeting else None,
        )
    return meeting.minutes if meeting is not None else None


async def attend(db: Database, actor: StaffMember, meeting_id: int) -> bool:
    """ "Ik ben erbij": record the tapper as present; ``False`` when already recorded, not in
    progress or not the tapper's team."""
    async with db.transaction() as session:
        meeting = await store.get_meeting(session, meeting_id)
        if meeting is None or meeting.team_id != actor.team_id:
            return False
        return await store.add_attendee(session, meeting_id, actor.staff_id)


# --- the walk (within the meeting form's transaction) ----------------------------------------


async def active_meeting(session: AsyncSession, team_id: int) -> MeetingInfo | None:
    """The team's meeting in progress, if any."""
    return await store.active_meeting(session, team_id)


async def running_meeting(session: AsyncSession, meeting_id: int) -> MeetingInfo | None:
    """The meeting ``meeting_id`` while it is in progress."""
    meeting = await store.get_meeting(session, meeting_id)
    if meeting is None or meeting.status != MeetingStatus.IN_PROGRESS:
        return None
    return meeting


async def current_item(session: AsyncSession, meeting: MeetingInfo) -> int:
    """The walk's cursor after skipping items already decided (stored when it moved)."""
    decided = {d.item_key for d in await store.list_decisions(session, meeting.id)}
    cursor = meeting.cursor
    while cursor < len(meeting.walk) and meeting.walk[cursor]["key"] in decided:
        cursor += 1
    if cursor != meeting.cursor:
        await store.set_cursor(session, meeting.id, cursor)
    return cursor


async def after_decision(session: AsyncSession, meeting: MeetingInfo) -> MeetingInfo:
    """The meeting as it is now, after a decision (or a refused one): the cursor is never moved
    blindly on, :func:`current_item` skips whatever is decided, so a decision that came too late
    cannot make the walk skip an item nobody saw."""
    fresh = await store.get_meeting(session, meeting.id)
    assert fresh is not None
    return fresh


async def chair_name(session: AsyncSession, meeting: MeetingInfo) -> str:
    """The display name of the meeting's chair."""
    chair = await staff.get_staff(session, meeting.chair_staff_id or 0)
    return chair.display_name if chair else "?"


async def take_chair(
    session: AsyncSession, clock: Clock, meeting: MeetingInfo, actor: StaffMember
) -> bool:
    """``actor`` takes over the chair (explicitly, with the Overnemen button); ``False`` when the
    chair changed in between (someone else was quicker)."""
    taken = await store.take_chair(
        session, meeting.id, from_staff_id=meeting.chair_staff_id, to_staff_id=actor.staff_id
    )
    if taken:
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.MEETING_CHAIR_TAKEN,
            result=AuditResult.OK,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"meeting:{meeting.id}",
        )
    return taken


async def people(session: AsyncSession, team_id: int, role: Role | None) -> list[staff.StaffMember]:
    """The team's staff (with ``role``, when given) to pick an owner or LB from."""
    if role is None:
        return await staff.list_staff(session, team_id)
    return await staff.team_members_with_role(session, team_id, role)


async def decide(
    session: AsyncSession,
    *,
    meeting: MeetingInfo,
    entry: dict[str, Any],
    outcome: str,
    actor_staff_id: int,
    clock: Clock,
    category: str | None = None,
    subcategory: str | None = None,
    lb_staff_id: int | None = None,
    owner_staff_id: int | None = None,
    due: date | None = None,
    title: str | None = None,
    scheme: CaselogConfig | None = None,
    lb_working_days: int = LB_TASK_WORKING_DAYS,
    profile: Profile | None = None,
) -> str | None:
    """Apply the meeting's decision on one item; returns the minutes text, or ``None`` when the
    item was already decided (a double tap). ``scheme`` labels the category (the team's
    configured category scheme); it is needed for a category decision."""
    outcome = MeetingOutcome(outcome)
    now = clock.now()
    today = local_today(clock)
    reason = f"weekdate {format_date(meeting.held_on)}"
    client_id = entry.get("client_id")
    deadline_id: int | None = None
    #: The work this decision gives people, told them once the meeting stops.
    handed_out: list[work.WorkItem] = []
    if outcome == MeetingOutcome.CATEGORISED:
        if category is None or client_id is None:
            raise ValueError("a category decision needs a category and a client")
        client = await clients.get_client(session, int(client_id))
        if client is None:
            raise LookupError("client is gone")
        if scheme is None:
            raise ValueError("a category decision needs the category scheme")
        applied = await work.apply_category(
            session,
            client=client,
            category=category,
            subcategory=subcategory,
            lb_staff_id=lb_staff_id,
            actor_staff_id=actor_staff_id,
            reason=reason,
            today=today,
            now=now,
            lb_working_days=lb_working_days,
            source_type=DeadlineSource.WEEKDATE_MEETING,
            source_id=meeting.id,
            # What the category sets in motion is the team's profile (default: Dalfsen's).
            profile=profile or profiles.default(),
        )
        handed_out.extend(applied.work)
        deadline_id = applied.deadline_id
        text = label_of(scheme.categories, category)
        if subcategory:
            text += f" ({label_of(scheme.subcategories, subcategory)})"
        if applied.lb_due is not None:
            name = applied.lb_name
            text += f"; {LB_TASK_TITLE} door {name}, uiterlijk {format_date(applied.lb_due)}"
            if applied.new_owner_staff_id is not None:
                text += f"; begeleiding naar {name}"
    elif outcome == MeetingOutcome.ACTION:
        if owner_staff_id is None or due is None:
            raise ValueError("an actiepunt needs an owner and a due date")
        if client_id is None and entry.get("ref") and not str(entry["key"]).startswith(VACANCY_KEY):
            # Termijnen and actiepunten carry the reference only; link the actiepunt to the client.
            found = await clients.get_client_by_ref(session, meeting.team_id, str(entry["ref"]))
            client_id = found.id if found else None
        owner = await staff.get_staff(session, owner_staff_id)
        what = title or _default_action_title(entry)
        deadline_id = await deadlines.create_deadline(
            session,
            team_id=meeting.team_id,
            kind=ACTION_ITEM_KIND,
            due_date=due,
            owner_staff_id=owner_staff_id,
            now=now,
            client_id=int(client_id) if client_id is not None else None,
            title=what[:200],
            source_type=DeadlineSource.WEEKDATE_MEETING,
            source_id=meeting.id,
        )
        text = f"{owner.display_name if owner else '?'}: {what}, uiterlijk {format_date(due)}"
        ref = entry.get("ref")
        handed_out.append(
            work.WorkItem(
                owner_staff_id, WorkKind.ACTION, str(ref) if ref else None, due=due, title=what
            )
        )
    elif outcome == MeetingOutcome.EXIT:
        if not may_decide_exit(entry):
            raise ValueError("only a succes about a client can be an uitstroom")
        deadline_id, exit_owner, exit_due = await exit_service.exit_task(
            session,
            team_id=meeting.team_id,
            client_id=int(entry["client_id"]),
            ref=str(entry.get("ref") or ""),
            today=today,
            meeting_id=meeting.id,
            now=now,
        )
        owner = await staff.get_staff(session, exit_owner) if exit_owner else None
        text = render(
            "weekdate/decided_exit",
            ref=entry.get("ref"),
            owner=owner.display_name if owner else None,
            due=exit_due,
        )
        if exit_owner is not None:
            handed_out.append(
                work.WorkItem(
                    exit_owner,
                    WorkKind.ACTION,
                    str(entry.get("ref") or "") or None,
                    due=exit_due,
                    title=exit_rules.EXIT_TASK_TITLE.format(ref=entry.get("ref") or ""),
                )
            )
    elif outcome == MeetingOutcome.DISCUSSED:
        text = "besproken"
    else:  # MeetingOutcome.CARRIED
        if not can_carry(entry):
            raise ValueError("only case items can be carried")
        text = "doorgeschoven naar de volgende weekdate"
    stored = await store.record_decision(
        session,
        meeting_id=meeting.id,
        item_key=str(entry["key"]),
        kind=str(entry["kind"]),
        client_ref=entry.get("ref"),
        outcome=outcome,
        summary=text,
        staff_id=actor_staff_id,
        now=now,
        deadline_id=deadline_id,
    )
    if not stored:
        return None
    await work.record_work(
        session,
        team_id=meeting.team_id,
        source=work.meeting_source(meeting.id),
        work=handed_out,
        now=now,
    )
    key = str(entry["key"])
    await audit.record(
        session,
        at=now,
        action=AuditAction.meeting(outcome),
        result=AuditResult.OK,
        actor_staff_id=actor_staff_id,
        object=f"client:{client_id}" if client_id is not None else key,
        reference=entry.get("ref"),
    )
    if key.startswith(CASE_ITEM_KEY):
        await store.set_case_item_status(session, int(key.split(":")[1]), next_case_status(outcome))
    elif key.startswith(VACANCY_KEY):
        await store.mark_vacancy_discussed(session, int(key.split(":")[1]))
    return text


async def finish_meeting(
    session: AsyncSession,
    *,
    meeting: MeetingInfo,
    team_name: str,
    clock: Clock,
) -> tuple[str, list[int]]:
    """Close the meeting: render and archive the minutes. Returns the minutes (with item
    separators) and the Telegram ids of the chair and attendees to send them to."""
    decided = await store.list_decisions(session, meeting.id)
    decided_keys = {d.item_key for d in decided}
    lines = [MinutesLine(d.client_ref, _label(d.kind), d.outcome, d.summary) for d in decided]
    not_reached = [
        MinutesLine(e.get("ref"), str(e["label"]), "", "")
        for e in meeting.walk
        if e["key"] not in decided_keys
    ]
    chair = await staff.get_staff(session, meeting.chair_staff_id or 0)
    present = [
        p
        for p in [await staff.get_staff(session, sid) for sid in meeting.attendee_staff_ids]
        if p is not None
    ]
    minutes = build_minutes(
        team_name=team_name,
        meeting_date=meeting.held_on,
        chair=chair.display_name if chair else "?",
        attendees=[p.display_name for p in present],
        lines=lines,
        not_reached=not_reached,
    )
    text = render_minutes_text(minutes)
    await store.close_meeting(session, meeting.id, text, clock.now())
    # Vacatures that were on this weekdate are no longer "new".
    for entry in meeting.walk:
        key = str(entry["key"])
        if key.startswith(VACANCY_KEY):
            await store.mark_vacancy_discussed(session, int(key.split(":")[1]))
    recipients = {p.telegram_user_id for p in present}
    if chair is not None:
        recipients.add(chair.telegram_user_id)
    return text, sorted(recipients)


def _default_action_title(entry: dict[str, Any]) -> str:
    """ "termijn C-09100: herbeoordeling ontheffing" when the meeting gave no description."""
    head = f"{entry['label']} {entry.get('ref') or ''}".strip()
    summary = str(entry.get("summary") or "")
    return f"{head}: {summary}" if summary else head


def _label(kind: str) -> str:
    return ITEM_KIND_LABELS.get(kind, kind)


def default_action_due(today: date, days: int) -> date:
    """A due date ``days`` ahead."""
    return today + timedelta(days=days)
