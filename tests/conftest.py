"""Shared fixtures: a whole bot on the local transport with a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import BotHarness


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A running bot on a fresh SQLite database."""
    harness = await BotHarness.start(tmp_path)
    yield harness
    await harness.stop()
