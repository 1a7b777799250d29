"""Every scheduled job is registered here, and only here.

The scheduler is only an alarm clock: each job reads its work from the database, so a restart
or a missed tick loses nothing; the next run catches up. Job names are namespaced.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import Application

from jobs.caselog import expire_vacancies
from jobs.forms import expire_forms


def schedule_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register every recurring job on the application's JobQueue."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    queue.run_repeating(
        expire_forms,
        interval=timedelta(minutes=1),
        first=timedelta(seconds=5),
        name="forms:expire",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    # Hourly, so a vacature expires within an hour of its closing date passing, also after a
    # restart: the job reads the database, the schedule holds no state.
    queue.run_repeating(
        expire_vacancies,
        interval=timedelta(hours=1),
        first=timedelta(seconds=30),
        name="caselog:expire-vacancies",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
