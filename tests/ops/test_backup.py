"""Backups: an online snapshot while the bot runs, N kept, restored into an empty database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.backups import service
from bot.backups.rules import backup_due, backup_name, to_remove
from bot.config import BackupConfig, ConfigError, parse_config
from bot.core.roles import Role
from jobs.backup import BACKUP_JOB, CATCH_UP_JOB
from storage import audit
from storage.backup import all_rows, tables
from storage.db import Database, create_engine
from tests.app.test_cli import cli
from tests.support.caselog import intake
from tests.support.harness import DEFAULT_START, BotHarness


async def busy_bot(tmp_path: Path) -> BotHarness:
    """A bot with staff, an invitation, an aanmelding with a note and an item in it."""
    bot = await BotHarness.start(tmp_path / "live")
    consulent = await bot.staff(Role.CONSULENT)
    leider = await bot.staff(Role.TEAMLEIDER)
    await intake(bot, consulent, "C-10234", "Goed gesprek, start maandag")
    await bot.driver.text(consulent, "/succes C-10234 Contract getekend")
    await bot.driver.text(leider, "/uitnodigen")
    return bot


async def snapshot(db: Database) -> dict[str, list[dict[str, object]]]:
    async with db.engine.connect() as connection:
        return {table.name: await all_rows(connection, table) for table in tables()}


async def test_round_trip_restores_every_table(tmp_path: Path, database_url: str) -> None:
    bot = await busy_bot(tmp_path)
    try:
        made = await service.make_backup(bot.runtime.db, tmp_path / "backups", bot.clock.now(), 3)
        before = await snapshot(bot.runtime.db)
    finally:
        await bot.stop()
    filled = {name for name, rows in before.items() if rows}
    assert {"teams", "staff", "staff_roles", "clients", "case_items", "form_sessions"} <= filled, (
        filled
    )
    assert made.path.name == backup_name(DEFAULT_START)
    with closing(sqlite3.connect(made.path)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    target = Database(create_engine(database_url))
    try:
        copied = await service.restore(target, made.path, DEFAULT_START)
        assert copied == {name: len(rows) for name, rows in before.items()}
        after = await snapshot(target)
        chain = {"audit_log", "audit_chain"}
        assert {k: v for k, v in after.items() if k not in chain} == {
            k: v for k, v in before.items() if k not in chain
        }
        # The backup recorded its own making; the restore adds one row, chained onto the copy.
        assert before["audit_log"][-1]["action"] == "backup:make"
        assert after["audit_log"][:-1] == before["audit_log"]
        assert after["audit_log"][-1]["action"] == "backup:restore"
        async with target.transaction() as session:
            assert (await audit.verify(session)).broken_id is None
        # Restoring twice would mix two histories: the now filled database is refused.
        with pytest.raises(service.BackupRefused) as refused:
            await service.restore(target, made.path, DEFAULT_START)
        assert refused.value.code == "not_empty"
        # New rows get ids after the restored ones (PostgreSQL sequences moved on).
        async with target.transaction() as session:
            highest = await session.scalar(text("SELECT MAX(id) FROM teams"))
            await session.execute(
                text("INSERT INTO teams (name, created_at) VALUES ('Nieuw', :at)"),
                {"at": DEFAULT_START},
            )
            assert await session.scalar(text("SELECT MAX(id) FROM teams")) == highest + 1
    finally:
        await target.dispose()


async def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    target = Database(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite'}"))
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    try:
        for source, code in ((tmp_path / "missing.sqlite", "no_file"), (junk, "not_a_backup")):
            with pytest.raises(service.BackupRefused) as refused:
                await service.restore(target, source, DEFAULT_START)
            assert refused.value.code == code
    finally:
        await target.dispose()


def test_only_the_newest_backups_are_kept_and_other_files_left_alone() -> None:
    names = [backup_name(DEFAULT_START + timedelta(days=d)) for d in range(5)] + ["notes.txt"]
    assert to_remove(names, 2) == sorted(names[:3])
    assert to_remove(names, 10) == []


def test_a_backup_is_due_once_a_day() -> None:
    made = backup_name(DEFAULT_START)
    assert backup_due([], DEFAULT_START)
    assert not backup_due([made], DEFAULT_START + timedelta(hours=22))
    assert backup_due([made], DEFAULT_START + timedelta(hours=23))


async def test_daily_job_keeps_n_copies(tmp_path: Path) -> None:
    bot = await BotHarness.start(tmp_path)
    folder = tmp_path / "backups"
    (folder).mkdir()
    (folder / "README.txt").write_text("not ours", encoding="utf-8")
    try:
        for day in range(4):
            now = DEFAULT_START + timedelta(days=day)
            assert await service.backup_if_due(bot.runtime.db, folder, now, 2) is not None
            assert await service.backup_if_due(bot.runtime.db, folder, now, 2) is None
    finally:
        await bot.stop()
    kept = sorted(p.name for p in folder.iterdir())
    expected = [backup_name(DEFAULT_START + timedelta(days=d)) for d in (2, 3)]
    assert kept == ["README.txt", *expected]


async def test_backup_settings_schedule_the_job(tmp_path: Path) -> None:
    config = parse_config({"backup": {"time": "03:15", "keep": 14, "folder": "/srv/bk"}}, {})
    assert config.backup == BackupConfig(folder="/srv/bk", keep=14, time=config.backup.time)
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        assert bot.application.job_queue is not None
        [daily] = bot.application.job_queue.get_jobs_by_name(BACKUP_JOB)
        trigger = str(daily.trigger)
        assert "hour='3'" in trigger and "minute='15'" in trigger
        assert bot.application.job_queue.get_jobs_by_name(CATCH_UP_JOB)
    finally:
        await bot.stop()
    off = parse_config({"backup": {"daily": False}}, {})
    bot = await BotHarness.start(tmp_path / "off", config=off)
    try:
        assert bot.application.job_queue is not None
        assert not bot.application.job_queue.get_jobs_by_name(BACKUP_JOB)
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("folder", "  ", "backup.folder: noem de map"),
        ("keep", 0, "backup.keep: moet tussen 1 en 365"),
        ("keep", "7", "backup.keep: verwacht een geheel getal"),
        ("time", "25:00", "backup.time: verwacht een tijd"),
        ("daily", "ja", "backup.daily: verwacht true of false"),
        ("copies", 3, "backup.copies: onbekende instelling"),
    ],
)
def test_bad_backup_setting_names_the_key(key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=f"^{message}"):
        parse_config({"backup": {key: value}}, {})


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    live = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'live.sqlite'}"}
    added = cli("staff", "add", "--telegram-id", "4242", "--role", "consulent",
                "--team", "Team Werk", env=live)  # fmt: skip
    assert added.returncode == 0, added.stderr
    made = cli("backup", "--out", str(tmp_path / "bk"), env=live)
    assert made.returncode == 0, made.stderr
    [path] = list((tmp_path / "bk").iterdir())
    assert made.stdout.strip() == f"Back-up gemaakt: {path}"
    fresh = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite'}"}
    restored = cli("restore", str(path), env=fresh)
    assert restored.returncode == 0, restored.stderr
    assert "4242\t" in cli("staff", "list", env=fresh).stdout
    again = cli("restore", str(path), env=fresh)
    assert again.returncode == 2
    assert again.stderr.startswith("fout: de database is niet leeg")


def test_cli_backup_on_postgresql_gives_the_pg_dump_line() -> None:
    env = {"DATABASE_URL": "postgresql+asyncpg://bot:geheim@db.example:5433/weekdate"}
    result = cli("backup", env=env)
    assert result.returncode == 2
    assert "pg_dump --format=custom" in result.stderr
    assert "--host=db.example --port=5433 --username=bot weekdate" in result.stderr
    assert "geheim" not in result.stderr
