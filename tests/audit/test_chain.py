"""The audit log is a hash chain: verified, tamper caught (naming the row), append-only,
unforked under concurrent writers, and still verifiable after retention purges a prefix."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.core.roles import Role
from bot.core.vocabulary import AuditAction, AuditResult
from storage import audit
from storage.models import AuditEntry
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness

ROOT = Path(__file__).parents[2]


async def _activity(bot: BotHarness, rounds: int = 3) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    owner = await seed.staff_id(bot, leader.id)
    await seed.client(bot, "C-1001", owner=owner)
    for _ in range(rounds):
        await bot.driver.text(leader, "/agenda")
        await bot.driver.text(leader, "/client C-1001")
        await bot.driver.text(leader, "/client C-9999")
        bot.clock.advance(timedelta(days=1))


async def _tamper(bot: BotHarness, row_id: int) -> None:
    """What someone with database access could do: switch the guard off, change one character."""
    async with bot.runtime.db.engine.begin() as conn:
        if bot.runtime.db.dialect == "sqlite":
            await conn.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard"))
        await conn.execute(
            text("UPDATE audit_log SET result = 'shoWn' WHERE id = :id"), {"id": row_id}
        )


async def test_chain_verifies_and_names_the_first_changed_row(bot: BotHarness) -> None:
    await _activity(bot)
    async with bot.runtime.db.transaction() as session:
        verdict = await audit.verify(session)
        rows = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert verdict.ok and verdict.checked == len(rows) >= 6
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))
    # The client view carries the stored reference and where it came from; the unknown one not.
    views = [r for r in rows if r.action == AuditAction.CLIENT_VIEW]
    assert {(r.reference, r.result, r.chat_type) for r in views} == {
        ("C-1001", "shown", "private"),
        (None, "unknown", "private"),
    }
    middle = rows[len(rows) // 2]
    await _tamper(bot, middle.id)
    async with bot.runtime.db.transaction() as session:
        verdict = await audit.verify(session)
    assert (verdict.ok, verdict.broken_id, verdict.reason) == (False, middle.id, "row_hash")


async def test_rows_are_never_updated_or_deleted(bot: BotHarness) -> None:
    await _activity(bot, rounds=1)
    for statement in ("UPDATE audit_log SET result = 'ok'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError):
            async with bot.runtime.db.transaction() as session:
                await session.execute(text(statement))
    async with bot.runtime.db.transaction() as session:
        assert (await audit.verify(session)).checked >= 3


async def test_concurrent_writers_do_not_fork_the_chain(bot: BotHarness) -> None:
    async def write(n: int) -> None:
        async with bot.runtime.db.transaction() as session:
            await audit.record(
                session, at=bot.clock.now(), action=AuditAction.AGENDA_ICS, result=AuditResult.OK
            )
            # Give the other writers a chance to interleave inside the transaction.
            await asyncio.sleep(0)
            await session.execute(select(AuditEntry.id).limit(1))

    async with bot.runtime.db.transaction() as session:
        base = (await audit.verify(session)).checked  # the start-up's own rows
    await asyncio.gather(*(write(n) for n in range(20)))
    async with bot.runtime.db.transaction() as session:
        verdict = await audit.verify(session)
        hashes = (await session.scalars(select(AuditEntry.prev_hash))).all()
    assert verdict.ok and verdict.checked == base + 20
    assert len(set(hashes)) == base + 20  # no two rows hang off the same predecessor


async def test_purge_keeps_a_verifiable_anchor(bot: BotHarness) -> None:
    await _activity(bot, rounds=4)
    async with bot.runtime.db.transaction() as session:
        total = (await audit.verify(session)).checked
        cutoff = bot.clock.now() - timedelta(days=2)
        would = await audit.purge_before(session, cutoff, dry_run=True)
    assert 0 < would < total
    async with bot.runtime.db.transaction() as session:
        assert await audit.purge_before(session, cutoff, dry_run=False) == would
    async with bot.runtime.db.transaction() as session:
        verdict = await audit.verify(session)
        first = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).first()
    assert verdict.ok and verdict.checked == total - would
    assert first is not None and first.prev_hash != audit.GENESIS
    # Rows above the anchor still cannot be deleted.
    with pytest.raises(DBAPIError):
        async with bot.runtime.db.transaction() as session:
            await session.execute(text("DELETE FROM audit_log"))


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
    )  # fmt: skip


def test_cli_verify_show_and_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    url = f"sqlite+aiosqlite:///{path}"
    for tid in ("41", "42", "43"):
        added = _cli("staff", "add", "--telegram-id", tid, "--role", "consulent",
                     "--team", "Team Werk", url=url)  # fmt: skip
        assert added.returncode == 0, added.stderr
    ok = _cli("audit", "verify", url=url)
    assert (ok.returncode, ok.stdout.strip()) == (0, "Auditketen in orde: 10 regels gecontroleerd.")
    shown = _cli("audit", "show", "--staff", "2", url=url)
    assert shown.returncode == 0 and "Geen regels gevonden." in shown.stdout
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET object = 'staff:9' WHERE id = 2")
    broken = _cli("audit", "verify", url=url)
    assert broken.returncode == 1
    assert "GEBROKEN bij regel 2 (row_hash)" in broken.stdout
