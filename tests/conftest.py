"""Shared fixtures: a whole bot on the local transport with a fake clock, on both engines.

The ``bot`` fixture runs every test that uses it twice: on SQLite (the default engine) and on a
real PostgreSQL server (the production engine), so both are tested for real. Its databases are
copies of one migrated to head once per process; ``database_url`` is an empty database.

Runs in parallel under pytest-xdist (``make test``): each worker process has its own session,
its own PostgreSQL cluster and its own templates. The slow simulations are collected first, one
per worker, so they do not end up one after the other on the same worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.harness import BotHarness, migrated_sqlite
from tests.support.postgres import fresh_database, migrated_database, postgres_server

ENGINES = ["sqlite", "postgresql"]
#: Per-test timeout of the slow simulations (the rest: ``timeout`` in pyproject.toml).
SLOW_TIMEOUT = 600


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark PostgreSQL runs ``postgres``; put the slow tests first, each followed by a fast one.

    xdist (``--maxschedchunk 1``) hands every worker two tests to begin with, so slow tests at
    even places start on different workers at once.
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if "postgresql" in (params.get("database_url"), params.get("migrated_database_url")):
            item.add_marker(pytest.mark.postgres)
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))
    slow = [item for item in items if item.get_closest_marker("slow")]
    fast = [item for item in items if not item.get_closest_marker("slow")]
    ordered: list[pytest.Item] = []
    for item in slow:
        ordered.append(item)
        if fast:
            ordered.append(fast.pop(0))
    items[:] = ordered + fast


@pytest.fixture(scope="session")
def postgres_admin_dsn() -> Iterator[str]:
    """A running PostgreSQL server for the whole test session (of this xdist worker)."""
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture(params=ENGINES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
    return await fresh_database(request.getfixturevalue("postgres_admin_dsn"))


@pytest.fixture(params=ENGINES)
async def migrated_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database at the head migration on each engine (a copy of a migrated template)."""
    if request.param == "sqlite":
        await migrated_sqlite(tmp_path / "bot.sqlite")
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
    return await migrated_database(request.getfixturevalue("postgres_admin_dsn"))


@pytest.fixture
async def bot(tmp_path: Path, migrated_database_url: str) -> AsyncIterator[BotHarness]:
    """A running bot on a fresh database."""
    harness = await BotHarness.start(tmp_path, database_url=migrated_database_url)
    yield harness
    await harness.stop()


@pytest.fixture
async def sqlite_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A bot on SQLite only (for the long property-based runs)."""
    harness = await BotHarness.start(tmp_path)
    yield harness
    await harness.stop()
