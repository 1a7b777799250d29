"""What every handler and job needs, reachable as ``context.runtime``; and the custom context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.access.cache import AccessCache
from bot.config import Config
from bot.core.clock import Clock
from bot.privacy.held import HeldTexts
from bot.settings import TeamSettings, resolve
from bot.workers import ACCESS_CACHE, GenerationWatch, JobLeadership, UpdateGate
from storage.db import Database
from storage.staff import StaffMember


@dataclass
class Runtime:
    """Configuration, the injected clock and the database."""

    config: Config
    clock: Clock
    db: Database
    #: Texts the privacy filter holds until their sender confirms them (memory only: a restart
    #: forgets them, by design; see :mod:`bot.privacy.held`).
    held_texts: HeldTexts[Any] = field(default_factory=HeldTexts, repr=False)
    #: The job lease when several processes may share the database (``python -m bot run``);
    #: None (tests, console): this process is the only one and runs every job.
    leadership: JobLeadership | None = field(default=None, repr=False)
    #: Dedupe and per-chat lock in front of every update (webhook workers); None: polling.
    gate: UpdateGate | None = field(default=None, repr=False)
    _team_settings: dict[str, TeamSettings] = field(default_factory=dict, repr=False)
    #: Who is this, from memory (see :mod:`bot.access.cache`).
    access_cache: AccessCache = field(init=False, repr=False)
    #: Watches the shared access generation other workers bump (``jobs.workers.watch_access``).
    access_watch: GenerationWatch = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Audit rows the database writes by itself (every write) take their time from here.
        self.db.now = self.clock.now
        self.access_cache = AccessCache(timedelta(seconds=self.config.access_cache_seconds))
        self.access_watch = GenerationWatch(ACCESS_CACHE, check_every=timedelta(0))

    def runs_jobs(self) -> bool:
        """Whether the scheduled jobs run in this process now (it holds the job lease)."""
        return self.leadership is None or self.leadership.is_leader()

    def settings_for(self, team_name: str) -> TeamSettings:
        """The settings of one team, resolved once per process (the config does not change)."""
        if team_name not in self._team_settings:
            self._team_settings[team_name] = resolve(self.config, team_name)
        return self._team_settings[team_name]


class BotData:
    """``application.bot_data``: holds the runtime (set once when the application is built)."""

    runtime: Runtime


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every callback gets. ``actor`` is set by the access middleware."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.actor: StaffMember | None = None
        #: Whether this update's button tap has been answered (see ``handlers.common``); one
        #: context serves every handler group of an update, so the last group can check it.
        self.tap_answered = False

    @property
    def runtime(self) -> Runtime:
        """The application's runtime."""
        return self.bot_data.runtime

    @property
    def staff(self) -> StaffMember:
        """The acting staff member; handlers behind the access middleware always have one."""
        if self.actor is None:
            raise RuntimeError("no staff member on this update (access middleware not run?)")
        return self.actor

    @property
    def team(self) -> TeamSettings:
        """The acting staff member's team settings, resolved once for this update."""
        return self.runtime.settings_for(self.staff.team_name)
