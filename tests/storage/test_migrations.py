"""Migrations build the schema on an empty database, on both engines, matching the models.

There is one head, and ``python -m bot db revision`` autogenerates the next migration.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

import storage.db
from bot.cli import main
from storage.db import MIGRATIONS_DIR, Database, alembic_config, create_engine, upgrade
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


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"more than one head: {heads}; add a merge revision"


def _migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the migrations that ``storage.db`` (and so the CLI) works on instead."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(storage.db, "MIGRATIONS_DIR", copy)
    monkeypatch.chdir(tmp_path)
    return copy / "versions"


def test_db_revision_with_unchanged_models_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    versions = _migrations_copy(tmp_path, monkeypatch)
    (head,) = ScriptDirectory.from_config(alembic_config()).get_heads()

    assert main(["db", "revision", "-m", "Niets veranderd"]) == 0

    # The next number after the highest one in the repository.
    number = max(int(name.split("_", 1)[0]) for name in repository) + 1
    created = versions / f"{number:04d}_niets_veranderd.py"
    assert f"Nieuwe migratie: {created}" in capsys.readouterr().out
    assert sorted(p.name for p in versions.glob("*.py")) == sorted([*repository, created.name])
    script = ScriptDirectory.from_config(alembic_config()).get_revision(created.stem)
    assert script is not None and script.down_revision == head
    functions = {
        node.name: node.body
        for node in ast.parse(created.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    }
    assert [type(statement) for statement in functions["upgrade"]] == [ast.Pass]
    assert [type(statement) for statement in functions["downgrade"]] == [ast.Pass]
    created.unlink()
    # Nothing was written next to the real migrations.
    assert sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py")) == repository


def test_db_revision_refuses_two_heads_and_needs_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = _migrations_copy(tmp_path, monkeypatch)
    # Without the merge revision (and everything after it) there are two heads again.
    for later in versions.glob("*.py"):
        if int(later.name.split("_", 1)[0]) >= 5:
            later.unlink()

    assert main(["db", "revision", "-m", "iets"]) == 2
    assert "2 heads (0003_deadlines, 0004_weekdate)" in capsys.readouterr().err
    assert main(["db", "revision"]) == 2
    assert "-m" in capsys.readouterr().err
    assert sorted(p.name for p in versions.glob("*.py")) == [
        "0001_foundation_schema.py",
        "0003_deadlines.py",
        "0004_weekdate.py",
    ]
