"""Weekdate services: the agenda (``/agenda``, the dispatch tick) and moving an occurrence.

Every use case is orchestrated here: the transaction, storage, the pure rules, the audit log.
What goes out after the commit comes back as plain data or as a :class:`~bot.outbound.Outbox`;
nothing here talks to Telegram, so handlers and jobs stay thin. Meeting mode lives in
:mod:`bot.weekdate.meeting_service`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot import offprocess
from bot.caselog.catalog import CaselogConfig, label_of
from bot.core.callbacks import family
from bot.core.clock import Clock, local_today
from bot.core.dates import format_clock, format_short
from bot.core.render import SEP, render
from bot.core.roles import Role
from bot.core.ui import Button, Document, DocumentMaker, Keyboard, Outbox
from bot.core.vocabulary import (
    AgendaView,
    AuditAction,
    AuditResult,
    DeliveryStatus,
    MeetingStatus,
    OverrideAction,
)
from bot.core.workdays import holiday_name
from bot.profiles import meaning
from bot.settings import TeamSettings
from bot.weekdate.rules.agenda import Agenda, AgendaInput, compile_agenda
from bot.weekdate.rules.schedule import (
    WEEKDAYS_NL,
    Occurrence,
    WeekdateSettings,
    agenda_send_at,
    holiday_of,
    holiday_question_due,
    is_agenda_due,
    next_occurrence,
    upcoming_occurrences,
)
from bot.weekdate.rules.schedule import (
    move_clash as schedule_move_clash,
)
from bot.weekdate.views import agenda_ics, render_agenda_pdf, render_agenda_text
from storage import audit, staff, teams
from storage import weekdate as store
from storage.db import Database
from storage.staff import StaffMember
from storage.teams import TeamInfo

#: Callback namespaces: the holiday question and "ik ben erbij" in the group.
HOLIDAY_BUTTONS = family(
    "wdh", "weekdate op een feestdag", {"move": (str,), "skip": (str,), "keep": (str,)}
)
ATTEND_BUTTONS = family("wda", "ik ben erbij", {"join": (int,)}, private_only=False)


def holiday_keyboard(regular: date) -> Keyboard:
    """Move / skip / keep buttons for the weekdate on ``regular`` (a holiday)."""
    day = regular.isoformat()
    return (
        (
            Button(render("weekdate/button_holiday_move"), HOLIDAY_BUTTONS.encode("move", day)),
            Button(render("weekdate/button_holiday_skip"), HOLIDAY_BUTTONS.encode("skip", day)),
        ),
        (Button(render("weekdate/button_holiday_keep"), HOLIDAY_BUTTONS.encode("keep", day)),),
    )


def attend_keyboard(meeting_id: int) -> Keyboard:
    """The group's "ik ben erbij" button."""
    return ((Button(render("weekdate/button_attend"), ATTEND_BUTTONS.encode("join", meeting_id)),),)


# --- the agenda ------------------------------------------------------------------------------


async def upcoming(
    session: AsyncSession, clock: Clock, team: TeamInfo, settings: WeekdateSettings
) -> Occurrence:
    """The team's next weekdate."""
    overrides = await store.load_overrides(session, team.id)
    return next_occurrence(clock.now(), settings, overrides.decided, clock.tz)


async def build_agenda(
    session: AsyncSession,
    clock: Clock,
    team: TeamInfo,
    occ: Occurrence,
    settings: TeamSettings,
) -> Agenda:
    """Compile the agenda for ``occ`` from the database."""
    since = await store.previous_meeting_time(session, team.id, occ.regular_date)
    if since is None:
        since = clock.now() - store.FIRST_AGENDA_LOOKBACK
    # A profile that shares vacatures (004) shows every sharing team's list; clients stay own.
    sharing = [
        found.id
        for name in settings.vacancy_teams
        if (found := await teams.get_team_by_name(session, name)) is not None
    ]
    data = await store.agenda_input(
        session,
        team_id=team.id,
        team_name=team.name,
        meeting_date=occ.date,
        duration_minutes=settings.weekdate.duration_minutes,
        today=local_today(clock),
        changes_since=since,
        holiday=holiday_of(occ),
        matching=meaning.matching(settings.profile),
        vacancy_team_ids=sharing,
    )
    return compile_agenda(with_labels(data, settings.caselog))


def with_labels(data: AgendaInput, scheme: CaselogConfig) -> AgendaInput:
    """The agenda input with stored codes (category, subcategory, tags) replaced by the Dutch
    labels of the team's configured scheme, so the agenda shows a category's label, not its code."""
    labels = {
        "category": scheme.categories,
        "subcategory": scheme.subcategories,
    }
    items = [
        replace(
            item,
            proposed_category=label_of(scheme.categories, item.proposed_category)
            if item.proposed_category
            else None,
            tags=tuple(label_of(scheme.tags, tag) for tag in item.tags),
        )
        for item in data.case_items
    ]
    transitions = [
        replace(
            t,
            old_value=label_of(labels[t.field], t.old_value) if t.old_value else None,
            new_value=label_of(labels[t.field], t.new_value) if t.new_value else None,
        )
        if t.field in labels
        else t
        for t in data.transitions
    ]
    return replace(data, case_items=items, transitions=transitions)


def send_time_of(occ: Occurrence, settings: WeekdateSettings, clock: Clock) -> datetime:
    """When the agenda of ``occ`` goes out (aware, local)."""
    return agenda_send_at(occ, settings, clock.tz)


def pdf_maker(agenda: Agenda, start: time, filename: str, caption: str) -> DocumentMaker:
    """The agenda's PDF, rendered only when it is sent (WeasyPrint takes a while and must not
    hold the database transaction open); one maker per agenda renders it once."""
    return partial(_pdf_document, agenda, start, filename, caption)


def _pdf_document(agenda: Agenda, start: time, filename: str, caption: str) -> Document:
    # In the child process: WeasyPrint stays out of the bot's memory.
    return Document(offprocess.run(render_agenda_pdf, agenda, start), filename, caption)


@dataclass(frozen=True)
class AgendaAnswer:
    """What ``/agenda`` answers: a short notice (template name), a text, or a document."""

    notice: str = ""
    text: str = ""
    document: Document | DocumentMaker | None = None


def _when(moment: datetime) -> str:
    return f"{WEEKDAYS_NL[moment.weekday()]} {format_short(moment)} om {format_clock(moment)}"


async def show_agenda(
    db: Database,
    clock: Clock,
    actor: StaffMember,
    settings: TeamSettings,
    *,
    arg: str,
    private: bool,
) -> AgendaAnswer:
    """``/agenda`` (draft), ``/agenda vorige`` (last sent), ``/agenda pdf``, ``/agenda ics``.

    ``private``: the full copy (a teamleider in private); anyone else sees references only.
    """
    # The argument is user text: only the view it names reaches the audit log (issue 9, 6).
    view = AgendaView.of(arg)
    async with db.transaction() as session:
        team = await teams.get_team(session, actor.team_id)
        assert team is not None
        # Details of clients are shown: every such view is in the audit log.
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.agenda(view),
            result=AuditResult.OK if private else AuditResult.REFERENCES_ONLY,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"team:{team.id}",
        )
        if view is AgendaView.VORIGE:
            meeting = await store.last_sent_meeting(session, team.id)
            text = None
            if meeting is not None:
                text = meeting.agenda_private if private else meeting.agenda_group
            if text is None:
                return AgendaAnswer(notice="weekdate/agenda_none")
            return AgendaAnswer(text=text)
        occ = await upcoming(session, clock, team, settings.weekdate)
        if view is AgendaView.ICS:
            data = agenda_ics(
                team_id=team.id,
                team_name=team.name,
                occ=occ,
                duration_minutes=settings.weekdate.duration_minutes,
                zone=clock.tz,
                stamp=clock.now(),
            )
            return AgendaAnswer(
                document=Document(
                    data,
                    f"weekdate-{occ.date.isoformat()}.ics",
                    render("weekdate/ics_caption", day=occ.date),
                )
            )
        if view is AgendaView.PDF and not private:
            return AgendaAnswer(notice="common/not_allowed")
        built = await build_agenda(session, clock, team, occ, settings)
    if view is AgendaView.PDF:
        return AgendaAnswer(
            document=pdf_maker(
                built,
                occ.start,
                f"agenda-{occ.date}.pdf",
                render("weekdate/pdf_caption", day=occ.date),
            )
        )
    text = render_agenda_text(built, occ.start, private=private)
    send_at = send_time_of(occ, settings.weekdate, clock)
    note = render("weekdate/agenda_draft_note", send_at=_when(send_at), past=send_at <= clock.now())
    return AgendaAnswer(text=f"{text}{SEP}{note}")


# --- the dispatch tick -----------------------------------------------------------------------


@dataclass
class AgendaTick:
    """What one dispatch tick queued: the outbox, and which of its replies (by index) are agenda
    deliveries to record (:func:`record_agenda_outcomes`)."""

    outbox: Outbox = field(default_factory=Outbox)
    tracked: dict[int, int] = field(default_factory=dict)

    def track(self, chat_id: int, text: str, delivery_id: int) -> None:
        """Queue an agenda text whose outcome is recorded as ``delivery_id``."""
        self.tracked[len(self.outbox.replies)] = delivery_id
        self.outbox.text(chat_id, text)


async def dispatch_team(
    session: AsyncSession, clock: Clock, team: TeamInfo, settings: TeamSettings, tick: AgendaTick
) -> bool:
    """One tick for one team: send agendas Telegram asked to wait for again, ask holiday
    questions that are due, and send the agenda when its time has come and it has not gone out
    yet (one delivery row per recipient). Returns whether the agenda was sent now."""
    out = tick.outbox
    slot = settings.weekdate
    now = clock.now()
    for resend in await store.claim_agenda_retries(session, team.id, now):
        tick.track(resend.chat_id, resend.text, resend.delivery_id)
    overrides = await store.load_overrides(session, team.id)
    leaders = await staff.team_members_with_role(session, team.id, Role.TEAMLEIDER)
    for regular, name in holiday_question_due(
        now, slot, overrides.known, clock.tz, settings.holiday_question_days
    ):
        if await store.mark_holiday_asked(session, team.id, regular, now):
            text = render("weekdate/holiday_question", day=regular, holiday=name, team=team.name)
            for leader in leaders:
                out.text(leader.telegram_user_id, text, holiday_keyboard(regular))
    occ = next_occurrence(now, slot, overrides.decided, clock.tz)
    if not is_agenda_due(now, occ, slot, clock.tz):
        return False
    meeting = await store.ensure_meeting(session, team.id, occ.regular_date, occ.date, now)
    # A meeting already started (or held early) needs no agenda any more.
    if meeting.status != MeetingStatus.PLANNED:
        return False
    if meeting.agenda_sent_at is not None or not await store.claim_agenda(session, meeting.id, now):
        return False
    agenda = await build_agenda(session, clock, team, occ, settings)
    private_text = render_agenda_text(agenda, occ.start, private=True)
    group_text = render_agenda_text(agenda, occ.start, private=False)
    await store.store_agenda(session, meeting.id, private_text, group_text)
    pdf = pdf_maker(
        agenda,
        occ.start,
        f"agenda-weekdate-{occ.date.isoformat()}.pdf",
        render("weekdate/pdf_caption", day=occ.date),
    )
    for leader in leaders:
        chat = leader.telegram_user_id
        delivery = await store.open_agenda_delivery(session, meeting.id, chat, leader.staff_id, now)
        tick.track(chat, private_text, delivery)
        if settings.agenda_pdf:
            out.document(leader.telegram_user_id, pdf)
    if settings.group_copy and team.group_chat_id is not None:
        chat = team.group_chat_id
        delivery = await store.open_agenda_delivery(session, meeting.id, chat, None, now)
        tick.track(chat, group_text, delivery)
    return True


async def dispatch_all(db: Database, clock: Clock, settings: Sequence[TeamSettings]) -> AgendaTick:
    """One tick for every configured team (``settings``: one per team), in one transaction;
    the returned outbox is delivered after the commit, and its agenda outcomes recorded."""
    tick = AgendaTick()
    async with db.transaction() as session:
        for team_settings in settings:
            team = await teams.get_team_by_name(session, team_settings.team_name)
            if team is not None:
                await dispatch_team(session, clock, team, team_settings, tick)
    return tick


async def record_agenda_outcomes(
    db: Database, clock: Clock, outcomes: Sequence[tuple[int, DeliveryStatus]]
) -> Outbox:
    """Record how each agenda delivery went (``retry`` is sent again on the next tick) and queue
    a notice about every failed or unknown one not reported yet: to the team's teamleiders, or,
    when it was a teamleider who could not be reached, to the team's admins and other
    teamleiders. Nobody is left to believe the agenda arrived when it did not."""
    out = Outbox()
    now = clock.now()
    async with db.transaction() as session:
        for delivery_id, status in outcomes:
            await store.record_agenda_delivery(session, delivery_id, status, now)
        problems = await store.unreported_agenda_problems(session)
        reported: list[int] = []
        for problem in problems:
            leaders = await staff.team_members_with_role(session, problem.team_id, Role.TEAMLEIDER)
            admins = await staff.team_members_with_role(session, problem.team_id, Role.ADMIN)
            told = leaders if problem.staff_id is None else [*leaders, *admins]
            chats = {p.telegram_user_id for p in told if p.staff_id != problem.staff_id}
            text = render(
                "weekdate/agenda_not_delivered",
                unknown=problem.status == DeliveryStatus.UNKNOWN,
                name=problem.staff_name,
                day=problem.held_on,
            )
            for chat in sorted(chats):
                out.text(chat, text)
            reported.append(problem.delivery_id)
        await store.mark_agenda_reported(session, reported, now)
    return out


# --- moving, skipping or keeping one occurrence ----------------------------------------------


async def decide_holiday(
    db: Database, clock: Clock, actor: StaffMember, regular: date, action: OverrideAction
) -> None:
    """The teamleider's answer to the holiday question: skip or keep the weekdate."""
    async with db.transaction() as session:
        await set_override(session, clock, actor, regular, action)


async def set_override(
    session: AsyncSession,
    clock: Clock,
    actor: StaffMember,
    regular: date,
    action: OverrideAction,
    new_date: date | None = None,
    new_time: time | None = None,
    settings: WeekdateSettings | None = None,
) -> None:
    """Move, skip or keep the occurrence on ``regular`` (within the caller's transaction).

    A move to a public holiday or onto another weekdate of the team is refused here as well as
    in the form that asks for it, so no other way in can store one."""
    if action == OverrideAction.MOVED and new_date is not None:
        if holiday_name(new_date) is not None:
            raise ValueError("a weekdate is not moved to a public holiday")
        if settings is not None and new_time is not None:
            clash = await move_clash(session, actor, settings, regular, new_date, new_time)
            if clash is not None:
                raise ValueError("the move overlaps another weekdate of the team")
    await store.set_override(
        session,
        team_id=actor.team_id,
        regular_date=regular,
        action=action,
        new_date=new_date,
        new_time=new_time,
        staff_id=actor.staff_id,
        now=clock.now(),
    )


async def move_clash(
    session: AsyncSession,
    actor: StaffMember,
    settings: WeekdateSettings,
    regular: date,
    new_date: date,
    new_time: time,
) -> Occurrence | None:
    """The team's other weekdate the move would overlap (see :func:`schedule.move_clash`)."""
    overrides = await store.load_overrides(session, actor.team_id)
    return schedule_move_clash(regular, new_date, new_time, settings, overrides.decided)


async def movable_occurrences(
    session: AsyncSession, clock: Clock, actor: StaffMember, settings: WeekdateSettings
) -> list[Occurrence]:
    """The coming regular slots (including ones already moved, to move them again)."""
    overrides = await store.load_overrides(session, actor.team_id)
    return upcoming_occurrences(clock.now(), settings, overrides.decided, clock.tz, count=4)
