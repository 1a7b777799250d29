"""A whole bot on the local transport, for handler and end-to-end tests.

bot = await BotHarness.start(tmp_path)
consulent = await bot.staff(Role.CONSULENT)
calls = await bot.driver.text(consulent, "/help")
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from bot.app import BotApplication, build_application, on_startup
from bot.config import Config, TeamConfig
from bot.core.clock import FakeClock
from bot.core.roles import Role
from bot.runtime import Runtime
from bot.transport import BotCall, LocalDriver, LocalTransport, LocalUser
from storage import staff, teams
from storage.db import Database, create_engine, upgrade

#: A Tuesday morning in winter (CET), a fixed point for tests.
DEFAULT_START = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


#: The SQLite database migrated to head in this process, copied for every new test database.
_sqlite_template: list[Path] = []


async def migrated_sqlite(path: Path) -> None:
    """Create ``path`` as a copy of an SQLite database at head (migrated once per process)."""
    if not _sqlite_template:
        folder = Path(tempfile.mkdtemp(prefix="weekdate-sqlite-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "template.sqlite"
        engine = create_engine(f"sqlite+aiosqlite:///{template}")
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()
        _sqlite_template.append(template)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(_sqlite_template[0])) as source,
        closing(sqlite3.connect(path)) as target,
    ):
        source.backup(target)


@dataclass
class BotHarness:
    """The application, its transport, a driver, and a fake clock on one database."""

    application: BotApplication
    transport: LocalTransport
    driver: LocalDriver
    runtime: Runtime
    clock: FakeClock
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5000))

    @classmethod
    async def start(
        cls,
        tmp_path: Path,
        *,
        config: Config | None = None,
        clock: FakeClock | None = None,
        database_url: str | None = None,
    ) -> BotHarness:
        """Build and initialise a bot on a fresh SQLite file (or ``database_url``).

        A new SQLite file starts as a copy of one at head; startup still runs the (then empty)
        migrations, as in production.
        """
        if database_url is None and not (tmp_path / "bot.sqlite").exists():
            await migrated_sqlite(tmp_path / "bot.sqlite")
        url = database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
        config = replace(
            config or Config(teams=(TeamConfig("Team Werk"), TeamConfig("Team Zorg"))),
            database_url=url,
        )
        clock = clock or FakeClock(DEFAULT_START)
        runtime = Runtime(config=config, clock=clock, db=Database(create_engine(url)))
        transport = LocalTransport()
        application = build_application(runtime, request=transport, rate_limit=False)
        await application.initialize()
        await on_startup(application)  # initialize() does not run post_init
        transport.take()
        driver = LocalDriver(application, transport, clock_now=clock.now)
        return cls(application, transport, driver, runtime, clock)

    async def stop(self) -> None:
        """Shut the application down and close the database."""
        await self.application.shutdown()
        await self.runtime.db.dispose()

    async def staff(
        self, *roles: Role, team: str = "Team Werk", name: str | None = None
    ) -> LocalUser:
        """A new active staff member with ``roles``; returns the Telegram user to act as."""
        user = LocalUser(next(self._ids), name or f"{'/'.join(r.value for r in roles)}")
        async with self.runtime.db.transaction() as session:
            found = await teams.get_team_by_name(session, team)
            assert found is not None
            await staff.upsert_staff(
                session,
                telegram_user_id=user.id,
                display_name=user.first_name,
                team_id=found.id,
                roles=roles,
                now=self.clock.now(),
            )
        return user

    def stranger(self) -> LocalUser:
        """A Telegram user the bot does not know."""
        return LocalUser(next(self._ids), "Onbekend")


def texts(calls: list[BotCall]) -> list[str]:
    """The texts of the messages among ``calls`` (new messages and in-place edits)."""
    return [c.text for c in calls if c.method in ("sendMessage", "editMessageText")]


def only_text(calls: list[BotCall]) -> str:
    """The one message text in ``calls`` (fails when there is not exactly one)."""
    sent = texts(calls)
    assert len(sent) == 1, f"expected one message, got {sent!r}"
    return sent[0]


def button(calls: list[BotCall], label_part: str) -> str:
    """The callback data of the button whose label contains ``label_part``."""
    for call in calls:
        for label, data in call.buttons:
            if label_part in label:
                return data
    raise AssertionError(f"no button with {label_part!r} in {[c.buttons for c in calls]!r}")
