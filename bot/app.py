"""The composition root: builds the PTB Application around a :class:`Runtime`."""

from __future__ import annotations

import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import menus
from bot.access.service import bootstrap_admins
from bot.config import ConfigError
from bot.runtime import BotContext, BotData, Runtime
from handlers import register_handlers
from jobs import schedule_jobs
from storage import teams
from storage.db import upgrade_if_needed

log = logging.getLogger(__name__)

#: A syntactically valid token for the local transport (console mode and tests).
LOCAL_TOKEN = "777000111:local-console"

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]


class UpdateScopedApplication(Application[Any, BotContext, Any, Any, BotData, Any]):
    """An Application whose every update runs in one unit of work (``Database.update_scope``):
    the access lookup, the check for an open form and the handler share one transaction."""

    async def process_update(self, update: object) -> None:
        """Process ``update`` inside its database scope."""
        async with self.bot_data.runtime.db.update_scope():
            await super().process_update(update)


def build_application(
    runtime: Runtime,
    *,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> BotApplication:
    """The Application with every handler and job; ``request`` replaces the network."""
    config = runtime.config
    builder = (
        ApplicationBuilder()
        .application_class(UpdateScopedApplication)
        .token(config.telegram.token if request is None else LOCAL_TOKEN)
        .defaults(Defaults(tzinfo=config.timezone, parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if rate_limit:
        # PTB types the builder for limiters without per-call arguments; AIORateLimiter takes
        # an optional int (max_retries override) per call, which we never pass.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.base_url(config.telegram.base_url).base_file_url(
            config.telegram.base_file_url
        )
    application: BotApplication = builder.build()
    application.bot_data.runtime = runtime
    register_handlers(application)
    schedule_jobs(application)
    return application


async def reach_database(runtime: Runtime) -> None:
    """Connect once, so an unreachable database is one configuration error, not a traceback.

    Anything that fails while only connecting (refused, unknown host, bad password, an SQLite
    file that cannot be opened) means the configured URL does not lead to a usable database.
    """
    try:
        async with runtime.db.engine.connect():
            pass
    except Exception as exc:  # every driver fails its own way (OSError, asyncpg, sqlite3, DNS)
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split()) or type(exc).__name__
        raise ConfigError(
            f"{runtime.config.database_setting}: kan de database niet bereiken ({reason})"
        ) from exc


async def prepare_database(runtime: Runtime) -> None:
    """Apply migrations, sync teams from config, make configured admins staff."""
    await reach_database(runtime)
    await upgrade_if_needed(runtime.db.engine)
    now = runtime.clock.now()
    async with runtime.db.transaction() as session:
        synced = await teams.ensure_teams(session, [t.name for t in runtime.config.teams], now)
        await bootstrap_admins(session, runtime.config.admins, synced[0].id, now)


async def on_startup(application: BotApplication) -> None:
    """``post_init``: database ready; menus and description published; privacy mode checked."""
    runtime: Runtime = application.bot_data.runtime
    await prepare_database(runtime)
    if runtime.leadership is not None:
        # Before the first job fires: the lease decides whether this process runs them.
        leads = await runtime.leadership.tick()
        log.info("job lease: %s", "this process runs the jobs" if leads else "another process")
    await menus.publish_all(application.bot, runtime.db)
    warning = menus.privacy_mode_warning(application.bot.bot.can_read_all_group_messages)
    if warning:
        log.warning(warning)
    log.info("bot ready as @%s", application.bot.username)


async def on_shutdown(application: BotApplication) -> None:
    """``post_shutdown`` (polling; in-flight updates finished): lease released, engine closed."""
    runtime: Runtime = application.bot_data.runtime
    if runtime.leadership is not None:
        await runtime.leadership.release()
    await runtime.db.dispose()
