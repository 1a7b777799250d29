"""Alembic runs (and is imported) only when the database is not at the packaged heads."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from storage.db import alembic_config, create_engine, migration_heads, upgrade_if_needed


def test_heads_read_from_the_files_are_alembics_heads() -> None:
    assert migration_heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


async def test_a_new_database_is_migrated_once(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite'}")
    try:
        assert await upgrade_if_needed(engine) is True
        assert await upgrade_if_needed(engine) is False
    finally:
        await engine.dispose()
