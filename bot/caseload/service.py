"""Importing an existing caseload: the one place the use case is orchestrated.

One transaction per import: "nothing is written unless every row is valid" is then a property of
the database, not of our bookkeeping, and a crash half-way leaves the team as it was. A dry run is
the same import rolled back, so it reports exactly what a real one would do.

Rows are handled in chunks of :data:`CHUNK`: one query loads the chunk's existing clients by
reference key, new clients and their history go in as one insert each. The deadlines a row
implies are made by the bot's own service functions (ontheffing review, participation contact,
statushouder check, traject end and limit, loonwaardemeting after an LKS placement), so an
imported client has exactly the deadlines it would have had if entered in chat.
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
from bot.caselog.rules import reference_key
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
    HistoryField,
    ImportedContact,
)
from bot.deadlines import service as deadlines
from bot.deadlines.rules import STATUS_HOLDER_TAG, exemption_review_due
from bot.route.exit_rules import first_assessment_due
from bot.route.traject_service import start_trajectory, status_holder_check_after_intake
from bot.settings import TeamSettings
from storage import audit, caseload, placements
from storage import caselog as items
from storage import deadlines as deadline_store
from storage.db import Database
from storage.deadlines import Decision
from storage.models import Client

#: Rows per chunk: one lookup query each, small enough for any database's parameter limit.
CHUNK = 500

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
    existing = await caseload.clients_by_key(
        session, team_id, [reference_key(row.ref) for row, _ in chunk]
    )
    new_rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    changed: list[tuple[CaseloadRow, int | None, Client]] = []
    for row, owner in chunk:
        client = existing.get(reference_key(row.ref))
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
    for row, owner in chunk:
        key = reference_key(row.ref)
        found = existing.get(key)
        client_id = found.id if found is not None else ids[key]
        report.deadlines += await _implied(
            session, row, owner, client_id, found is None, known, team, team_id, now, today
        )


def _new_client(
    row: CaseloadRow, owner: int | None, team_id: int, now: datetime, today: date
) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "ref": row.ref,
        "ref_key": reference_key(row.ref),
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


async def _implied(
    session: AsyncSession,
    row: CaseloadRow,
    owner: int | None,
    client_id: int,
    new: bool,
    known: caseload.KnownFacts,
    team: TeamSettings,
    team_id: int,
    now: datetime,
    today: date,
) -> int:
    """Store the row's ontheffing, contact, trajecten and placement when not yet known, and
    the deadlines the bot makes for each; returns how many deadlines were made."""
    made = 0
    config = team.deadlines
    exemption = row.exemption
    if (
        exemption is not None
        and owner is not None
        and (
            client_id,
            exemption.scope.value,
            exemption.reason.value,
            exemption.start,
        )
        not in known.exemptions
    ):
        review = exemption.review or exemption_review_due(
            exemption.start,
            exemption.reason,
            review_months=config.review_months,
            end=exemption.end,
        )
        await deadlines.create_exemption(
            session,
            team_id=team_id,
            client_id=client_id,
            scope=exemption.scope,
            reason=exemption.reason,
            start=exemption.start,
            end=exemption.end,
            review_date=review,
            youngest_turns_five=None,
            owner_staff_id=owner,
            now=now,
            decision=Decision(exemption.start, exemption.basis) if exemption.basis else None,
            config=config,
        )
        made += 1 + int(config.exemption_yearly_contact)
    contact = row.last_contact
    if contact is not None and (client_id, contact) not in known.contacts:
        await caseload.insert_imported_contact(
            session,
            team_id=team_id,
            client_id=client_id,
            kind=ContactKind.FACE_TO_FACE,
            contact_date=contact,
            outcome=ImportedContact.UNKNOWN,
            now=now,
        )
    if new or contact is not None:
        # The bot's own rule decides whether and when: category, status, full ontheffing.
        before = await deadline_store.open_ids_of_kind(
            session, client_id, DeadlineKind.PARTICIPATION_CONTACT
        )
        if await deadlines.ensure_participation_deadline(
            session, client_id, config=config, now=now
        ):
            made += not before
    if STATUS_HOLDER_TAG in row.tags and await status_holder_check_after_intake(
        session, client_id=client_id, config=config, today=today, now=now
    ):
        made += 1
    for traject in row.trajecten:
        if (client_id, traject.instrument, traject.start) in known.trajecten or owner is None:
            continue
        item = await items.add_item(
            session,
            team_id=team_id,
            client_id=client_id,
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
            client_id=client_id,
            case_item_id=item.id,
            instrument=traject.instrument,
            instrument_label=traject.instrument,
            start=traject.start,
            end=traject.end,
            owner_staff_id=owner,
            settings=team.trajecten,
            now=now,
        )
        made += 1
    if row.lks_start is not None and (client_id, row.lks_start) not in known.placements:
        placement = await placements.record_placement(
            session,
            team_id=team_id,
            client_id=client_id,
            vacancy_id=None,
            kind=None,
            hours_per_week=None,
            start_date=row.lks_start,
            with_lks=True,
            author_staff_id=None,
            now=now,
        )
        await deadline_store.create_deadline(
            session,
            team_id=team_id,
            kind=DeadlineKind.WAGE_VALUE_ASSESSMENT.value,
            due_date=first_assessment_due(row.lks_start),
            owner_staff_id=owner,
            now=now,
            client_id=client_id,
            source_type=DeadlineSource.PLACEMENT,
            source_id=placement.id,
        )
        made += 1
    return made
