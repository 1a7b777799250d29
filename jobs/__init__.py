"""Every scheduled job is registered here, and only here.

The scheduler is only an alarm clock: each job reads its work from the database, so a restart
or a missed tick loses nothing; the next run catches up. Job names are namespaced.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import time, timedelta
from typing import Any

from telegram.ext import Application

from bot.core.dates import format_clock
from bot.workers import RENEW_EVERY, WATCH_ACCESS_EVERY
from jobs.backup import BACKUP_JOB, daily_backup
from jobs.backup import CATCH_UP_JOB as BACKUP_CATCH_UP_JOB
from jobs.caselog import expire_vacancies
from jobs.deadlines import catch_up_job, sweep_job
from jobs.forms import expire_forms
from jobs.records import PURGE_JOB, purge_job
from jobs.route import WORK_NOTICES_JOB, send_waiting_notices
from jobs.weekdate import CATCH_UP_JOB, DAILY_JOB, dispatch_agendas
from jobs.workers import (
    LEASE_JOB,
    PRUNE_UPDATES_JOB,
    WATCH_ACCESS_JOB,
    prune_update_ids,
    renew_lease,
    watch_access,
)

#: PTB's run_daily counts days from Sunday (0) to Saturday (6): Monday to Friday.
WORKING_WEEKDAYS = (1, 2, 3, 4, 5)


JobCallback = Callable[[Any], Awaitable[None]]


def leader_only(callback: JobCallback) -> JobCallback:
    """The job runs only in the process holding the job lease (``bot.workers``).

    Every worker keeps the same schedule, so a worker that takes over a lapsed lease fires the
    next tick itself; each job reads its work from the database, so nothing is lost meanwhile.
    """

    @functools.wraps(callback)
    async def run_if_leader(context: Any) -> None:
        if context.bot_data.runtime.runs_jobs():
            await callback(context)

    return run_if_leader


class _LeaderQueue:
    """The JobQueue, with every job registered through it run only by the leader."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._queue, name)
        if not name.startswith("run_"):
            return method

        def schedule(callback: JobCallback, *args: Any, **kwargs: Any) -> Any:
            return method(leader_only(callback), *args, **kwargs)

        return schedule


def schedule_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register every recurring job on the application's JobQueue."""
    real_queue = application.job_queue
    if real_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    # Every worker renews (or tries to take) the lease; the rest runs in the leader alone.
    real_queue.run_repeating(
        renew_lease,
        interval=RENEW_EVERY,
        first=RENEW_EVERY,
        name=LEASE_JOB,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    # Every worker also watches the shared access generation (a no-op in one process).
    real_queue.run_repeating(
        watch_access,
        interval=WATCH_ACCESS_EVERY,
        first=WATCH_ACCESS_EVERY,
        name=WATCH_ACCESS_JOB,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    queue: Any = _LeaderQueue(real_queue)
    queue.run_repeating(
        prune_update_ids,
        interval=timedelta(hours=1),
        first=timedelta(minutes=5),
        name=PRUNE_UPDATES_JOB,
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    queue.run_repeating(
        expire_forms,
        interval=timedelta(minutes=1),
        first=timedelta(seconds=5),
        name="forms:expire",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    runtime = application.bot_data.runtime
    deadlines = runtime.config.deadlines
    # The digest: on time at the digest time (local, DST-aware) on weekdays; the sweep itself
    # skips public holidays and decides from the database what is due.
    queue.run_daily(
        sweep_job,
        time=deadlines.digest_time.replace(tzinfo=runtime.config.timezone),
        days=WORKING_WEEKDAYS,
        name="deadlines:digest",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    # Catch-up and retries: every minute; a tick missed while the bot was down costs nothing.
    queue.run_repeating(
        sweep_job,
        interval=timedelta(seconds=deadlines.sweep_interval_seconds),
        first=timedelta(seconds=deadlines.sweep_interval_seconds),
        name="deadlines:sweep",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    queue.run_once(catch_up_job, when=timedelta(seconds=1), name="deadlines:catch-up")
    # Hourly, so a vacature expires within an hour of its closing date passing, also after a
    # restart: the job reads the database, the schedule holds no state.
    queue.run_repeating(
        expire_vacancies,
        interval=timedelta(hours=1),
        first=timedelta(seconds=30),
        name="caselog:expire-vacancies",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    # The weekdate agenda: daily at each agenda time in use (local, DST-proof: the time carries
    # the configured timezone), and every 10 minutes to catch up after a restart or a missed
    # tick. The tick itself decides per team whether its agenda is due.
    config = application.bot_data.runtime.config
    settings_for = application.bot_data.runtime.settings_for
    agenda_times = sorted({settings_for(team.name).weekdate.agenda_time for team in config.teams})
    for agenda_time in agenda_times:
        queue.run_daily(
            dispatch_agendas,
            time=time(agenda_time.hour, agenda_time.minute, tzinfo=config.timezone),
            name=f"{DAILY_JOB}@{format_clock(agenda_time)}",
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )
    queue.run_repeating(
        dispatch_agendas,
        interval=timedelta(minutes=10),
        first=timedelta(seconds=20),
        name=CATCH_UP_JOB,
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    # The daily SQLite snapshot, and one soon after start when the last is over a day old (the
    # bot was down at backup time). PostgreSQL is backed up with pg_dump outside the bot.
    backup = config.backup
    if backup.daily and runtime.db.dialect == "sqlite":
        queue.run_daily(
            daily_backup,
            time=time(backup.time.hour, backup.time.minute, tzinfo=config.timezone),
            name=BACKUP_JOB,
            job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        queue.run_once(daily_backup, when=timedelta(minutes=2), name=BACKUP_CATCH_UP_JOB)
    # Retention: once a day at night (local); the purge reads what is due from the database, so
    # a night missed while the bot was down is caught up by the next one.
    queue.run_daily(
        purge_job,
        time=time(3, 30, tzinfo=config.timezone),
        name=PURGE_JOB,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    # Work notices: the handler sends them at once; this picks up a retry or one a stop left.
    queue.run_repeating(
        send_waiting_notices,
        interval=timedelta(minutes=1),
        first=timedelta(seconds=40),
        name=WORK_NOTICES_JOB,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
