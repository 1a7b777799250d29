"""Message text and the token never reach the log, even with LOG_LEVEL=DEBUG (SQL logged too)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import LOCAL_TOKEN
from bot.cli import QUIET_LOGGERS, configure_logging
from bot.core.roles import Role
from tests.support.caselog import intake
from tests.support.harness import BotHarness

NOTE = "Goed gesprek notitie-Xq7 woont bij zus"
SUCCESS = "Contract getekend bij bakkerij-Zv9"
BSN_TEXT = "C-10234 heeft BSN 111222333 gegeven"


@pytest.fixture
def debug_everything() -> Iterator[list[str]]:
    """The production logging set-up at DEBUG, SQL echo on; yields every formatted line."""
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    saved_root = root.level
    handler = Capture(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s %(args)s"))
    root.addHandler(handler)
    configure_logging("DEBUG")
    # SQL logging switched on, as with create_engine(echo=True): statements at INFO.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_root)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


async def test_no_typed_text_and_no_token_in_debug_logs(
    tmp_path: Path, debug_everything: list[str]
) -> None:
    bot = await BotHarness.start(tmp_path)
    try:
        consulent = await bot.staff(Role.CONSULENT)
        saved = await intake(bot, consulent, "C-10234", NOTE)
        assert any("C-10234" in c.text for c in saved)
        await bot.driver.text(consulent, f"/succes C-10234 {SUCCESS}")
        refused = await bot.driver.text(consulent, f"/knelpunt {BSN_TEXT}")
        assert any("BSN" in c.text for c in refused)
    finally:
        await bot.stop()
    log = "\n".join(debug_everything)
    assert "sqlalchemy.engine" in log and "INSERT INTO" in log  # SQL was logged, values not
    for secret in (NOTE, SUCCESS, "111222333", "notitie-Xq7", "bakkerij-Zv9", LOCAL_TOKEN):
        leaks = [line[:160] for line in debug_everything if secret in line]
        assert not leaks, leaks
