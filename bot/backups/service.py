"""Backup and restore: the one place that decides where a snapshot goes and what is refused."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.backups.rules import backup_due, backup_name, to_remove
from bot.core.vocabulary import AuditAction, AuditResult
from storage import audit
from storage import backup as storage_backup
from storage.db import Database, create_engine, upgrade


class BackupRefused(Exception):
    """The backup or restore cannot be done; ``code`` names why (the CLI words it)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class BackupMade:
    """A new snapshot and the old ones removed to keep ``keep``."""

    path: Path
    removed: tuple[Path, ...]


def sqlite_path(db: Database) -> Path:
    """The file behind an SQLite database (PostgreSQL is backed up with pg_dump instead)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupRefused("not_sqlite")
    return Path(url.database)


def _snapshot(source: Path, folder: Path, name: str, keep: int) -> BackupMade:
    """Blocking file work of a backup (run in a thread)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_suffix(".partial")
    storage_backup.sqlite_online_backup(source, partial)
    # Only a finished snapshot gets a backup name, so a crash never leaves a half file to restore.
    partial.replace(target)
    removed = tuple(folder / old for old in to_remove(_names(folder), keep))
    for path in removed:
        path.unlink(missing_ok=True)
    return BackupMade(target, removed)


def _names(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir()] if folder.is_dir() else []


async def make_backup(db: Database, folder: Path, now: datetime, keep: int) -> BackupMade:
    """Snapshot the live SQLite database into ``folder``; keep the newest ``keep`` snapshots.

    A backup is an export of everything, so it is audited; the row is written first, so the
    copy itself holds the record of its making.
    """
    path = sqlite_path(db)
    name = backup_name(now)
    async with db.transaction() as session:
        await audit.record(
            session, at=now, action=AuditAction.BACKUP_MAKE, result=AuditResult.OK, object=name
        )
    return await asyncio.to_thread(_snapshot, path, folder, name, keep)


async def backup_if_due(db: Database, folder: Path, now: datetime, keep: int) -> BackupMade | None:
    """The daily job: a snapshot unless one was made in the last day (so catch-up is safe)."""
    sqlite_path(db)
    if not backup_due(await asyncio.to_thread(_names, folder), now):
        return None
    return await make_backup(db, folder, now, keep)


async def restore(db: Database, source: Path, now: datetime) -> dict[str, int]:
    """Copy every table of the backup ``source`` into ``db``, which must hold no rows at all.

    The backup is first brought to the current schema on a temporary copy (the file itself is
    never changed), so an older backup restores into a newer bot. Works into SQLite and
    PostgreSQL alike. Returns the rows copied per table. The restore is an import of
    everything: one audit row after the copied ones records it, chained onto the backup's chain.
    """
    if not await asyncio.to_thread(source.is_file):
        raise BackupRefused("no_file", str(source))
    await upgrade(db.engine)
    async with db.engine.connect() as connection:
        held = {t: n for t, n in (await storage_backup.content_counts(connection)).items() if n}
    if held:
        raise BackupRefused("not_empty", ", ".join(f"{t} ({n})" for t, n in sorted(held.items())))
    with tempfile.TemporaryDirectory(prefix="weekdate-restore-") as folder:
        work = Path(folder) / "restore.sqlite"
        try:
            await asyncio.to_thread(storage_backup.sqlite_online_backup, source, work)
        except sqlite3.DatabaseError as exc:
            raise BackupRefused("not_a_backup", str(source)) from exc
        engine = create_engine(str(make_url(f"sqlite+aiosqlite:///{work}")))
        try:
            await upgrade(engine)
            copied = await storage_backup.copy_tables(engine, db.engine)
        finally:
            await engine.dispose()
    async with db.transaction() as session:
        await audit.record(
            session,
            at=now,
            action=AuditAction.BACKUP_RESTORE,
            result=AuditResult.OK,
            object=f"{source.name} rows={sum(copied.values())}",
        )
    return copied
