"""The reminder engine's storage: the ledger's queries and commands (SQL only).

The flow of one sweep (orchestrated by ``bot.deadlines.sweep.sweep``), each step its own
committed transaction:

1. :func:`recover_stale`: digests left in ``sending`` by a dead worker become ``unknown`` (never
   resent; the teamleider is told).
2. ``sweep.plan_day`` (working days, from the digest time on): every stage whose date has come and
   that is not in the ledger gets a ``pending`` notification row (unique per deadline and stage);
   everyone with something to read gets a ``pending`` digest row (unique per person and day).
3. :func:`claim_digest`: a committed compare-and-set ``pending|retry → sending`` (after
   ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers can sweep); the claim attaches the
   person's pending notifications and composes the digest from the database.
4. The job sends, outside any transaction, then :func:`record_outcome` stores sent / retry
   (``RetryAfter``) / failed (``Forbidden``) / unknown (timeout).

At-most-once: a digest is only sent by the worker that won its claim, and a claim that never got
an outcome is never retried. Every open deadline is recomputed into every digest, so a lost
message loses no obligation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Protocol
from typing import cast as type_cast

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.roles import Role
from bot.core.vocabulary import DeadlineKind, DeadlineStatus, DeliveryStatus, Stage
from bot.deadlines.rules import (
    FORCED_ESCALATION,
    DigestItem,
    DigestView,
    Directory,
    Person,
    StageWindow,
    Undelivered,
    compose_digest,
    is_current_escalation,
    parse_stage_key,
)
from storage.models import (
    Client,
    Deadline,
    Digest,
    DigestNotification,
    Notification,
    Staff,
    StaffRole,
)

#: Outcomes the sweep records after a send attempt.
OUTCOMES = frozenset(
    {
        DeliveryStatus.SENT,
        DeliveryStatus.RETRY,
        DeliveryStatus.FAILED,
        DeliveryStatus.UNKNOWN,
        DeliveryStatus.EMPTY,
    }
)

__all__ = ["Directory", "Person"]


class DigestSettings(Protocol):
    """What composing a digest needs of the deadline settings."""

    @property
    def soon_days(self) -> int: ...


async def load_directory(session: AsyncSession) -> Directory:
    """Every staff member with their teamleider flag."""
    leaders = set(
        (
            await session.scalars(
                select(StaffRole.staff_id).where(StaffRole.role == Role.TEAMLEIDER.value)
            )
        ).all()
    )
    people: dict[int, Person] = {}
    team_lead: dict[int, int] = {}
    rows = await session.execute(
        select(
            Staff.id, Staff.team_id, Staff.display_name, Staff.telegram_user_id, Staff.active
        ).order_by(Staff.id)
    )
    for staff_id, team_id, name, tg_id, active in rows:
        person = Person(staff_id, team_id, name, tg_id, bool(active), staff_id in leaders)
        people[staff_id] = person
        if person.is_teamleider and person.active and team_id not in team_lead:
            team_lead[team_id] = staff_id
    return Directory(people, team_lead)


def _insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that ignores rows hitting a unique key (ON CONFLICT DO NOTHING)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise RuntimeError(f"unsupported database {dialect}")


def rowcount(result: Any) -> int:
    """Rows changed by an UPDATE/INSERT executed through a session."""
    return int(type_cast(CursorResult[Any], result).rowcount)


def _local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


# --- 1. recovery ------------------------------------------------------------------------------


async def recover_stale(session: AsyncSession, now: datetime, lease: timedelta) -> int:
    """Mark digests claimed before ``now - lease`` and never settled as ``unknown``.

    With ``lease`` zero (SQLite at start: one process, so every open claim is from a dead one)
    every ``sending`` digest is settled.
    """
    cutoff = now - lease
    ids = list(
        (
            await session.scalars(
                select(Digest.id).where(
                    Digest.status == DeliveryStatus.SENDING, Digest.claimed_at <= cutoff
                )
            )
        ).all()
    )
    for digest_id in ids:
        await _settle(
            session, digest_id, DeliveryStatus.UNKNOWN, now, error="claimed, outcome never recorded"
        )
    return len(ids)


# --- 2. planning ------------------------------------------------------------------------------


#: Days of slack for a stage date moved back over a long holiday weekend (Christmas: 4).
_SLACK_DAYS = 7


def _round_key(stage: Stage) -> Any:
    """SQL for the ledger key of ``stage`` in a deadline's current round (``due``, ``due:1``)."""
    return case(
        (Deadline.postponements == 0, literal(stage.value)),
        else_=literal(f"{stage.value}:") + cast(Deadline.postponements, String),
    )


def _missing(key: Any) -> Any:
    """SQL: the deadline has no ledger row with ``key`` (an index seek on the unique key)."""
    return ~exists().where(Notification.deadline_id == Deadline.id, Notification.stage == key)


def _may_need_a_stage(today: date, window: StageWindow) -> Any:
    """SQL filter: open deadlines that may have a stage due and not in the ledger yet.

    A superset (dates with slack for working-day moves); ``stages_due_on`` decides exactly. In
    the steady state almost every open deadline is excluded by an index seek, so a sweep stays
    cheap however many deadlines are open.
    """

    def due_by(days: int) -> Any:
        return Deadline.due_date <= today + timedelta(days=days)

    pre_by_days: dict[int, list[str]] = defaultdict(list)
    for kind in DeadlineKind:
        if window.pre_days[kind.value] > 0:
            pre_by_days[window.pre_days[kind.value]].append(kind.value)
    known = [kind.value for kind in DeadlineKind]
    default_pre = window.default_pre
    pre_windows = [
        and_(Deadline.kind.in_(kinds), due_by(days + _SLACK_DAYS))
        for days, kinds in pre_by_days.items()
    ]
    if default_pre > 0:
        pre_windows.append(and_(Deadline.kind.not_in(known), due_by(default_pre + _SLACK_DAYS)))
    clauses = [
        and_(due_by(_SLACK_DAYS), _missing(_round_key(Stage.DUE))),
        and_(
            due_by(_SLACK_DAYS - window.escalation_days),
            _missing(_round_key(Stage.ESCALATION)),
        ),
    ]
    if pre_windows:
        clauses.append(
            and_(Deadline.postponements == 0, or_(*pre_windows), _missing(literal("pre")))
        )
    # One range bound up front lets the (status, due_date) index cut the scan to the window.
    widest = max([default_pre, *pre_by_days, 0]) + _SLACK_DAYS
    return and_(due_by(widest), or_(*clauses))


@dataclass(frozen=True)
class Candidate:
    """An open deadline that may have a stage due, with the ledger keys it already has."""

    deadline_id: int
    team_id: int
    kind: str
    due_date: date
    created_on: date
    postponements: int
    owner_staff_id: int | None
    ledger: frozenset[str]


async def stage_candidates(
    session: AsyncSession, *, today: date, tz: tzinfo, window: StageWindow
) -> list[Candidate]:
    """Open deadlines that may have a stage due today (a superset), with their ledger keys."""
    rows = (
        await session.execute(
            select(
                Deadline.id,
                Deadline.team_id,
                Deadline.kind,
                Deadline.due_date,
                Deadline.created_at,
                Deadline.postponements,
                Deadline.owner_staff_id,
            ).where(Deadline.status == DeadlineStatus.OPEN, _may_need_a_stage(today, window))
        )
    ).all()
    ledger: dict[int, set[str]] = defaultdict(set)
    for ids in chunk([row[0] for row in rows], 500):
        for deadline_id, key in await session.execute(
            select(Notification.deadline_id, Notification.stage).where(
                Notification.deadline_id.in_(ids)
            )
        ):
            ledger[deadline_id].add(key)
    return [
        Candidate(
            d_id,
            team_id,
            kind,
            due,
            _local_date(created_at, tz),
            rounds,
            owner,
            frozenset(ledger.get(d_id, ())),
        )
        for d_id, team_id, kind, due, created_at, rounds, owner in rows
    ]


@dataclass(frozen=True)
class NewStage:
    """A ledger row to insert: one stage of one deadline for one recipient."""

    deadline_id: int
    key: str
    recipient_staff_id: int | None


async def insert_stages(session: AsyncSession, stages: list[NewStage], *, now: datetime) -> None:
    """Insert pending ledger rows; a (deadline, stage) already there is left alone."""
    if not stages:
        return
    rows = [
        {
            "deadline_id": s.deadline_id,
            "stage": s.key,
            "recipient_staff_id": s.recipient_staff_id,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for s in stages
    ]
    # One global order, so two workers inserting the same keys on PostgreSQL wait for each
    # other instead of deadlocking.
    rows.sort(key=lambda row: (row["deadline_id"], row["stage"]))
    await session.execute(_insert(session, Notification), rows)


async def open_owners_due_by(session: AsyncSession, limit: date) -> list[tuple[int, int | None]]:
    """(team, owner) of every open deadline due on or before ``limit``."""
    rows = await session.execute(
        select(Deadline.team_id, Deadline.owner_staff_id)
        .where(Deadline.status == DeadlineStatus.OPEN, Deadline.due_date <= limit)
        .distinct()
    )
    return [(team_id, owner) for team_id, owner in rows]


async def loose_recipients(session: AsyncSession) -> set[int]:
    """Recipients of pending stages not yet carried by a digest."""
    return {
        r
        for r in (
            await session.scalars(
                select(Notification.recipient_staff_id)
                .outerjoin(
                    DigestNotification, DigestNotification.notification_id == Notification.id
                )
                .where(
                    Notification.status == DeliveryStatus.PENDING,
                    DigestNotification.digest_id.is_(None),
                )
                .distinct()
            )
        ).all()
        if r is not None
    }


async def teams_with_escalations(session: AsyncSession) -> set[int]:
    """Teams with an open deadline escalated in its current round."""
    return {
        team_id
        for team_id, key, rounds in await session.execute(
            select(Deadline.team_id, Notification.stage, Deadline.postponements)
            .join(Notification, Notification.deadline_id == Deadline.id)
            .where(Deadline.status == DeadlineStatus.OPEN, Notification.stage.like("escalation%"))
        )
        if is_current_escalation(key, rounds)
    }


async def teams_with_failures(session: AsyncSession) -> set[int]:
    """Teams with a failed or unknown digest the teamleider has not been told about."""
    return set(
        (
            await session.scalars(
                select(Digest.team_id)
                .where(
                    Digest.status.in_((DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN)),
                    Digest.reported_at.is_(None),
                )
                .distinct()
            )
        ).all()
    )


async def supersede_stale(session: AsyncSession, today: date) -> None:
    """An unsent digest of an earlier day gives its stages back (to today's)."""
    stale = list(
        (
            await session.scalars(
                select(Digest.id).where(
                    Digest.digest_date < today,
                    Digest.status.in_((DeliveryStatus.PENDING, DeliveryStatus.RETRY)),
                )
            )
        ).all()
    )
    if not stale:
        return
    await session.execute(
        update(Notification)
        .where(
            Notification.id.in_(
                select(DigestNotification.notification_id).where(
                    DigestNotification.digest_id.in_(stale)
                )
            )
        )
        .values(status=DeliveryStatus.PENDING)
    )
    await session.execute(delete(DigestNotification).where(DigestNotification.digest_id.in_(stale)))
    await session.execute(
        update(Digest).where(Digest.id.in_(stale)).values(status=DeliveryStatus.SUPERSEDED)
    )


async def ensure_digests(
    session: AsyncSession, recipients: list[tuple[int, int]], *, today: date, now: datetime
) -> int:
    """A pending digest of ``today`` for each (staff, team), unless one exists; returns the
    number of rows offered."""
    rows = [
        {
            "team_id": team_id,
            "staff_id": staff_id,
            "digest_date": today,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "created_at": now,
            "deadline_ids": [],
            "reported_digest_ids": [],
        }
        for staff_id, team_id in recipients
    ]
    if rows:
        await session.execute(_insert(session, Digest), rows)
    return len(rows)


# --- 3. claiming ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedDigest:
    """A digest this worker won: send it, then record the outcome."""

    digest_id: int
    staff_id: int
    staff_name: str
    telegram_user_id: int
    view: DigestView


async def claimable_digest_ids(
    session: AsyncSession, *, today: date, now: datetime, limit: int = 50
) -> list[int]:
    """Today's digests ready to send; locked with SKIP LOCKED on PostgreSQL."""
    query = (
        select(Digest.id)
        .where(
            Digest.digest_date == today,
            or_(
                Digest.status == DeliveryStatus.PENDING,
                and_(Digest.status == DeliveryStatus.RETRY, Digest.next_attempt_at <= now),
            ),
        )
        .order_by(Digest.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.scalars(query)).all())


async def claim_digest(
    session: AsyncSession,
    digest_id: int,
    *,
    now: datetime,
    config: DigestSettings,
    directory: Directory | None = None,
) -> ClaimedDigest | None:
    """Compare-and-set ``pending|retry → sending``; on success attach stages and compose.

    Returns ``None`` when another worker won. Commit before sending.
    """
    won = await session.execute(
        update(Digest)
        .where(
            Digest.id == digest_id,
            or_(
                Digest.status == DeliveryStatus.PENDING,
                and_(Digest.status == DeliveryStatus.RETRY, Digest.next_attempt_at <= now),
            ),
        )
        .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=Digest.attempts + 1)
    )
    if rowcount(won) != 1:
        return None
    digest = await session.get_one(Digest, digest_id)
    staff_id, today = digest.staff_id, digest.digest_date

    # Attach this person's not yet carried stages, then mark everything carried as sending.
    loose = (
        await session.scalars(
            select(Notification.id)
            .outerjoin(DigestNotification, DigestNotification.notification_id == Notification.id)
            .where(
                Notification.recipient_staff_id == staff_id,
                Notification.status == DeliveryStatus.PENDING,
                DigestNotification.digest_id.is_(None),
            )
        )
    ).all()
    if loose:
        await session.execute(
            insert(DigestNotification),
            [{"notification_id": n, "digest_id": digest_id} for n in loose],
        )
    carried_ids = select(DigestNotification.notification_id).where(
        DigestNotification.digest_id == digest_id
    )
    await session.execute(
        update(Notification)
        .where(Notification.id.in_(carried_ids))
        .values(status=DeliveryStatus.SENDING)
    )
    carried = (
        await session.execute(
            select(Notification.deadline_id, Notification.stage).where(
                Notification.id.in_(carried_ids)
            )
        )
    ).all()
    new_stages: dict[int, list[str]] = defaultdict(list)
    for deadline_id, stage in carried:
        new_stages[deadline_id].append(stage)

    directory = directory or await load_directory(session)
    person = directory.people[staff_id]
    view, reported = await _compose(session, directory, person, today, config, new_stages)
    digest.deadline_ids = view.deadline_ids
    digest.reported_digest_ids = reported
    return ClaimedDigest(digest_id, staff_id, person.name, person.telegram_user_id, view)


def _item(
    d: Deadline, ref: str | None, directory: Directory, stages: Iterable[str] = ()
) -> DigestItem:
    owner = directory.people.get(d.owner_staff_id) if d.owner_staff_id is not None else None
    return DigestItem(
        deadline_id=d.id,
        kind=d.kind,
        due=d.due_date,
        client_ref=ref,
        title=d.title,
        owner_name=owner.name if owner else None,
        new_stages=tuple(sorted(stages)),
    )


async def _compose(
    session: AsyncSession,
    directory: Directory,
    person: Person,
    today: date,
    config: DigestSettings,
    new_stages: dict[int, list[str]],
) -> tuple[DigestView, list[int]]:
    """Build one person's digest from the database."""
    soon_limit = today + timedelta(days=config.soon_days)
    orphan_owner = person.is_teamleider and directory.team_lead.get(person.team_id) == (
        person.staff_id
    )
    owned = Deadline.owner_staff_id == person.staff_id
    if orphan_owner:
        inactive = [p.staff_id for p in directory.people.values() if not p.active]
        owned = or_(
            owned,
            and_(
                Deadline.team_id == person.team_id,
                or_(Deadline.owner_staff_id.is_(None), Deadline.owner_staff_id.in_(inactive)),
            ),
        )
    rows = await session.execute(
        select(Deadline, Client.ref)
        .outerjoin(Client, Client.id == Deadline.client_id)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            owned,
            or_(Deadline.due_date <= soon_limit, Deadline.id.in_(list(new_stages))),
        )
    )
    own = [_item(d, ref, directory, new_stages.get(d.id, ())) for d, ref in rows]
    escalated: list[DigestItem] = []
    undelivered: list[Undelivered] = []
    reported: list[int] = []
    if person.is_teamleider:
        esc_rows = await session.execute(
            select(Deadline, Client.ref, Notification.stage)
            .join(Notification, Notification.deadline_id == Deadline.id)
            .outerjoin(Client, Client.id == Deadline.client_id)
            .where(
                Deadline.team_id == person.team_id,
                Deadline.status == DeadlineStatus.OPEN,
                Notification.stage.like("escalation%"),
            )
        )
        seen: set[int] = set()
        for d, ref, stage in esc_rows:
            if is_current_escalation(stage, d.postponements) and d.id not in seen:
                seen.add(d.id)
                escalated.append(_item(d, ref, directory, new_stages.get(d.id, ())))
        failed_rows = await session.execute(
            select(Digest.id, Digest.staff_id, Digest.digest_date, Digest.status).where(
                Digest.team_id == person.team_id,
                Digest.status.in_((DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN)),
                Digest.reported_at.is_(None),
                Digest.staff_id != person.staff_id,
            )
        )
        for digest_id, staff_id, on, status in failed_rows:
            colleague = directory.people.get(staff_id)
            undelivered.append(Undelivered(colleague.name if colleague else "?", on, status))
            reported.append(digest_id)
    view = compose_digest(
        today, own, soon_days=config.soon_days, escalated=escalated, undelivered=undelivered
    )
    return view, reported


# --- 4. outcomes ------------------------------------------------------------------------------


async def _settle(
    session: AsyncSession,
    digest_id: int,
    status: DeliveryStatus,
    now: datetime,
    *,
    error: str | None = None,
    retry_at: datetime | None = None,
    text: str | None = None,
) -> bool:
    values: dict[str, Any] = {"status": status, "error": error}
    if status == DeliveryStatus.SENT:
        values["sent_at"] = now
    if status == DeliveryStatus.RETRY:
        values["next_attempt_at"] = retry_at
    if text is not None:
        values["text"] = text
    result = await session.execute(
        update(Digest)
        .where(Digest.id == digest_id, Digest.status == DeliveryStatus.SENDING)
        .values(**values)
    )
    if rowcount(result) != 1:
        return False
    carried = select(DigestNotification.notification_id).where(
        DigestNotification.digest_id == digest_id
    )
    note: dict[str, Any] = {"status": status, "error": error}
    if status == DeliveryStatus.SENT:
        note["sent_at"] = now
    if status == DeliveryStatus.RETRY:
        note["next_attempt_at"] = retry_at
    await session.execute(
        update(Notification)
        .where(Notification.id.in_(carried))
        .values(attempts=Notification.attempts + 1, **note)
    )
    return True


async def record_outcome(
    session: AsyncSession,
    digest_id: int,
    outcome: DeliveryStatus,
    *,
    now: datetime,
    text: str | None = None,
    error: str | None = None,
    retry_after: timedelta | None = None,
) -> bool:
    """Store how a send went; only a ``sending`` digest changes (``False`` otherwise)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    retry_at = (
        now + (retry_after or timedelta(seconds=30)) if outcome == DeliveryStatus.RETRY else None
    )
    changed = await _settle(
        session, digest_id, outcome, now, error=error, retry_at=retry_at, text=text
    )
    if changed and outcome == DeliveryStatus.SENT:
        digest = await session.get_one(Digest, digest_id)
        if digest.reported_digest_ids:
            await session.execute(
                update(Digest)
                .where(Digest.id.in_(digest.reported_digest_ids))
                .values(reported_at=now)
            )
    return changed


# --- reading the ledger -----------------------------------------------------------------------


@dataclass(frozen=True)
class DigestRecord:
    """A digest as stored (for tests, the demo and the teamleider)."""

    id: int
    staff_id: int
    digest_date: date
    status: str
    deadline_ids: list[int]
    text: str | None


async def digests_on(session: AsyncSession, day: date) -> list[DigestRecord]:
    """Every digest row of ``day``."""
    rows = await session.scalars(
        select(Digest).where(Digest.digest_date == day).order_by(Digest.staff_id)
    )
    return [
        DigestRecord(d.id, d.staff_id, d.digest_date, d.status, list(d.deadline_ids), d.text)
        for d in rows
    ]


async def ledger_counts(session: AsyncSession) -> dict[str, int]:
    """Notification rows per status."""
    rows = await session.execute(
        select(Notification.status, func.count()).group_by(Notification.status)
    )
    return {status: count for status, count in rows}


def stage_round(key: str) -> int | None:
    """The postponement round of a ledger key (``None`` for the forced escalation)."""
    return parse_stage_key(key)[1]


async def force_escalation(
    session: AsyncSession, deadline_id: int, *, now: datetime, directory: Directory | None = None
) -> bool:
    """Escalate a deadline to the teamleider now (a refused postponement); once per deadline."""
    deadline = await session.get_one(Deadline, deadline_id)
    directory = directory or await load_directory(session)
    lead = directory.team_lead.get(deadline.team_id)
    # Core execution on the session's connection: an ORM insert result has no rowcount.
    connection = await session.connection()
    result = await connection.execute(
        _insert(session, Notification),
        {
            "deadline_id": deadline_id,
            "stage": FORCED_ESCALATION,
            "recipient_staff_id": lead,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        },
    )
    return rowcount(result) > 0


def chunk(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    """``ids`` in slices of ``size`` (keeps IN lists short)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
