"""The work the route hands out, and telling the people who got it.

One function applies a category decision (:func:`apply_category`), whether the weekdate made it
or someone used ``/categorie``: the category and subcategory, the client becoming active, the
conversation the loopbaanbegeleider plans, the handover of guidance. It returns the work it gave
people; :func:`record_work` keeps that work in each person's draft notice for the source (the
weekdate, or the one category change), and :func:`release` fixes each person's ONE message when
the source is done (``/weekdate stop``, or the category change's save).

Sending is durable: a notice is claimed before it is sent (:func:`claim_notices`), its outcome
recorded (:func:`record_outcomes`); Telegram's "wait" is retried by the job, a timeout is never
resent, and nothing is ever sent twice. Nothing here talks to Telegram.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.render import render
from bot.core.ui import Outbox
from bot.core.vocabulary import ClientStatus, DeadlineKind, DeliveryStatus, WorkKind
from bot.core.workdays import add_working_days
from bot.profiles import meaning
from bot.profiles.model import Profile
from storage import clients, deadlines, staff
from storage import work_notices as store
from storage.clients import ClientInfo
from storage.db import Database

#: The title of the loopbaanbegeleider's task (a deadline) after a category decision.
LB_TASK_TITLE = "gesprek loopbaanbegeleider inplannen"


@dataclass(frozen=True)
class WorkItem:
    """One piece of work for one person."""

    staff_id: int
    kind: WorkKind
    ref: str | None
    due: date | None = None
    title: str | None = None
    #: A colleague's name (the loopbaanbegeleider who takes over).
    other: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON-safe form kept in the draft notice."""
        return {
            "kind": self.kind.value,
            "ref": self.ref,
            "due": self.due.isoformat() if self.due else None,
            "title": self.title,
            "other": self.other,
        }


@dataclass(frozen=True)
class CategoryApplied:
    """What a category decision changed."""

    client: ClientInfo
    lb_staff_id: int | None = None
    lb_name: str | None = None
    lb_due: date | None = None
    deadline_id: int | None = None
    new_owner_staff_id: int | None = None
    work: tuple[WorkItem, ...] = field(default_factory=tuple)


def meeting_source(meeting_id: int) -> str:
    """The source of the work a weekdate hands out."""
    return f"meeting:{meeting_id}"


def category_source(client_id: int, now: datetime) -> str:
    """The source of the work one ``/categorie`` change hands out."""
    return f"categorie:{client_id}:{now.isoformat(timespec='microseconds')}"


async def apply_category(
    session: AsyncSession,
    *,
    client: ClientInfo,
    category: str,
    subcategory: str | None,
    lb_staff_id: int | None,
    actor_staff_id: int,
    reason: str,
    today: date,
    now: datetime,
    lb_working_days: int,
    source_type: str,
    source_id: int | None,
    profile: Profile,
) -> CategoryApplied:
    """Give ``client`` a category (the weekdate's decision or ``/categorie``): everything it sets
    in motion, in the caller's transaction. Raises ``ValueError`` when the category needs a
    loopbaanbegeleider and none is given. What the category sets in motion is the team's
    ``profile`` (an LB conversation, a handover), never a category code."""
    needs_lb = meaning.needs_lb_appointment(profile, category)
    if needs_lb and lb_staff_id is None:
        raise ValueError(f"category {category} needs a loopbaanbegeleider")
    changed = await clients.change_category(
        session,
        client.id,
        category=category,
        subcategory=subcategory,
        actor_staff_id=actor_staff_id,
        reason=reason,
        now=now,
    )
    if changed.status == ClientStatus.REGISTERED:
        changed = await clients.change_status(
            session,
            client.id,
            status=ClientStatus.ACTIVE,
            exit_reason=None,
            actor_staff_id=actor_staff_id,
            reason=reason,
            now=now,
        )
    if not needs_lb or lb_staff_id is None:
        return CategoryApplied(client=changed)
    lb = await staff.get_staff(session, lb_staff_id)
    lb_name = lb.display_name if lb else "?"
    due = add_working_days(today, lb_working_days)
    deadline_id = await deadlines.create_deadline(
        session,
        team_id=client.team_id,
        kind=DeadlineKind.LB_APPOINTMENT,
        due_date=due,
        owner_staff_id=lb_staff_id,
        now=now,
        client_id=client.id,
        title=LB_TASK_TITLE,
        source_type=source_type,
        source_id=source_id,
    )
    work = [WorkItem(lb_staff_id, WorkKind.LB_CLIENT, client.ref, due=due)]
    new_owner = None
    previous = client.owner_staff_id
    if meaning.hands_over(profile, category) and lb_staff_id != previous:
        new_owner = lb_staff_id
        changed = await clients.change_owner(
            session,
            client.id,
            owner_staff_id=lb_staff_id,
            actor_staff_id=actor_staff_id,
            reason=reason,
            now=now,
        )
        if previous is not None:
            work.append(WorkItem(previous, WorkKind.HANDED_OVER, client.ref, other=lb_name))
    return CategoryApplied(
        client=changed,
        lb_staff_id=lb_staff_id,
        lb_name=lb_name,
        lb_due=due,
        deadline_id=deadline_id,
        new_owner_staff_id=new_owner,
        work=tuple(work),
    )


async def record_work(
    session: AsyncSession, *, team_id: int, source: str, work: Iterable[WorkItem], now: datetime
) -> None:
    """Keep ``work`` in each person's draft notice for ``source``."""
    per_person: dict[int, list[dict[str, Any]]] = {}
    for item in work:
        per_person.setdefault(item.staff_id, []).append(item.as_json())
    for staff_id, items in per_person.items():
        await store.add_items(
            session, team_id=team_id, source=source, staff_id=staff_id, items=items, now=now
        )


def notice_text(items: Sequence[dict[str, Any]]) -> str:
    """The one message for one person with every piece of work they got."""

    def of(kind: WorkKind) -> list[dict[str, Any]]:
        return [
            {**i, "due": date.fromisoformat(i["due"]) if i.get("due") else None}
            for i in items
            if i.get("kind") == kind
        ]

    return render(
        "route/work_notice",
        lb_clients=of(WorkKind.LB_CLIENT),
        actions=of(WorkKind.ACTION),
        handed_over=of(WorkKind.HANDED_OVER),
    )


async def release(session: AsyncSession, source: str, now: datetime) -> list[int]:
    """Fix the text of each person's notice for ``source``; returns the notice ids to send.

    A person who is no longer active gets nothing (their draft stays as it is)."""
    ready: list[int] = []
    for draft in await store.drafts(session, source):
        person = await staff.get_staff(session, draft.staff_id)
        if person is None or not person.active or not draft.items:
            continue
        text = notice_text(draft.items)
        await store.make_pending(
            session, draft.id, chat_id=person.telegram_user_id, text=text, now=now
        )
        ready.append(draft.id)
    return ready


@dataclass
class NoticeBatch:
    """Claimed notices queued in ``outbox``; ``ids[i]`` is the notice of reply ``i``."""

    outbox: Outbox = field(default_factory=Outbox)
    ids: list[int] = field(default_factory=list)


async def claim_notices(
    db: Database, clock: Clock, ids: Sequence[int] | None = None
) -> NoticeBatch:
    """Claim the notices ``ids`` (or every waiting one: the job) for sending, in one committed
    transaction, so no other sender can take them too."""
    batch = NoticeBatch()
    if ids is not None and not ids:
        return batch
    async with db.transaction() as session:
        for claimed in await store.claim(session, clock.now(), ids):
            batch.outbox.text(claimed.chat_id, claimed.text)
            batch.ids.append(claimed.id)
    return batch


async def record_outcomes(
    db: Database, clock: Clock, batch: NoticeBatch, outcomes: Sequence[tuple[int, DeliveryStatus]]
) -> None:
    """Record how each claimed notice went (``retry``: the job sends it again)."""
    if not batch.ids:
        return
    now = clock.now()
    async with db.transaction() as session:
        for notice_id, (_chat, status) in zip(batch.ids, outcomes, strict=False):
            await store.record(session, notice_id, status, now)
