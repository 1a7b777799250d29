"""Weekdate services: the glue between the pure rules, storage and rendering.

Each function runs inside the caller's one transaction (``session``) and returns what the caller
sends; nothing here talks to Telegram, so handlers and jobs stay thin.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.caselog.catalog import CaselogConfig, label_of
from bot.config import Config, TeamConfig
from bot.core.callbacks import encode
from bot.core.clock import Clock, local_today
from bot.core.dates import format_date
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Button, Keyboard
from bot.weekdate.agenda import ITEM_KIND_LABELS, Agenda, AgendaInput, AgendaItem, compile_agenda
from bot.weekdate.meeting import (
    ACTION_ITEM_KIND,
    LB_TASK_KIND,
    LB_TASK_TITLE,
    MinutesLine,
    build_minutes,
    intake_effects,
    next_case_status,
)
from bot.weekdate.schedule import (
    Occurrence,
    WeekdateSettings,
    agenda_send_at,
    holiday_of,
    holiday_question_due,
    is_agenda_due,
    next_occurrence,
)
from bot.weekdate.views import render_agenda_text, render_minutes_text
from storage import audit, clients, deadlines, staff, teams
from storage import weekdate as store
from storage.teams import TeamInfo

#: Callback namespaces: the holiday question and "ik ben erbij" in the group.
HOLIDAY_NS = "wdh"
ATTEND_NS = "wda"


def holiday_keyboard(regular: date) -> Keyboard:
    """Move / skip / keep buttons for the weekdate on ``regular`` (a holiday)."""
    day = regular.isoformat()
    return (
        (
            Button("Verzetten", encode(HOLIDAY_NS, "move", day)),
            Button("Overslaan", encode(HOLIDAY_NS, "skip", day)),
        ),
        (Button("Laat doorgaan", encode(HOLIDAY_NS, "keep", day)),),
    )


def attend_keyboard(meeting_id: int) -> Keyboard:
    """The group's "ik ben erbij" button."""
    return ((Button("Ik ben erbij", encode(ATTEND_NS, "join", meeting_id)),),)


def team_config(config: Config, team_name: str) -> TeamConfig:
    """The configured team called ``team_name`` (teams are synced from config at start)."""
    for team in config.teams:
        if team.name == team_name:
            return team
    raise LookupError(f"team {team_name!r} is not configured")


def team_settings(config: Config, team_name: str) -> WeekdateSettings:
    """The weekdate settings of one team."""
    team = team_config(config, team_name)
    return WeekdateSettings(
        weekday=team.weekdate_weekday,
        start=team.weekdate_time,
        duration_minutes=team.weekdate_minutes,
        agenda_time=config.weekdate.agenda_time_for(team_name),
    )


async def upcoming(
    session: AsyncSession, config: Config, clock: Clock, team: TeamInfo
) -> tuple[Occurrence, WeekdateSettings]:
    """The team's next weekdate and its settings."""
    settings = team_settings(config, team.name)
    overrides = await store.load_overrides(session, team.id)
    return next_occurrence(clock.now(), settings, overrides.decided, clock.tz), settings


async def build_agenda(
    session: AsyncSession,
    config: Config,
    clock: Clock,
    team: TeamInfo,
    occ: Occurrence,
    settings: WeekdateSettings,
) -> Agenda:
    """Compile the agenda for ``occ`` from the database."""
    since = await store.previous_meeting_time(session, team.id, occ.regular_date)
    if since is None:
        since = clock.now() - store.FIRST_AGENDA_LOOKBACK
    data = await store.agenda_input(
        session,
        team_id=team.id,
        team_name=team.name,
        meeting_date=occ.date,
        duration_minutes=settings.duration_minutes,
        today=local_today(clock),
        changes_since=since,
        holiday=holiday_of(occ),
    )
    return compile_agenda(with_labels(data, config.caselog))


def with_labels(data: AgendaInput, scheme: CaselogConfig) -> AgendaInput:
    """The agenda input with stored codes (category, subcategory, tags) replaced by the Dutch
    labels of the team's configured scheme, so the agenda says "Werkfit", not "werkfit"."""
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


@dataclass
class Outgoing:
    """Messages a job or handler should send after the transaction commits."""

    texts: list[tuple[int, str, Any]] = field(default_factory=list)
    #: (chat, agenda, start, filename, caption): rendered after commit, off the event loop,
    #: because WeasyPrint takes a while and must not hold the database transaction open.
    pdfs: list[tuple[int, Agenda, time, str, str]] = field(default_factory=list)

    def text(self, chat_id: int, text: str, keyboard: Any = ()) -> None:
        """Queue a text (with :data:`bot.weekdate.views.SEP` item boundaries) for ``chat_id``."""
        self.texts.append((chat_id, text, keyboard))

    def pdf(self, chat_id: int, agenda: Agenda, start: time, filename: str, caption: str) -> None:
        """Queue the agenda's PDF for ``chat_id``."""
        self.pdfs.append((chat_id, agenda, start, filename, caption))


async def dispatch_team(
    session: AsyncSession, config: Config, clock: Clock, team: TeamInfo, out: Outgoing
) -> bool:
    """One tick for one team: ask holiday questions that are due, and send the agenda when its
    time has come and it has not gone out yet. Returns whether the agenda was sent now."""
    settings = team_settings(config, team.name)
    overrides = await store.load_overrides(session, team.id)
    now = clock.now()
    leaders = await staff.team_members_with_role(session, team.id, Role.TEAMLEIDER)
    for regular, name in holiday_question_due(
        now, settings, overrides.known, clock.tz, config.weekdate.holiday_question_days
    ):
        if await store.mark_holiday_asked(session, team.id, regular, now):
            text = render("weekdate/holiday_question", day=regular, holiday=name, team=team.name)
            for leader in leaders:
                out.text(leader.telegram_user_id, text, holiday_keyboard(regular))
    occ = next_occurrence(now, settings, overrides.decided, clock.tz)
    if not is_agenda_due(now, occ, settings, clock.tz):
        return False
    meeting = await store.ensure_meeting(session, team.id, occ.regular_date, occ.date, now)
    # A meeting already started (or held early) needs no agenda any more.
    if meeting.status != "planned":
        return False
    if meeting.agenda_sent_at is not None or not await store.claim_agenda(session, meeting.id, now):
        return False
    agenda = await build_agenda(session, config, clock, team, occ, settings)
    private_text = render_agenda_text(agenda, occ.start, private=True)
    group_text = render_agenda_text(agenda, occ.start, private=False)
    await store.store_agenda(session, meeting.id, private_text, group_text)
    for leader in leaders:
        out.text(leader.telegram_user_id, private_text)
        if config.weekdate.pdf:
            out.pdf(
                leader.telegram_user_id,
                agenda,
                occ.start,
                f"agenda-weekdate-{occ.date.isoformat()}.pdf",
                render("weekdate/pdf_caption", day=occ.date),
            )
    if config.weekdate.group_copy_for(team.name) and team.group_chat_id is not None:
        out.text(team.group_chat_id, group_text)
    return True


async def dispatch_all(session: AsyncSession, config: Config, clock: Clock) -> Outgoing:
    """One tick for every configured team."""
    out = Outgoing()
    for configured in config.teams:
        team = await teams.get_team_by_name(session, configured.name)
        if team is not None:
            await dispatch_team(session, config, clock, team, out)
    return out


def send_time_of(occ: Occurrence, settings: WeekdateSettings, clock: Clock) -> datetime:
    """When the agenda of ``occ`` goes out (aware, local)."""
    return agenda_send_at(occ, settings, clock.tz)


# --- meeting mode ----------------------------------------------------------------------------


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
    return str(entry["key"]).startswith("case_item:")


async def decide(
    session: AsyncSession,
    *,
    meeting: store.MeetingInfo,
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
) -> str | None:
    """Apply the meeting's decision on one item; returns the minutes text, or ``None`` when the
    item was already decided (a double tap). ``scheme`` labels the category (the team's
    configured category scheme); it is needed for a category decision."""
    now = clock.now()
    today = local_today(clock)
    reason = f"weekdate {format_date(meeting.held_on)}"
    client_id = entry.get("client_id")
    deadline_id: int | None = None
    if outcome == "categorised":
        if category is None or client_id is None:
            raise ValueError("a category decision needs a category and a client")
        client = await clients.get_client(session, int(client_id))
        if client is None:
            raise LookupError("client is gone")
        effects = intake_effects(
            category=category,
            subcategory=subcategory,
            lb_staff_id=lb_staff_id,
            current_owner_staff_id=client.owner_staff_id,
            today=today,
        )
        await clients.change_category(
            session,
            client.id,
            category=effects.category,
            subcategory=effects.subcategory,
            actor_staff_id=actor_staff_id,
            reason=reason,
            now=now,
        )
        if client.status == "aangemeld":
            await clients.change_status(
                session,
                client.id,
                status="actief",
                exit_reason=None,
                actor_staff_id=actor_staff_id,
                reason=reason,
                now=now,
            )
        if scheme is None:
            raise ValueError("a category decision needs the category scheme")
        text = label_of(scheme.categories, category)
        if subcategory:
            text += f" ({label_of(scheme.subcategories, subcategory)})"
        if effects.new_owner_staff_id is not None:
            await clients.change_owner(
                session,
                client.id,
                owner_staff_id=effects.new_owner_staff_id,
                actor_staff_id=actor_staff_id,
                reason=reason,
                now=now,
            )
        if effects.lb_staff_id is not None and effects.lb_task_due is not None:
            lb = await staff.get_staff(session, effects.lb_staff_id)
            deadline_id = await deadlines.create_deadline(
                session,
                team_id=meeting.team_id,
                kind=LB_TASK_KIND,
                due_date=effects.lb_task_due,
                owner_staff_id=effects.lb_staff_id,
                now=now,
                client_id=client.id,
                title=LB_TASK_TITLE,
                source_type="weekdate_meeting",
                source_id=meeting.id,
            )
            name = lb.display_name if lb else "?"
            text += f"; {LB_TASK_TITLE} door {name}, uiterlijk {format_date(effects.lb_task_due)}"
            if effects.new_owner_staff_id is not None:
                text += f"; begeleiding naar {name}"
    elif outcome == "action":
        if owner_staff_id is None or due is None:
            raise ValueError("an actiepunt needs an owner and a due date")
        if client_id is None and entry.get("ref") and not str(entry["key"]).startswith("vacancy:"):
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
            source_type="weekdate_meeting",
            source_id=meeting.id,
        )
        text = f"{owner.display_name if owner else '?'}: {what}, uiterlijk {format_date(due)}"
    elif outcome == "discussed":
        text = "besproken"
    elif outcome == "carried":
        if not can_carry(entry):
            raise ValueError("only case items can be carried")
        text = "doorgeschoven naar de volgende weekdate"
    else:
        raise ValueError(f"unknown outcome {outcome!r}")
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
    key = str(entry["key"])
    await audit.record(
        session,
        at=now,
        action=f"weekdate.{outcome}",
        result="ok",
        actor_staff_id=actor_staff_id,
        object=f"client:{client_id}" if client_id is not None else key,
    )
    if key.startswith("case_item:"):
        await store.set_case_item_status(session, int(key.split(":")[1]), next_case_status(outcome))
    elif key.startswith("vacancy:"):
        await store.mark_vacancy_discussed(session, int(key.split(":")[1]))
    return text


async def finish_meeting(
    session: AsyncSession,
    *,
    meeting: store.MeetingInfo,
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
    people = [await staff.get_staff(session, sid) for sid in meeting.attendee_staff_ids]
    present = [p for p in people if p is not None]
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
        if key.startswith("vacancy:"):
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
