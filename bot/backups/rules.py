"""Which backup file is made, and which old ones go: pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

PREFIX = "weekdate-"
SUFFIX = ".sqlite"
#: UTC in the name, so the names sort by time and a DST change never makes two the same.
_NAME = re.compile(rf"{PREFIX}(\d{{8}}T\d{{6}}Z){re.escape(SUFFIX)}")


def backup_name(now: datetime) -> str:
    """The file name of a backup made at ``now``: ``weekdate-20260303T080000Z.sqlite``."""
    return f"{PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def is_backup_name(name: str) -> bool:
    """Whether ``name`` is one of our backup files (others in the folder are never touched)."""
    return _NAME.fullmatch(name) is not None


def to_remove(names: Iterable[str], keep: int) -> list[str]:
    """The backups beyond the newest ``keep``, oldest first; other files are left alone."""
    ours = sorted(name for name in names if is_backup_name(name))
    return ours[: max(len(ours) - keep, 0)]


#: A snapshot younger than this counts as today's: the daily tick and the catch-up at start
#: (after downtime over the backup time) never make two in a row.
FRESH_HOURS = 23


def taken_at(name: str) -> datetime | None:
    """When the backup ``name`` was made (UTC), ``None`` for other files."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def backup_due(names: Iterable[str], now: datetime) -> bool:
    """Whether a new snapshot is due: none yet, or the newest is older than FRESH_HOURS."""
    times = [t for t in map(taken_at, names) if t is not None]
    return not times or (now - max(times)).total_seconds() >= FRESH_HOURS * 3600
