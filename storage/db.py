"""The async engine, the session factory and schema migrations.

One ``AsyncSession`` per update or job (``Database.transaction``), ``expire_on_commit=False`` so
plain data can be read after commit. SQLite gets WAL, a busy timeout and foreign keys.

Inside :meth:`Database.update_scope` (one per Telegram update) every ``transaction()`` joins ONE
transaction: it is opened by the first caller, stays open while callers only read (the access
lookup on a cache miss, the check for an open form, the reference lookup), and is committed by the
first caller that wrote, before that caller's reply goes out. Alembic is imported only when
migrating: it costs memory the running bot does not need.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session

from storage import (
    access_generation,  # noqa: F401  (its listeners must be in place)
    sweep_generation,  # noqa: F401  (its listeners must be in place)
)

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The advisory lock key migrations run under on PostgreSQL (any constant no chat id equals).
MIGRATE_LOCK = -7_700_000_000_001


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once; busy_timeout waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url``; creates the folder of an SQLite file if needed.

    ``hide_parameters``: SQL logging (echo, or a DEBUG log level) and error messages never show
    bound values, which hold note texts.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 5}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def alembic_config() -> AlembicConfig:
    """Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


async def upgrade(engine: AsyncEngine) -> None:
    """Apply every migration (all heads) to the database behind ``engine``."""

    from alembic import command

    def _run(connection: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers start at once: one migrates, the others wait and find it done.
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK}
            )
        await connection.run_sync(_run)


#: Set in ``Session.info`` once the session wrote (flushed changes or ran INSERT/UPDATE/DELETE).
WROTE = "wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@dataclass
class _UpdateScope:
    """The one session of the current update, while it is still only reading."""

    session: AsyncSession | None = None


_scope: ContextVar[_UpdateScope | None] = ContextVar("update_scope", default=None)


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(.+)$", re.MULTILINE)


def migration_heads() -> set[str]:
    """The head revisions of the packaged migrations, read from the files without Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            found = set(re.findall(r"['\"]([^'\"]+)['\"]", value))
            (revisions if name == "revision" else parents).update(found)
    return revisions - parents


async def upgrade_if_needed(engine: AsyncEngine) -> bool:
    """Migrate only when the database is not at the packaged heads; True when it migrated.

    The check reads ``alembic_version`` with plain SQL, so a bot whose database is current never
    imports Alembic (about 10 MB it would otherwise carry for good).
    """
    try:
        async with engine.connect() as connection:
            result = await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            current = {str(row[0]) for row in result}
    except Exception:  # no alembic_version table yet: a new database
        current = set()
    if current and current == migration_heads():
        return False
    await upgrade(engine)
    return True


class Database:
    """The engine plus a session factory; ``transaction()`` is the one unit of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        #: The injected clock's ``now`` (set by the runtime): the time of automatic audit rows.
        self.now: Callable[[], datetime] | None = None
        #: What this process's reminder sweep last planned at (``bot.deadlines.sweep``): the local
        #: day, the change generation and when; absent in a fresh process, which plans at once.
        self.sweep_planned: tuple[date, int, datetime] | None = None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error.

        Within an :meth:`update_scope` the update's open transaction is joined instead; it is
        committed here when this caller wrote (so a reply sent afterwards follows the commit),
        and otherwise left open for the next caller of the same update.
        """
        scope = _scope.get()
        if scope is None:
            async with self.sessions() as session, session.begin():
                self._prepare(session)
                yield session
            return
        if scope.session is None:
            scope.session = self.sessions()
            await scope.session.begin()
            self._prepare(scope.session)
        session = scope.session
        try:
            yield session
        except BaseException:
            scope.session = None
            await session.rollback()
            await session.close()
            raise
        if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
            scope.session = None
            try:
                await session.commit()
            finally:
                await session.close()

    def _prepare(self, session: AsyncSession) -> None:
        if self.now is not None:
            session.sync_session.info["now"] = self.now

    @asynccontextmanager
    async def update_scope(self) -> AsyncIterator[None]:
        """One update: its ``transaction()`` calls share one transaction (see the module doc)."""
        scope = _UpdateScope()
        token = _scope.set(scope)
        try:
            yield
        finally:
            _scope.reset(token)
            if scope.session is not None:
                session, scope.session = scope.session, None
                try:
                    await session.commit()  # only reads happened: nothing to lose either way
                finally:
                    await session.close()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
