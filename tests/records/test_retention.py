"""Retention: each setting of ``[retention]`` takes effect (kept the day before its period ends,
gone the day after); the daily job deletes what is due and writes one audit row with counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Config, ConfigError, TeamConfig, parse_config
from bot.core.roles import Role
from bot.core.vocabulary import AuditAction, AuditResult
from bot.records import service as records
from bot.records.rules import Retention, months_before
from storage import audit
from storage.models import (
    AuditEntry,
    CaseItem,
    Client,
    ClientEvent,
    Deadline,
    FormSession,
    Staff,
    StrangerReply,
    Team,
    Vacancy,
    WeekdateMeeting,
)
from tests.support.harness import BotHarness

DAY = timedelta(days=1)


def months_later(bot: BotHarness, start: datetime, months: int, extra: timedelta) -> None:
    """Set the clock to noon ``months`` calendar months after ``start`` (local), plus ``extra``."""
    day = start.astimezone(bot.clock.tz).date()
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    target = date(year, month + 1, min(day.day, 28))
    bot.clock.set(datetime.combine(target, time(12, 0), tzinfo=bot.clock.tz) + extra)


async def dry(bot: BotHarness) -> dict[str, int]:
    keep = bot.runtime.config.retention
    return await records.purge(bot.runtime.db, bot.clock, keep, dry_run=True)


async def _team_and_staff(bot: BotHarness) -> tuple[int, int]:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    async with bot.runtime.db.transaction() as session:
        team_id = await session.scalar(select(Team.id).where(Team.name == "Team Werk"))
        staff_id = await session.scalar(select(Staff.id).where(Staff.telegram_user_id == leader.id))
    assert team_id is not None and staff_id is not None
    return team_id, staff_id


async def test_items_months(tmp_path: Path) -> None:
    bot = await BotHarness.start(
        tmp_path,
        config=Config(teams=(TeamConfig("Team Werk"),), retention=Retention(items_months=2)),
    )
    try:
        team_id, staff_id = await _team_and_staff(bot)
        now = bot.clock.now()
        async with bot.runtime.db.transaction() as session:
            session.add_all([
                CaseItem(team_id=team_id, client_id=None, author_staff_id=staff_id, kind="note",
                         text="x", data={}, created_at=now, agenda_status="discussed"),
                CaseItem(team_id=team_id, client_id=None, author_staff_id=staff_id, kind="note",
                         text="still on the agenda", data={}, created_at=now,
                         agenda_status="pending"),
                Vacancy(team_id=team_id, author_staff_id=staff_id, employer="B", function="v",
                        place_kind="betaald_werk", status="vervallen", created_at=now,
                        closed_at=now, agenda_status="discussed"),
                WeekdateMeeting(team_id=team_id, regular_date=now.date(), held_on=now.date(),
                                status="closed", walk=[], attendee_staff_ids=[], created_at=now),
                Deadline(team_id=team_id, client_id=None, kind="action_item", title="t",
                         due_date=now.date(), owner_staff_id=staff_id, status="done",
                         created_at=now, resolved_at=now),
            ])  # fmt: skip
        months_later(bot, now, 2, timedelta(0))
        assert {k: v for k, v in (await dry(bot)).items() if v} == {}
        months_later(bot, now, 2, DAY)
        expected = {"items": 1, "vacancies": 1, "meetings": 1, "deadlines": 1}
        assert {k: v for k, v in (await dry(bot)).items() if v} == expected
        # The daily job (as scheduled) deletes them and writes one audit row with the counts.
        queue = bot.application.job_queue
        assert queue is not None
        job = next(j for j in queue.jobs() if j.name == "records:purge")
        await job.run(bot.application)
        async with bot.runtime.db.transaction() as session:
            left = (await session.scalars(select(CaseItem.text))).all()
            purges = (
                await session.scalars(
                    select(AuditEntry).where(AuditEntry.action == AuditAction.RETENTION_PURGE)
                )
            ).all()
            assert await session.scalar(select(func.count()).select_from(Vacancy)) == 0
        assert left == ["still on the agenda"]
        assert [(p.object, p.result, p.chat_type) for p in purges] == [
            (
                "items=1,vacancies=1,meetings=1,deadlines=1,clients=0,forms=0,strangers=0,audit=0",
                AuditResult.OK,
                "job",
            )
        ]
        assert {k: v for k, v in (await dry(bot)).items() if v} == {}
    finally:
        await bot.stop()


async def _with(tmp_path: Path, keep: Retention) -> BotHarness:
    return await BotHarness.start(
        tmp_path, config=Config(teams=(TeamConfig("Team Werk"),), retention=keep)
    )


async def test_clients_years(tmp_path: Path) -> None:
    bot = await _with(tmp_path, Retention(clients_years=1))
    try:
        team_id, staff_id = await _team_and_staff(bot)
        now = bot.clock.now()
        async with bot.runtime.db.transaction() as session:
            for ref, status in (
                ("C-1", "uitgestroomd"),
                ("C-2", "actief"),
                ("C-3", "overgedragen"),
            ):
                client = Client(
                    team_id=team_id,
                    ref=ref,
                    owner_staff_id=staff_id,
                    tags=[],
                    status=status,
                    created_at=now - 400 * DAY,
                    updated_at=now,
                )
                session.add(client)
                await session.flush()
                session.add(
                    ClientEvent(
                        client_id=client.id,
                        at=now,
                        actor_staff_id=staff_id,
                        field="status",
                        old_value="actief",
                        new_value=status,
                    )
                )
        months_later(bot, now, 12, timedelta(0))
        assert (await dry(bot))["clients"] == 0
        months_later(bot, now, 12, DAY)
        assert (await dry(bot))["clients"] == 2
        await records.purge(bot.runtime.db, bot.clock, bot.runtime.config.retention, dry_run=False)
        async with bot.runtime.db.transaction() as session:
            assert (await session.scalars(select(Client.ref))).all() == ["C-2"]
    finally:
        await bot.stop()


async def test_forms_days(tmp_path: Path) -> None:
    bot = await _with(tmp_path, Retention(forms_days=3))
    try:
        now = bot.clock.now()
        async with bot.runtime.db.transaction() as session:
            session.add(FormSession(telegram_user_id=77, chat_id=77, form="succes", step="text",
                                    data={}, started_at=now, updated_at=now))  # fmt: skip
        bot.clock.advance(3 * DAY - timedelta(hours=1))
        assert (await dry(bot))["forms"] == 0
        bot.clock.advance(timedelta(hours=2))
        assert (await dry(bot))["forms"] == 1
        await records.purge(bot.runtime.db, bot.clock, bot.runtime.config.retention, dry_run=False)
        async with bot.runtime.db.transaction() as session:
            assert await session.scalar(select(func.count()).select_from(FormSession)) == 0
    finally:
        await bot.stop()


async def test_strangers_days(tmp_path: Path) -> None:
    bot = await _with(tmp_path, Retention(strangers_days=10))
    try:
        await bot.driver.text(bot.stranger(), "hallo")  # a stranger gets the refusal
        async with bot.runtime.db.transaction() as session:
            assert await session.scalar(select(func.count()).select_from(StrangerReply)) == 1
        bot.clock.advance(10 * DAY - timedelta(hours=1))
        assert (await dry(bot))["strangers"] == 0
        bot.clock.advance(timedelta(hours=2))
        assert (await dry(bot))["strangers"] == 1
        await records.purge(bot.runtime.db, bot.clock, bot.runtime.config.retention, dry_run=False)
        async with bot.runtime.db.transaction() as session:
            assert await session.scalar(select(func.count()).select_from(StrangerReply)) == 0
    finally:
        await bot.stop()


async def test_audit_years(tmp_path: Path) -> None:
    bot = await _with(tmp_path, Retention(audit_years=1))
    try:
        async with bot.runtime.db.transaction() as session:
            for _ in range(3):
                await audit.record(
                    session, at=bot.clock.now(), action=AuditAction.AGENDA_ICS,
                    result=AuditResult.OK,
                )  # fmt: skip
        async with bot.runtime.db.transaction() as session:
            # The three, and the start-up's own rows (the teams it created).
            written = await session.scalar(select(func.count()).select_from(AuditEntry))
        assert written is not None and written >= 3
        start = bot.clock.now()
        months_later(bot, start, 12, timedelta(0))
        assert (await dry(bot))["audit"] == 0
        months_later(bot, start, 12, DAY)
        assert (await dry(bot))["audit"] == written
        await records.purge(bot.runtime.db, bot.clock, bot.runtime.config.retention, dry_run=False)
        async with bot.runtime.db.transaction() as session:
            verdict = await audit.verify(session)
            rows = await audit.recent(session)
        # Only the purge's own row is left, and it verifies from the anchor.
        assert verdict.ok and [r.action for r in rows] == ["retention:purge"]
    finally:
        await bot.stop()


def test_retention_section_is_read_and_bounded() -> None:
    config = parse_config({"retention": {"items_months": 18, "audit_years": 7}}, {})
    assert config.retention == Retention(items_months=18, audit_years=7)
    with pytest.raises(ConfigError, match="retention.forms_days"):
        parse_config({"retention": {"forms_days": 0}}, {})
    with pytest.raises(ConfigError, match="retention.keep"):
        parse_config({"retention": {"keep": 1}}, {})


def test_months_before() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)
