"""Shared fixtures: a whole bot on the local transport with a fake clock, on both engines.

The ``bot`` fixture runs every test that uses it twice: on SQLite (the default engine) and on a
real PostgreSQL server (the production engine), so both are tested for real.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.harness import BotHarness
from tests.support.postgres import fresh_database, postgres_server


@pytest.fixture(scope="session")
def postgres_admin_dsn() -> Iterator[str]:
    """A running PostgreSQL server for the whole test session."""
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
    return await fresh_database(request.getfixturevalue("postgres_admin_dsn"))


@pytest.fixture
async def bot(tmp_path: Path, database_url: str) -> AsyncIterator[BotHarness]:
    """A running bot on a fresh database."""
    harness = await BotHarness.start(tmp_path, database_url=database_url)
    yield harness
    await harness.stop()


@pytest.fixture
async def sqlite_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A bot on SQLite only (for the long property-based runs)."""
    harness = await BotHarness.start(tmp_path)
    yield harness
    await harness.stop()
