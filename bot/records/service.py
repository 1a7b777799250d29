"""Retention purge, inzage and wis: each one transaction, each audit-logged.

The purge writes one audit row per run with its counts; inzage and wis write one row naming the
reference (audit rows hold no content, so wis keeps them and the chain stays whole).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.core.clock import Clock
from bot.core.render import environment
from bot.core.vocabulary import AgendaStatus, AuditAction, AuditChannel, AuditResult
from bot.records.rules import Retention, cutoffs
from storage import audit, records, teams
from storage.db import Database
from storage.models import Client

#: The kinds the purge reports, in this order.
KINDS = ("items", "vacancies", "meetings", "deadlines", "clients", "forms", "strangers", "audit")
#: Case items the weekdate is done with (carried and pending ones are still on the agenda).
DONE_ITEMS = (AgendaStatus.DISCUSSED.value, AgendaStatus.INFO.value)


class RecordsError(Exception):
    """A reference that cannot be acted on (unknown, or in several teams without --team)."""


async def purge(
    db: Database,
    clock: Clock,
    keep: Retention,
    *,
    dry_run: bool,
    channel: AuditChannel = AuditChannel.JOB,
) -> dict[str, int]:
    """Delete what is past its retention period (or only count it); counts per kind."""
    now = clock.now()
    cut = cutoffs(now, clock.tz, keep)
    counts: dict[str, int] = {}
    async with db.transaction() as session:
        audit.summarised(session)  # one row per run, with the counts
        # Clients first: their own items go with them, and are counted as the client's.
        exited = await records.exited_clients_before(session, cut.clients)
        for client in [] if dry_run else exited:
            await records.erase_client(session, client)
        items = await records.handled_items_before(session, cut.items_day, cut.items, DONE_ITEMS)
        vacancies = await records.closed_vacancies_before(session, cut.items)
        meetings = await records.meetings_before(session, cut.items_day)
        deadlines = await records.resolved_deadlines_before(session, cut.items)
        if not dry_run:
            await records.delete_meetings(session, meetings)
            await records.delete_deadlines(session, deadlines)
            await records.delete_items(session, items)
            await records.delete_vacancies(session, vacancies)
        counts["items"] = len(items)
        counts["vacancies"] = len(vacancies)
        counts["meetings"] = len(meetings)
        counts["deadlines"] = len(deadlines)
        counts["clients"] = len(exited)
        counts["forms"] = await records.stale_forms(session, cut.forms, dry_run=dry_run)
        counts["strangers"] = await records.stale_strangers(session, cut.strangers, dry_run=dry_run)
        counts["audit"] = await audit.purge_before(session, cut.audit, dry_run=dry_run)
        if not dry_run:
            await audit.record(
                session,
                at=now,
                action=AuditAction.RETENTION_PURGE,
                result=AuditResult.OK,
                object=",".join(f"{kind}={counts[kind]}" for kind in KINDS),
                chat_type=channel,
            )
    return counts


async def _client(session: Any, ref: str, team: str | None) -> Client:
    team_id = None
    if team is not None:
        found = await teams.get_team_by_name(session, team)
        if found is None:
            raise RecordsError(f"onbekend team {team!r}")
        team_id = found.id
    clients = await records.find_client(session, ref, team_id)
    if not clients:
        raise RecordsError(f"geen cliënt met referentie {ref!r}")
    if len(clients) > 1:
        raise RecordsError(f"referentie {ref!r} bestaat in meer teams: geef --team mee")
    return clients[0]


@dataclass(frozen=True)
class Inzage:
    """What an inzage wrote."""

    json_path: Path
    pdf_path: Path
    counts: dict[str, int]


async def inzage(db: Database, clock: Clock, ref: str, team: str | None, out: Path) -> Inzage:
    """Write everything held about ``ref`` (JSON and a readable PDF) into ``out``."""
    now = clock.now()
    async with db.transaction() as session:
        try:
            client = await _client(session, ref, team)
        except RecordsError:
            await _log(session, now, AuditAction.CLIENT_INZAGE, AuditResult.UNKNOWN, None)
            raise
        tables = await records.client_rows(session, client)
        team_info = await teams.get_team(session, client.team_id)
        trail = await audit.rows_for(session, reference=client.ref)
        await _log(session, now, AuditAction.CLIENT_INZAGE, AuditResult.OK, client)
    document = {
        "reference": client.ref,
        "team": team_info.name if team_info else None,
        "made_at": now.isoformat(),
        "tables": tables,
        "audit_log": [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "staff_id": r.actor_staff_id,
                "action": r.action,
                "result": r.result,
                "chat_type": r.chat_type,
            }
            for r in trail
        ],
    }
    stem = f"inzage-{_safe(client.ref)}-{now.astimezone(clock.tz):%Y%m%d-%H%M}"
    # Files and WeasyPrint block: off the event loop, after the transaction has ended.
    json_path, pdf_path = await asyncio.to_thread(
        _write, out, stem, document, now.astimezone(clock.tz)
    )
    counts = {table: len(rows) for table, rows in tables.items()}
    counts["audit_log"] = len(trail)
    return Inzage(json_path, pdf_path, counts)


def _write(out: Path, stem: str, document: dict[str, Any], made: datetime) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{stem}.json"
    json_path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    pdf_path = out / f"{stem}.pdf"
    pdf_path.write_bytes(_pdf(document, made))
    return json_path, pdf_path


def _safe(ref: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in ref)


def _pdf(document: dict[str, Any], made: datetime) -> bytes:
    """The readable copy, rendered like the agenda PDF (WeasyPrint, one template)."""
    from weasyprint import HTML  # imported lazily: loading Pango takes a moment

    html = (
        environment()
        .get_template("records/inzage_pdf.html.j2")
        .render(doc=document, made=made, tables=[(k, v) for k, v in document["tables"].items()])
    )
    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


async def wis(db: Database, clock: Clock, ref: str, team: str | None) -> int:
    """Erase everything held about ``ref`` except the audit rows; rows removed."""
    now = clock.now()
    async with db.transaction() as session:
        try:
            client = await _client(session, ref, team)
        except RecordsError:
            await _log(session, now, AuditAction.CLIENT_WIS, AuditResult.UNKNOWN, None)
            raise
        audit.summarised(session)  # the wis row stands for every row it removes
        removed = await records.erase_client(session, client)
        await _log(session, now, AuditAction.CLIENT_WIS, AuditResult.OK, client)
    return removed


async def refuse_wis(db: Database, clock: Clock) -> None:
    """A wis whose confirmation did not match: a refusal, logged (without what was typed)."""
    async with db.transaction() as session:
        await _log(session, clock.now(), AuditAction.CLIENT_WIS, AuditResult.REFUSED, None)


async def _log(
    session: Any, now: datetime, action: AuditAction, result: AuditResult, client: Client | None
) -> None:
    await audit.record(
        session,
        at=now,
        action=action,
        result=result,
        object=f"client:{client.id}" if client else None,
        reference=client.ref if client else None,
        chat_type=AuditChannel.CLI,
    )
