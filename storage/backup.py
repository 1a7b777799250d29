"""Backup and restore at the SQL level: SQLite's online backup API and a table-by-table copy.

No policy here (which file, how many kept, when to refuse): that is ``bot.backups.service``.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import Base


def sqlite_online_backup(source: Path, target: Path) -> None:
    """Copy the live SQLite database ``source`` to ``target`` with the online backup API.

    Unlike copying the file, this takes a consistent snapshot that includes what is still in
    the write-ahead log, while the bot keeps writing. Blocking: run it in a thread.
    """
    with (
        closing(sqlite3.connect(source, timeout=30)) as live,
        closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)
    # The snapshot is one self-contained file, readable without a -wal beside it.
    with closing(sqlite3.connect(target)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")


def tables() -> list[Table]:
    """Every table of the models, parents before children (the order to insert in)."""
    return list(Base.metadata.sorted_tables)


async def row_counts(connection: AsyncConnection) -> dict[str, int]:
    """The number of rows in each table of the models."""
    counts: dict[str, int] = {}
    for table in tables():
        counts[table.name] = int(
            await connection.scalar(select(func.count()).select_from(table)) or 0
        )
    return counts


async def all_rows(connection: AsyncConnection, table: Table) -> list[dict[str, Any]]:
    """Every row of ``table`` as a dict, in primary-key order."""
    result = await connection.execute(select(table).order_by(*table.primary_key.columns))
    return [dict(row) for row in result.mappings()]


async def copy_tables(source: AsyncEngine, target: AsyncEngine) -> dict[str, int]:
    """Copy every row of every table from ``source`` into ``target`` in one transaction.

    Both must be at the same schema revision. On PostgreSQL the id sequences are moved past
    the copied ids, so new rows do not collide with restored ones.
    """
    copied: dict[str, int] = {}
    async with source.connect() as reader, target.begin() as writer:
        for table in tables():
            rows = await all_rows(reader, table)
            if rows:
                await writer.execute(table.insert(), rows)
            copied[table.name] = len(rows)
        if target.dialect.name == "postgresql":
            for table in tables():
                column = table.autoincrement_column
                if column is None:
                    continue
                await writer.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    ),
                    {"table": table.name, "column": column.name},
                )
    return copied
