"""Migrations build the schema on an empty database, on both engines, matching the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from storage.db import Database, create_engine, upgrade
from storage.models import Base


async def test_migrations_on_empty_database_match_models(database_url: str) -> None:
    db = Database(create_engine(database_url))
    try:
        await upgrade(db.engine)
        await upgrade(db.engine)  # applying twice is a no-op

        def check(connection: Connection) -> list[object]:
            tables = set(inspect(connection).get_table_names())
            assert set(Base.metadata.tables) <= tables
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            return compare_metadata(context, Base.metadata)

        async with db.engine.connect() as connection:
            differences = await connection.run_sync(check)
        assert differences == []
    finally:
        await db.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite'}"))
    try:
        async with db.engine.connect() as connection:
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (journal, keys, busy) == ("wal", 1, 5000)
    finally:
        await db.dispose()
