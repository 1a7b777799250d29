"""The reminder engine's storage: plan due stages into the ledger, claim digests, record outcomes.

The flow of one sweep (``jobs.deadlines.sweep``), each step its own committed transaction:

1. :func:`recover_stale`: digests left in ``sending`` by a dead worker become ``unknown`` (never
   resent; the teamleider is told).
2. :func:`plan_day` (working days, from the digest time on): every stage whose date has come and
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
from typing import Any
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
from bot.core.vocabulary import DeadlineKind, Stage
from bot.deadlines.rules import (
    FORCED_ESCALATION,
    DigestItem,
    DigestView,
    Undelivered,
    compose_digest,
    parse_stage_key,
    stage_key,
    stages_due_on,
)
from bot.deadlines.settings import DeadlinesConfig
from storage.models import (
    Client,
    Deadline,
    Digest,
    DigestNotification,
    Notification,
    Staff,
    StaffRole,
)

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
RETRY = "retry"
FAILED = "failed"
UNKNOWN = "unknown"
SUPERSEDED = "superseded"
#: Nothing to say after all (e.g. the only item was resolved in between): nothing sent.
EMPTY = "empty"
#: Outcomes the job reports after a send attempt.
OUTCOMES = frozenset({SENT, RETRY, FAILED, UNKNOWN, EMPTY})


# --- who gets what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A staff member as the engine needs them."""

    staff_id: int
    team_id: int
    name: str
    telegram_user_id: int
    active: bool
    is_teamleider: bool


@dataclass(frozen=True)
class Directory:
    """Staff by id and each team's lead teamleider (the lowest id), loaded once per step."""

    people: dict[int, Person]
    team_lead: dict[int, int]

    def recipient(self, team_id: int, owner_staff_id: int | None, stage: Stage) -> int | None:
        """Who is told: the active owner; the teamleider for escalations and orphaned deadlines."""
        if stage is not Stage.ESCALATION and owner_staff_id is not None:
            owner = self.people.get(owner_staff_id)
            if owner is not None and owner.active:
                return owner.staff_id
        return self.team_lead.get(team_id)

    def owner_of(self, team_id: int, owner_staff_id: int | None) -> int | None:
        """Whose list an open deadline is on (its owner, or the teamleider when orphaned)."""
        return self.recipient(team_id, owner_staff_id, Stage.DUE)


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


def is_current_escalation(key: str, postponements: int) -> bool:
    """Whether ledger key ``key`` escalates the deadline as it stands (not an earlier round)."""
    return key == FORCED_ESCALATION or key == stage_key(Stage.ESCALATION, postponements)


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
                select(Digest.id).where(Digest.status == SENDING, Digest.claimed_at <= cutoff)
            )
        ).all()
    )
    for digest_id in ids:
        await _settle(session, digest_id, UNKNOWN, now, error="claimed, outcome never recorded")
    return len(ids)


# --- 2. planning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanResult:
    """What one planning step did."""

    notifications: int
    #: Digest rows ensured (inserted unless one already existed for that person and day).
    digests: int


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


def _may_need_a_stage(today: date, config: DeadlinesConfig) -> Any:
    """SQL filter: open deadlines that may have a stage due and not in the ledger yet.

    A superset (dates with slack for working-day moves); ``stages_due_on`` decides exactly. In
    the steady state almost every open deadline is excluded by an index seek, so a sweep stays
    cheap however many deadlines are open.
    """

    def due_by(days: int) -> Any:
        return Deadline.due_date <= today + timedelta(days=days)

    pre_by_days: dict[int, list[str]] = defaultdict(list)
    for kind in DeadlineKind:
        if config.pre_days_for(kind) > 0:
            pre_by_days[config.pre_days_for(kind)].append(kind.value)
    known = [kind.value for kind in DeadlineKind]
    default_pre = config.pre_days_for(DeadlineKind.ACTION_ITEM)
    pre_windows = [
        and_(Deadline.kind.in_(kinds), due_by(days + _SLACK_DAYS))
        for days, kinds in pre_by_days.items()
    ]
    if default_pre > 0:
        pre_windows.append(and_(Deadline.kind.not_in(known), due_by(default_pre + _SLACK_DAYS)))
    clauses = [
        and_(due_by(_SLACK_DAYS), _missing(_round_key(Stage.DUE))),
        and_(
            due_by(_SLACK_DAYS - config.escalation_days),
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


async def plan_day(
    session: AsyncSession,
    *,
    today: date,
    now: datetime,
    tz: tzinfo,
    config: DeadlinesConfig,
) -> PlanResult:
    """Insert due stages into the ledger and a pending digest for everyone with news.

    Idempotent: run it as often as you like on a day, from any number of workers.
    """
    directory = await load_directory(session)
    policy = config.stage_policy
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
            ).where(Deadline.status == "open", _may_need_a_stage(today, config))
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

    new_rows: list[dict[str, Any]] = []
    for d_id, team_id, kind, due, created_at, rounds, owner in rows:
        for stage in stages_due_on(
            today,
            due,
            _local_date(created_at, tz),
            rounds,
            policy,
            ledger.get(d_id, ()),
            config.pre_days_for(kind),
        ):
            recipient = directory.recipient(team_id, owner, stage.stage)
            new_rows.append(
                {
                    "deadline_id": d_id,
                    "stage": stage.key,
                    "recipient_staff_id": recipient,
                    "status": PENDING,
                    "attempts": 0,
                    "created_at": now,
                }
            )
    # Everyone with something due soon, today or overdue gets a digest.
    soon_limit = today + timedelta(days=config.soon_days)
    recipients: set[int] = set()
    for team_id, owner in await session.execute(
        select(Deadline.team_id, Deadline.owner_staff_id)
        .where(Deadline.status == "open", Deadline.due_date <= soon_limit)
        .distinct()
    ):
        owner_id = directory.owner_of(team_id, owner)
        if owner_id is not None:
            recipients.add(owner_id)
    if new_rows:
        # One global order, so two workers inserting the same keys on PostgreSQL wait for each
        # other instead of deadlocking.
        new_rows.sort(key=lambda row: (row["deadline_id"], row["stage"]))
        await session.execute(_insert(session, Notification), new_rows)

    # Anyone with a pending (not yet carried) stage, escalations to read or colleagues' failures.
    recipients.update(
        r
        for r in (
            await session.scalars(
                select(Notification.recipient_staff_id)
                .outerjoin(
                    DigestNotification, DigestNotification.notification_id == Notification.id
                )
                .where(Notification.status == PENDING, DigestNotification.digest_id.is_(None))
                .distinct()
            )
        ).all()
        if r is not None
    )
    teams_with_escalations = {
        team_id
        for team_id, key, rounds in await session.execute(
            select(Deadline.team_id, Notification.stage, Deadline.postponements)
            .join(Notification, Notification.deadline_id == Deadline.id)
            .where(Deadline.status == "open", Notification.stage.like("escalation%"))
        )
        if is_current_escalation(key, rounds)
    }
    teams_with_failures = set(
        (
            await session.scalars(
                select(Digest.team_id)
                .where(Digest.status.in_((FAILED, UNKNOWN)), Digest.reported_at.is_(None))
                .distinct()
            )
        ).all()
    )
    for team_id in teams_with_escalations | teams_with_failures:
        lead = directory.team_lead.get(team_id)
        if lead is not None:
            recipients.add(lead)
    recipients = {r for r in recipients if r in directory.people and directory.people[r].active}

    # An unsent digest of an earlier day gives its stages to today's.
    stale = list(
        (
            await session.scalars(
                select(Digest.id).where(
                    Digest.digest_date < today, Digest.status.in_((PENDING, RETRY))
                )
            )
        ).all()
    )
    if stale:
        await session.execute(
            update(Notification)
            .where(
                Notification.id.in_(
                    select(DigestNotification.notification_id).where(
                        DigestNotification.digest_id.in_(stale)
                    )
                )
            )
            .values(status=PENDING)
        )
        await session.execute(
            delete(DigestNotification).where(DigestNotification.digest_id.in_(stale))
        )
        await session.execute(update(Digest).where(Digest.id.in_(stale)).values(status=SUPERSEDED))

    digest_rows = [
        {
            "team_id": directory.people[r].team_id,
            "staff_id": r,
            "digest_date": today,
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
            "deadline_ids": [],
            "reported_digest_ids": [],
        }
        for r in sorted(recipients)
    ]
    if digest_rows:
        await session.execute(_insert(session, Digest), digest_rows)
    return PlanResult(len(new_rows), len(digest_rows))


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
                Digest.status == PENDING,
                and_(Digest.status == RETRY, Digest.next_attempt_at <= now),
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
    config: DeadlinesConfig,
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
                Digest.status == PENDING,
                and_(Digest.status == RETRY, Digest.next_attempt_at <= now),
            ),
        )
        .values(status=SENDING, claimed_at=now, attempts=Digest.attempts + 1)
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
                Notification.status == PENDING,
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
        update(Notification).where(Notification.id.in_(carried_ids)).values(status=SENDING)
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
    config: DeadlinesConfig,
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
            Deadline.status == "open",
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
                Deadline.status == "open",
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
                Digest.status.in_((FAILED, UNKNOWN)),
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
    status: str,
    now: datetime,
    *,
    error: str | None = None,
    retry_at: datetime | None = None,
    text: str | None = None,
) -> bool:
    values: dict[str, Any] = {"status": status, "error": error}
    if status == SENT:
        values["sent_at"] = now
    if status == RETRY:
        values["next_attempt_at"] = retry_at
    if text is not None:
        values["text"] = text
    result = await session.execute(
        update(Digest).where(Digest.id == digest_id, Digest.status == SENDING).values(**values)
    )
    if rowcount(result) != 1:
        return False
    carried = select(DigestNotification.notification_id).where(
        DigestNotification.digest_id == digest_id
    )
    note: dict[str, Any] = {"status": status, "error": error}
    if status == SENT:
        note["sent_at"] = now
    if status == RETRY:
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
    outcome: str,
    *,
    now: datetime,
    text: str | None = None,
    error: str | None = None,
    retry_after: timedelta | None = None,
) -> bool:
    """Store how a send went; only a ``sending`` digest changes (``False`` otherwise)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    retry_at = now + (retry_after or timedelta(seconds=30)) if outcome == RETRY else None
    changed = await _settle(
        session, digest_id, outcome, now, error=error, retry_at=retry_at, text=text
    )
    if changed and outcome == SENT:
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
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
        },
    )
    return rowcount(result) > 0


def chunk(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    """``ids`` in slices of ``size`` (keeps IN lists short)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
