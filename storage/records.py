"""What the database holds about a client, and removing it: for inzage, wis and retention.

SQL only. One client's rows are found through its id (case items, events, deadlines and what
hangs off them, exemptions, participation contacts) and through its reference where the weekdate
keeps text (agenda snapshots, minutes, the walk, decisions) and in open forms. Audit rows are
never touched here: they hold no content and their chain must stay whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    CaseItem,
    Client,
    ClientEvent,
    ClientTagPeriod,
    Deadline,
    DeadlinePostponement,
    Digest,
    DigestNotification,
    Exemption,
    ExemptionReview,
    FormSession,
    Notification,
    ParticipationContact,
    Placement,
    StrangerReply,
    Vacancy,
    WeekdateDecision,
    WeekdateMeeting,
)

#: Case-item keys in the meeting's walk and decisions (``bot.weekdate.meeting_service``).
CASE_ITEM_KEY = "case_item:"


def as_dict(row: Base) -> dict[str, Any]:
    """Every column of a row, JSON-ready (dates as ISO text)."""
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        out[column.name] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def mentions_ref(text: str | None, ref: str) -> bool:
    """``ref`` as a whole token in ``text`` (``C-1`` is not in ``C-10``)."""
    return bool(text) and re.search(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", text or "") is not None


def _without_ref_lines(text: str | None, ref: str) -> str | None:
    if text is None:
        return None
    return "\n".join(line for line in text.split("\n") if not mentions_ref(line, ref))


async def find_client(session: AsyncSession, ref: str, team_id: int | None) -> list[Client]:
    """Clients with reference ``ref`` (in ``team_id`` when given; references are per team)."""
    query = select(Client).where(Client.ref == ref)
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    return list(await session.scalars(query.order_by(Client.id)))


async def _all(session: AsyncSession, query: Select[Any]) -> list[Any]:
    return list(await session.scalars(query))


async def client_rows(session: AsyncSession, client: Client) -> dict[str, list[dict[str, Any]]]:
    """Every row held about ``client``, by table (inzage)."""
    # A team actiepunt may name the client in its title without being linked to it.
    deadlines = [
        d
        for d in await _all(session, select(Deadline).where(Deadline.team_id == client.team_id))
        if d.client_id == client.id or mentions_ref(d.title, client.ref)
    ]
    deadline_ids = [d.id for d in deadlines]
    exemptions = await _all(session, select(Exemption).where(Exemption.client_id == client.id))
    meetings = await _meetings_mentioning(session, client)
    held: dict[str, Sequence[Base]] = {
        "clients": [client],
        "client_events": await _all(
            session, select(ClientEvent).where(ClientEvent.client_id == client.id)
        ),
        "case_items": await _all(session, select(CaseItem).where(CaseItem.client_id == client.id)),
        "vacancies": await _all(
            session, select(Vacancy).where(Vacancy.filled_client_id == client.id)
        ),
        "deadlines": deadlines,
        "notifications": await _all(
            session, select(Notification).where(Notification.deadline_id.in_(deadline_ids))
        ),
        "deadline_postponements": await _all(
            session,
            select(DeadlinePostponement).where(DeadlinePostponement.deadline_id.in_(deadline_ids)),
        ),
        "exemptions": exemptions,
        "exemption_reviews": await _all(
            session,
            select(ExemptionReview).where(
                ExemptionReview.exemption_id.in_([e.id for e in exemptions])
            ),
        ),
        "participation_contacts": await _all(
            session,
            select(ParticipationContact).where(ParticipationContact.client_id == client.id),
        ),
        "placements": await _all(
            session, select(Placement).where(Placement.client_id == client.id)
        ),
        "client_tag_periods": await _all(
            session, select(ClientTagPeriod).where(ClientTagPeriod.client_id == client.id)
        ),
        "weekdate_decisions": await _decisions(session, client, deadline_ids),
        "form_sessions": [
            f for f in await _all(session, select(FormSession)) if _form_mentions(f, client)
        ],
    }
    rows = {table: [as_dict(r) for r in found] for table, found in held.items()}
    # Meetings: only the lines and walk entries about this client, not the whole team's agenda.
    rows["weekdate_meetings"] = [
        {
            "id": m.id,
            "held_on": m.held_on.isoformat(),
            "agenda_private": [
                ln for ln in (m.agenda_private or "").split("\n") if mentions_ref(ln, client.ref)
            ],
            "agenda_group": [
                ln for ln in (m.agenda_group or "").split("\n") if mentions_ref(ln, client.ref)
            ],
            "minutes": [ln for ln in (m.minutes or "").split("\n") if mentions_ref(ln, client.ref)],
            "walk": [e for e in m.walk if _walk_mentions(e, client)],
        }
        for m in meetings
    ]
    rows["digests"] = [
        {
            "id": d.id,
            "digest_date": d.digest_date.isoformat(),
            "text": [ln for ln in (d.text or "").split("\n") if mentions_ref(ln, client.ref)],
        }
        for d in await _digests_mentioning(session, client)
    ]
    return rows


async def _digests_mentioning(session: AsyncSession, client: Client) -> list[Digest]:
    digests = await _all(session, select(Digest).where(Digest.team_id == client.team_id))
    return [d for d in digests if mentions_ref(d.text, client.ref)]


def _walk_mentions(entry: Any, client: Client) -> bool:
    return isinstance(entry, dict) and (
        entry.get("ref") == client.ref or entry.get("client_id") == client.id
    )


def _form_mentions(form: FormSession, client: Client) -> bool:
    return mentions_ref(json.dumps(form.data, ensure_ascii=False), client.ref)


async def _decisions(
    session: AsyncSession, client: Client, deadline_ids: Iterable[int]
) -> list[WeekdateDecision]:
    team_meetings = select(WeekdateMeeting.id).where(WeekdateMeeting.team_id == client.team_id)
    return await _all(
        session,
        select(WeekdateDecision).where(
            or_(
                WeekdateDecision.deadline_id.in_(list(deadline_ids)),
                (WeekdateDecision.client_ref == client.ref)
                & WeekdateDecision.meeting_id.in_(team_meetings),
            )
        ),
    )


async def _meetings_mentioning(session: AsyncSession, client: Client) -> list[WeekdateMeeting]:
    meetings = await _all(
        session, select(WeekdateMeeting).where(WeekdateMeeting.team_id == client.team_id)
    )
    return [
        m
        for m in meetings
        if any(mentions_ref(t, client.ref) for t in (m.agenda_private, m.agenda_group, m.minutes))
        or any(_walk_mentions(e, client) for e in m.walk)
    ]


async def _erase_deadlines(session: AsyncSession, deadline_ids: list[int]) -> None:
    if not deadline_ids:
        return
    notifications = select(Notification.id).where(Notification.deadline_id.in_(deadline_ids))
    await session.execute(
        delete(DigestNotification).where(DigestNotification.notification_id.in_(notifications))
    )
    await session.execute(delete(Notification).where(Notification.deadline_id.in_(deadline_ids)))
    await session.execute(
        delete(DeadlinePostponement).where(DeadlinePostponement.deadline_id.in_(deadline_ids))
    )
    await session.execute(
        update(WeekdateDecision)
        .where(WeekdateDecision.deadline_id.in_(deadline_ids))
        .values(deadline_id=None)
    )
    await session.execute(delete(Deadline).where(Deadline.id.in_(deadline_ids)))


async def erase_client(session: AsyncSession, client: Client) -> int:
    """Remove every row about ``client`` (wis, and retention after uitstroom); rows removed.

    The team's meeting texts keep every line except those naming the client.
    """
    held = await client_rows(session, client)
    count = sum(
        len(rows) for table, rows in held.items() if table not in ("weekdate_meetings", "digests")
    )
    deadline_ids = [int(d["id"]) for d in held["deadlines"]]
    await session.execute(
        delete(WeekdateDecision).where(
            WeekdateDecision.id.in_([int(d["id"]) for d in held["weekdate_decisions"]])
        )
    )
    await _erase_deadlines(session, deadline_ids)
    exemption_ids = [int(e["id"]) for e in held["exemptions"]]
    await session.execute(
        delete(ExemptionReview).where(ExemptionReview.exemption_id.in_(exemption_ids))
    )
    await session.execute(delete(Exemption).where(Exemption.id.in_(exemption_ids)))
    await session.execute(
        delete(ParticipationContact).where(ParticipationContact.client_id == client.id)
    )
    await session.execute(delete(Placement).where(Placement.client_id == client.id))
    await session.execute(delete(CaseItem).where(CaseItem.client_id == client.id))
    await session.execute(delete(ClientEvent).where(ClientEvent.client_id == client.id))
    await session.execute(delete(ClientTagPeriod).where(ClientTagPeriod.client_id == client.id))
    await session.execute(
        update(Vacancy).where(Vacancy.filled_client_id == client.id).values(filled_client_id=None)
    )
    for form in held["form_sessions"]:
        await session.execute(
            delete(FormSession).where(FormSession.telegram_user_id == form["telegram_user_id"])
        )
    for meeting in await _meetings_mentioning(session, client):
        kept = [e for e in meeting.walk if not _walk_mentions(e, client)]
        before = sum(1 for e in meeting.walk[: meeting.cursor] if _walk_mentions(e, client))
        meeting.walk = kept
        meeting.cursor = max(0, meeting.cursor - before)
        meeting.agenda_private = _without_ref_lines(meeting.agenda_private, client.ref)
        meeting.agenda_group = _without_ref_lines(meeting.agenda_group, client.ref)
        meeting.minutes = _without_ref_lines(meeting.minutes, client.ref)
        count += 1
    for digest in await _digests_mentioning(session, client):
        digest.text = _without_ref_lines(digest.text, client.ref)
        count += 1
    await session.flush()
    await session.delete(client)
    await session.flush()
    return count


# --- retention: what is due ------------------------------------------------------------------


async def exited_clients_before(session: AsyncSession, cutoff: datetime) -> list[Client]:
    """Clients uitgestroomd or overgedragen whose last status change is before ``cutoff``."""
    last_status = (
        select(func.max(ClientEvent.at))
        .where(ClientEvent.client_id == Client.id, ClientEvent.field == "status")
        .correlate(Client)
        .scalar_subquery()
    )
    query = select(Client).where(
        Client.status.in_(("uitgestroomd", "overgedragen")),
        func.coalesce(last_status, Client.updated_at) < cutoff,
    )
    return list(await session.scalars(query.order_by(Client.id)))


async def handled_items_before(
    session: AsyncSession, cutoff_day: date, cutoff: datetime, done: Sequence[str]
) -> list[int]:
    """Case items with an agenda status in ``done`` whose weekdate (the last meeting that
    decided them; else their creation) is before the cutoff."""
    items = list(
        await session.execute(
            select(CaseItem.id, CaseItem.created_at).where(CaseItem.agenda_status.in_(done))
        )
    )
    decided: dict[str, date] = {
        key: day
        for key, day in await session.execute(
            select(WeekdateDecision.item_key, func.max(WeekdateMeeting.held_on))
            .join(WeekdateMeeting, WeekdateMeeting.id == WeekdateDecision.meeting_id)
            .where(WeekdateDecision.item_key.like(f"{CASE_ITEM_KEY}%"))
            .group_by(WeekdateDecision.item_key)
        )
    }
    due = []
    for item_id, created in items:
        day = decided.get(f"{CASE_ITEM_KEY}{item_id}")
        if (day < cutoff_day) if day is not None else (created < cutoff):
            due.append(int(item_id))
    return due


async def delete_items(session: AsyncSession, ids: list[int]) -> int:
    """Delete case items by id."""
    if ids:
        await session.execute(delete(CaseItem).where(CaseItem.id.in_(ids)))
    return len(ids)


async def closed_vacancies_before(session: AsyncSession, cutoff: datetime) -> list[int]:
    """Vacatures filled or lapsed before ``cutoff``."""
    query = select(Vacancy.id).where(
        Vacancy.status != "open", func.coalesce(Vacancy.closed_at, Vacancy.created_at) < cutoff
    )
    return [int(i) for i in await session.scalars(query)]


async def delete_vacancies(session: AsyncSession, ids: list[int]) -> int:
    """Delete vacatures by id."""
    if ids:
        await session.execute(delete(Vacancy).where(Vacancy.id.in_(ids)))
    return len(ids)


async def meetings_before(session: AsyncSession, cutoff_day: date) -> list[int]:
    """Closed weekdate meetings (agenda snapshots, minutes, decisions) held before the day."""
    query = select(WeekdateMeeting.id).where(
        WeekdateMeeting.status == "closed", WeekdateMeeting.held_on < cutoff_day
    )
    return [int(i) for i in await session.scalars(query)]


async def delete_meetings(session: AsyncSession, ids: list[int]) -> int:
    """Delete weekdate meetings and their decisions."""
    if ids:
        await session.execute(delete(WeekdateDecision).where(WeekdateDecision.meeting_id.in_(ids)))
        await session.execute(delete(WeekdateMeeting).where(WeekdateMeeting.id.in_(ids)))
    return len(ids)


async def resolved_deadlines_before(session: AsyncSession, cutoff: datetime) -> list[int]:
    """Deadlines without a client (team actiepunten) resolved before ``cutoff``."""
    query = select(Deadline.id).where(
        Deadline.client_id.is_(None), Deadline.status != "open", Deadline.resolved_at < cutoff
    )
    return [int(i) for i in await session.scalars(query)]


async def delete_deadlines(session: AsyncSession, ids: list[int]) -> int:
    """Delete deadlines with their notifications and postponements."""
    await _erase_deadlines(session, ids)
    return len(ids)


async def stale_forms(session: AsyncSession, cutoff: datetime, *, dry_run: bool) -> int:
    """Form sessions untouched since before ``cutoff`` (deleted unless ``dry_run``)."""
    where = FormSession.updated_at < cutoff
    count = int(
        await session.scalar(select(func.count()).select_from(FormSession).where(where)) or 0
    )
    if not dry_run:
        await session.execute(delete(FormSession).where(where))
    return count


async def stale_strangers(session: AsyncSession, cutoff: datetime, *, dry_run: bool) -> int:
    """Stranger records (last refusal sent) older than ``cutoff`` (deleted unless ``dry_run``)."""
    where = StrangerReply.last_reply_at < cutoff
    count = int(
        await session.scalar(select(func.count()).select_from(StrangerReply).where(where)) or 0
    )
    if not dry_run:
        await session.execute(delete(StrangerReply).where(where))
    return count
