"""Fixtures of the operations tests: the production logging set-up at DEBUG, captured."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.cli import QUIET_LOGGERS, configure_logging


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
