"""Importing an existing caseload: the one place the use case is orchestrated.

One transaction per import: "nothing is written unless every row is valid" is then a property of
the database, not of our bookkeeping, and a crash half-way leaves the team as it was. A dry run is
the same import rolled back, so it reports exactly what a real one would do.

Rows are handled in chunks of :data:`CHUNK`, each at a fixed number of statements whatever its
size: one query loads the chunk's existing clients by reference key, another what they already
have; new clients, history, ontheffingen, contacts and deadlines go in as one insert each. The
deadlines a row implies (ontheffing review and yearly contact, participation contact, statushouder
check, loonwaardemeting after an LKS placement) are dated by the same pure rules the bot's
services use (:mod:`bot.deadlines.rules`), so an imported client has exactly the deadlines it
would have had if entered in chat. Trajecten and LKS placements, rare in such a file, go through
their features' own services row by row (a few statements for each such row only).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.caseload.rules import (
    HEADERS,
    CaseloadRow,
    FileProblem,
    RowProblem,
    Vocabulary,
    choices_of,
    parse_file,
)
from bot.caselog.catalog import ENTITLEMENTS
from bot.caselog.references import BadReference, validate
from bot.core.clock import AMSTERDAM
from bot.core.vocabulary import (
    AgendaStatus,
    AuditAction,
    AuditResult,
    CaseItemKind,
    ClientStatus,
    ContactKind,
    DeadlineKind,
    DeadlineSource,
    DeadlineStatus,
    ExemptionStatus,
    HistoryField,
    ImportedContact,
)
from bot.deadlines.rules import (
    DEFAULT_CATALOGUE,
    STATUS_HOLDER_TAG,
    exemption_review_due,
    next_recurring_due,
    participation_due,
    status_holder_check_due,
    working_due,
)
from bot.deadlines.settings import DeadlinesConfig
from bot.route.exit_rules import first_assessment_due
from bot.route.traject_service import start_trajectory
from bot.settings import TeamSettings
from storage import audit, caseload, placements
from storage import caselog as items
from storage import deadlines as deadline_store
from storage.db import Database
from storage.deadlines import Decision
from storage.models import Client

#: Rows per chunk: one lookup query each, small enough for any database's parameter limit.
CHUNK = 500

#: Statuses that get participation contacts (as ``bot.deadlines.service``).
_ACTIVE = (ClientStatus.REGISTERED, ClientStatus.ACTIVE)

Progress = Callable[[int, int], Awaitable[None]]


@dataclass
class ImportReport:
    """What an import did (or, refused or as a dry run, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    history_rows: int = 0
    deadlines: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    file_problem: str | None = None
    file_problem_column: str | None = None
    written: bool = False
    dry_run: bool = False
    skip_invalid: bool = False

    @property
    def refused(self) -> bool:
        """Nothing was written because of problems (a dry run is not refused)."""
        return self.file_problem is not None or (bool(self.problems) and not self.skip_invalid)

    @property
    def bad_lines(self) -> int:
        """How many lines have a problem."""
        return len({p.line for p in self.problems})


class _DryRun(Exception):
    """Raised at the end of a dry run so its transaction is rolled back."""


def vocabulary_for(team: TeamSettings) -> Vocabulary:
    """The team's lists: what a category, doelgroep or instrument cell may say."""
    caselog = team.caselog
    return Vocabulary(
        categories=choices_of([(c.code, c.label) for c in caselog.categories]),
        subcategories=choices_of([(c.code, c.label) for c in caselog.subcategories]),
        tags=choices_of([(c.code, c.label) for c in caselog.tags]),
        entitlements=choices_of([(c.code, c.label) for c in ENTITLEMENTS]),
        instruments=choices_of([(c.code, c.label) for c in caselog.instruments]),
    )


def _owner_lookup(members: list[deadline_store.TeamMember]) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for member in members:
        lookup[str(member.telegram_user_id)] = member.staff_id
        lookup[member.name.casefold()] = member.staff_id
    return lookup


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


async def import_caseload(
    db: Database,
    *,
    team: TeamSettings,
    team_id: int,
    filename: str,
    data: bytes,
    now: datetime,
    actor_staff_id: int | None = None,
    actor_telegram_id: int | None = None,
    chat_type: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``data`` (CSV or XLSX) into the team ``team_id``; see the module docstring."""
    today = now.astimezone(AMSTERDAM).date()
    report = ImportReport(dry_run=dry_run, skip_invalid=skip_invalid)
    try:

        def check_ref(text: str) -> str | None:
            try:
                return validate(text, team.reference_rule)
            except BadReference:
                return None

        parsed = parse_file(filename, data, vocabulary_for(team), check_ref, today)
    except FileProblem as problem:
        report.file_problem, report.file_problem_column = problem.code, problem.column
        return report
    report.problems = list(parsed.problems)
    try:
        async with db.sessions() as session, session.begin():
            owners = _owner_lookup(await deadline_store.active_members(session, team_id))
            rows: list[tuple[CaseloadRow, int | None]] = []
            for row in parsed.rows:
                owner = owners.get(row.owner.casefold()) if row.owner else None
                if row.owner and owner is None:
                    report.problems.append(RowProblem(row.line, "unknown_owner", HEADERS["owner"]))
                    continue
                if owner is None and (row.exemption or row.trajecten):
                    # Its review or end needs someone to remind: the bot never makes an orphan.
                    report.problems.append(RowProblem(row.line, "owner_needed", HEADERS["owner"]))
                    continue
                rows.append((row, owner))
            report.problems.sort(key=lambda p: p.line)
            report.rows = len(rows) + report.bad_lines
            if report.refused:
                return report
            done = 0
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                await _import_chunk(session, chunk, team, team_id, report, now, today)
                done += len(chunk)
                if progress is not None:
                    await progress(done, len(rows))
            await audit.record(
                session,
                at=now,
                action=AuditAction.CASELOAD_IMPORT,
                result=AuditResult.OK,
                actor_telegram_id=actor_telegram_id,
                actor_staff_id=actor_staff_id,
                object=f"nieuw:{report.created} gewijzigd:{report.updated} fout:{report.bad_lines}",
                chat_type=chat_type,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    report.written = True
    return report


async def _import_chunk(
    session: AsyncSession,
    chunk: list[tuple[CaseloadRow, int | None]],
    team: TeamSettings,
    team_id: int,
    report: ImportReport,
    now: datetime,
    today: date,
) -> None:
    existing = await caseload.clients_by_key(session, team_id, [row.key for row, _ in chunk])
    new_rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    changed: list[tuple[CaseloadRow, int | None, Client]] = []
    for row, owner in chunk:
        client = existing.get(row.key)
        if client is None:
            new_rows.append(_new_client(row, owner, team_id, now, today))
        else:
            changed.append((row, owner, client))
    ids = await caseload.insert_clients(session, new_rows)
    for values in new_rows:
        client_id = ids[values["ref_key"]]
        # The first classification dates from the client's start, as the file states it, so the
        # participation clock and the doorstroom matrix count from there, not from import day.
        at = _midnight(values["entered_on"])
        events.append(_event(client_id, at, HistoryField.STATUS, None, values["status"]))
        if values["category"]:
            events.append(_event(client_id, at, HistoryField.CATEGORY, None, values["category"]))
        if values["subcategory"]:
            events.append(
                _event(client_id, at, HistoryField.SUBCATEGORY, None, values["subcategory"])
            )
    for row, owner, client in changed:
        before = len(events)
        _update(client, row, owner, events, now)
        report.updated += int(len(events) > before)
        report.unchanged += int(len(events) == before)
    report.created += len(new_rows)
    report.history_rows += len(events)
    await caseload.insert_events(session, events)
    await session.flush()
    known = await caseload.known_facts(session, [c.id for _, _, c in changed])
    changed_ids = {e["client_id"] for e in events}
    new_by_key = {v["ref_key"]: v for v in new_rows}
    plans: list[_Planned] = []
    for row, owner in chunk:
        key = row.key
        found = existing.get(key)
        if found is None:
            values = new_by_key[key]
            plans.append(
                _Planned(
                    row,
                    owner,
                    ids[key],
                    new=True,
                    changed=True,
                    category=values["category"],
                    status=values["status"],
                    owner_staff_id=owner,
                    entered_on=values["entered_on"],
                    tags=tuple(values["tags"]),
                )
            )
        else:
            plans.append(
                _Planned(
                    row,
                    owner,
                    found.id,
                    new=False,
                    changed=found.id in changed_ids,
                    category=found.category,
                    status=found.status,
                    owner_staff_id=found.owner_staff_id,
                    entered_on=found.entered_on or found.created_at.date(),
                    tags=tuple(found.tags or ()),
                )
            )
    report.deadlines += await _implied(session, plans, known, team, team_id, now, today)


@dataclass(frozen=True)
class _Planned:
    """A row of the chunk with its client as it stands after the row was applied."""

    row: CaseloadRow
    owner: int | None
    client_id: int
    new: bool
    #: New, or a tracked field (category, status, owner) changed: the deadlines are re-decided.
    changed: bool
    category: str | None
    status: str
    owner_staff_id: int | None
    entered_on: date
    tags: tuple[str, ...]


def _new_client(
    row: CaseloadRow, owner: int | None, team_id: int, now: datetime, today: date
) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "ref": row.ref,
        "ref_key": row.key,
        "owner_staff_id": owner,
        "category": row.category,
        "subcategory": row.subcategory,
        "tags": list(row.tags),
        "status": _status(row),
        "exit_reason": None,
        "entitlement": row.entitlement,
        "benefit_start": row.benefit_start,
        "entered_on": row.benefit_start or today,
        "created_at": now,
        "updated_at": now,
    }


def _status(row: CaseloadRow) -> str:
    return ClientStatus.PLACED if row.lks_start is not None else row.status


def _event(
    client_id: int, at: datetime, field_: str, old: str | None, new: str | None
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "at": at,
        "actor_staff_id": None,
        "field": field_,
        "old_value": old,
        "new_value": new,
        "reason": "import",
    }


def _update(
    client: Client,
    row: CaseloadRow,
    owner: int | None,
    events: list[dict[str, Any]],
    now: datetime,
) -> None:
    """Apply a row to an existing client; every real change of a tracked field is history.

    An empty cell leaves the stored value alone: a file that lacks a column does not wipe it.
    """
    tracked: list[tuple[str, str, str | None, str | None]] = []
    if row.category is not None:
        tracked.append((HistoryField.CATEGORY, "category", client.category, row.category))
    if row.subcategory is not None:
        tracked.append(
            (HistoryField.SUBCATEGORY, "subcategory", client.subcategory, row.subcategory)
        )
    tracked.append((HistoryField.STATUS, "status", client.status, _status(row)))
    for history_field, attribute, old, new in tracked:
        if old != new:
            events.append(_event(client.id, now, history_field, old, new))
            setattr(client, attribute, new)
    if owner is not None and client.owner_staff_id != owner:
        old_owner = str(client.owner_staff_id) if client.owner_staff_id else None
        events.append(_event(client.id, now, HistoryField.OWNER, old_owner, str(owner)))
        client.owner_staff_id = owner
    untracked = {
        "tags": list(row.tags) if row.tags else client.tags,
        "entitlement": row.entitlement or client.entitlement,
        "benefit_start": row.benefit_start or client.benefit_start,
    }
    for attribute, value in untracked.items():
        if getattr(client, attribute) != value:
            setattr(client, attribute, value)
            client.updated_at = now
    if any(e["client_id"] == client.id for e in events):
        client.updated_at = now


def _deadline(
    team_id: int,
    kind: DeadlineKind,
    due: date,
    owner: int | None,
    client_id: int,
    source_type: DeadlineSource,
    source_id: int,
    now: datetime,
) -> dict[str, Any]:
    """A new open deadline's columns (every key present, so one chunk is one statement)."""
    return {
        "team_id": team_id,
        "client_id": client_id,
        "kind": kind.value,
        "title": None,
        "due_date": due,
        "owner_staff_id": owner,
        "status": DeadlineStatus.OPEN.value,
        "source_type": source_type.value,
        "source_id": source_id,
        "postponements": 0,
        "created_at": now,
    }


async def _implied(
    session: AsyncSession,
    plans: list[_Planned],
    known: caseload.KnownFacts,
    team: TeamSettings,
    team_id: int,
    now: datetime,
    today: date,
) -> int:
    """Store the chunk's ontheffingen, contacts, trajecten and placements when not yet known, and
    the deadlines the bot makes for each; returns how many deadlines were made.

    The dates come from the same pure rules the bot's services use (:mod:`bot.deadlines.rules`),
    applied to facts loaded for the whole chunk, and every new deadline of the chunk goes in as
    one insert: the number of statements does not grow with the rows. Trajecten and LKS
    placements, rare in a caseload file, go through their features' own services row by row.
    """
    config = team.deadlines
    deadline_rows: list[dict[str, Any]] = []
    exemption_rows: list[dict[str, Any]] = []
    exemption_plans: list[tuple[_Planned, date]] = []
    contact_rows: list[dict[str, Any]] = []
    for plan in plans:
        exemption = plan.row.exemption
        if (
            exemption is not None
            and plan.owner is not None
            and (plan.client_id, exemption.scope.value, exemption.reason.value, exemption.start)
            not in known.exemptions
        ):
            # As deadlines.create_exemption: the review on a working day (art. 9a is refused
            # by the rules, it has its own form).
            review = working_due(
                exemption.review
                or exemption_review_due(
                    exemption.start,
                    exemption.reason,
                    review_months=config.review_months,
                    end=exemption.end,
                )
            )
            decision = Decision(exemption.start, exemption.basis) if exemption.basis else None
            exemption_rows.append(
                {
                    "team_id": team_id,
                    "client_id": plan.client_id,
                    "scope": exemption.scope.value,
                    "reason": exemption.reason.value,
                    "start_date": exemption.start,
                    "end_date": exemption.end,
                    "youngest_turns_five": None,
                    "review_date": review,
                    "status": ExemptionStatus.ACTIVE.value,
                    "created_by_staff_id": plan.owner,
                    "created_at": now,
                    "request_date": None,
                    "months_used_before": None,
                    "decision_date": decision.decision_date if decision else None,
                    "basis": decision.basis.value if decision else None,
                    "basis_note": None,
                    "case_number": None,
                }
            )
            exemption_plans.append((plan, review))
        contact = plan.row.last_contact
        if contact is not None and (plan.client_id, contact) not in known.contacts:
            contact_rows.append(
                {
                    "team_id": team_id,
                    "client_id": plan.client_id,
                    "kind": ContactKind.FACE_TO_FACE.value,
                    "contact_date": contact,
                    "outcome": ImportedContact.UNKNOWN.value,
                    "note": None,
                    # No staff member: nobody in the bot held it.
                    "staff_id": None,
                    "created_at": now,
                }
            )
    exemption_ids = await caseload.insert_exemptions(session, exemption_rows)
    yearly = DEFAULT_CATALOGUE[DeadlineKind.EXEMPTION_CONTACT]
    for plan, review in exemption_plans:
        assert plan.owner is not None and plan.row.exemption is not None
        # One row per client in a file (a second is refused), so one new ontheffing per client.
        exemption_id = exemption_ids[plan.client_id]
        deadline_rows.append(
            _deadline(
                team_id,
                DeadlineKind.EXEMPTION_REVIEW,
                review,
                plan.owner,
                plan.client_id,
                DeadlineSource.EXEMPTION,
                exemption_id,
                now,
            )
        )
        if config.exemption_yearly_contact:
            # As deadlines._yearly_contact: a year after the ontheffing's start (003:L367).
            due = next_recurring_due(plan.row.exemption.start, yearly)
            assert due is not None
            deadline_rows.append(
                _deadline(
                    team_id,
                    DeadlineKind.EXEMPTION_CONTACT,
                    due,
                    plan.owner,
                    plan.client_id,
                    DeadlineSource.EXEMPTION,
                    exemption_id,
                    now,
                )
            )
    await caseload.insert_contacts(session, contact_rows)
    with_exemption = {plan.client_id for plan, _ in exemption_plans}
    with_contact = {row["client_id"] for row in contact_rows}
    deadline_rows.extend(
        await _participation(
            session,
            [
                p
                for p in plans
                if p.changed or p.client_id in with_exemption or p.client_id in with_contact
            ],
            team_id,
            config,
            now,
            today,
        )
    )
    deadline_rows.extend(await _status_holder_checks(session, plans, team_id, config, now, today))
    trajecten = 0
    for plan in plans:
        trajecten += await _trajecten(session, plan, known, team, team_id, now)
        deadline_rows.extend(await _placement(session, plan, known, team_id, now))
    await caseload.insert_deadlines(session, deadline_rows)
    return len(deadline_rows) + trajecten


async def _participation(
    session: AsyncSession,
    plans: list[_Planned],
    team_id: int,
    config: DeadlinesConfig,
    now: datetime,
    today: date,
) -> list[dict[str, Any]]:
    """:func:`bot.deadlines.service.ensure_participation_deadline` for a whole chunk: the facts
    in four queries, the decision by the same rule (:func:`participation_due`); returns the
    deadlines to create (open ones are moved or closed here)."""
    facts = await caseload.participation_facts(session, [p.client_id for p in plans], today)
    new: list[dict[str, Any]] = []
    moves: list[tuple[int, date]] = []
    closed: dict[str, list[int]] = {}
    for plan in plans:
        full = plan.client_id in facts.full_exemption
        first_months, interval_months = config.contact_months(plan.category)
        changes = [
            (at.astimezone(AMSTERDAM).date(), old, new_)
            for at, old, new_ in facts.category_changes.get(plan.client_id, [])
        ]
        due = participation_due(
            category=plan.category,
            active=plan.status in _ACTIVE,
            entered_on=plan.entered_on,
            category_changes=changes,
            contacts=facts.contacts.get(plan.client_id, []),
            full_exemption=full,
            categories=config.participation_categories,
            contacts_with_full_exemption=config.participation_with_full_exemption,
            first_within_months=first_months,
            interval_months=interval_months,
        )
        open_ = facts.open_deadlines.get(plan.client_id, [])
        if due is None:
            note = "categorie" if not full else "ontheffing"
            closed.setdefault(note, []).extend(d.id for d in open_)
        elif open_:
            if open_[0].due_date != due and open_[0].postponements == 0:
                moves.append((open_[0].id, due))
        else:
            new.append(
                _deadline(
                    team_id,
                    DeadlineKind.PARTICIPATION_CONTACT,
                    due,
                    plan.owner_staff_id,
                    plan.client_id,
                    DeadlineSource.CLIENT,
                    plan.client_id,
                    now,
                )
            )
    await caseload.set_due_dates(session, moves)
    for note, ids in closed.items():
        await caseload.close_not_applicable(session, ids, now=now, note=note)
    return new


async def _status_holder_checks(
    session: AsyncSession,
    plans: list[_Planned],
    team_id: int,
    config: DeadlinesConfig,
    now: datetime,
    today: date,
) -> list[dict[str, Any]]:
    """:func:`bot.route.traject_service.status_holder_check_after_intake` for a chunk: once per
    client tagged statushouder, never a second one."""
    # As at intake: only a row that tags the client statushouder asks for the check.
    tagged = [p for p in plans if STATUS_HOLDER_TAG in p.row.tags]
    if not tagged:
        return []
    had = await caseload.clients_ever_had(
        session, [p.client_id for p in tagged], DeadlineKind.STATUS_HOLDER_REVIEW
    )
    return [
        _deadline(
            team_id,
            DeadlineKind.STATUS_HOLDER_REVIEW,
            status_holder_check_due(plan.entered_on, today, config.status_holder_review_months),
            plan.owner_staff_id,
            plan.client_id,
            DeadlineSource.CLIENT,
            plan.client_id,
            now,
        )
        for plan in tagged
        if plan.client_id not in had
    ]


async def _trajecten(
    session: AsyncSession,
    plan: _Planned,
    known: caseload.KnownFacts,
    team: TeamSettings,
    team_id: int,
    now: datetime,
) -> int:
    """The row's open trajecten, each through the route's own service (its end and limit
    deadlines included); returns how many were started."""
    started = 0
    owner = plan.owner
    for traject in plan.row.trajecten:
        if (plan.client_id, traject.instrument, traject.start) in known.trajecten or owner is None:
            continue
        item = await items.add_item(
            session,
            team_id=team_id,
            client_id=plan.client_id,
            author_staff_id=owner,
            kind=CaseItemKind.TRAJECTORY,
            text=None,
            data={
                "instrument": traject.instrument,
                "start": traject.start.isoformat(),
                "end": traject.end.isoformat() if traject.end else None,
                "import": True,
            },
            now=now,
            agenda_status=AgendaStatus.INFO,
        )
        await start_trajectory(
            session,
            team_id=team_id,
            client_id=plan.client_id,
            case_item_id=item.id,
            instrument=traject.instrument,
            instrument_label=traject.instrument,
            start=traject.start,
            end=traject.end,
            owner_staff_id=owner,
            settings=team.trajecten,
            now=now,
        )
        started += 1
    return started


async def _placement(
    session: AsyncSession,
    plan: _Planned,
    known: caseload.KnownFacts,
    team_id: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """The row's LKS placement and its first loonwaardemeting."""
    start = plan.row.lks_start
    if start is None or (plan.client_id, start) in known.placements:
        return []
    placement = await placements.record_placement(
        session,
        team_id=team_id,
        client_id=plan.client_id,
        vacancy_id=None,
        kind=None,
        hours_per_week=None,
        start_date=start,
        with_lks=True,
        author_staff_id=None,
        now=now,
    )
    return [
        _deadline(
            team_id,
            DeadlineKind.WAGE_VALUE_ASSESSMENT,
            first_assessment_due(start),
            plan.owner,
            plan.client_id,
            DeadlineSource.PLACEMENT,
            placement.id,
            now,
        )
    ]
