"""Rights of the client: inzage holds every table's rows about a reference; after wis nothing
but audit rows mention it; both are audit-logged; wis needs the reference typed again."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.roles import Role
from bot.records import service as records
from storage import audit
from storage.models import AuditEntry, Base, Client
from tests.records.seed import full_client
from tests.support.harness import BotHarness

ROOT = Path(__file__).parents[2]
REF = "C-7"


def _mentions(value: Any) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return re.search(rf"(?<![\w-]){re.escape(REF)}(?![\w-])", text) is not None


async def _tables_mentioning(bot: BotHarness) -> dict[str, int]:
    found: dict[str, int] = {}
    async with bot.runtime.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                if any(_mentions(v) for v in row.values() if v is not None):
                    found[table.name] = found.get(table.name, 0) + 1
    return found


async def _seed(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    await full_client(bot, REF, leader.id, form_user=9001)
    await full_client(
        bot, "C-70", leader.id, form_user=9002, shift=7
    )  # a look-alike that must stay
    await bot.driver.text(leader, f"/client {REF}")


async def test_inzage_holds_every_tables_rows(bot: BotHarness, tmp_path: Path) -> None:
    await _seed(bot)
    made = await records.inzage(bot.runtime.db, bot.clock, REF, None, tmp_path / "out")
    document = json.loads(made.json_path.read_text(encoding="utf-8"))
    assert made.pdf_path.read_bytes().startswith(b"%PDF")
    # Every table that mentions or links the client has its rows in the inzage.
    assert all(count >= 1 for count in made.counts.values()), made.counts
    assert set(made.counts) >= {
        "clients", "client_events", "case_items", "vacancies", "deadlines", "notifications",
        "deadline_postponements", "exemptions", "exemption_reviews", "participation_contacts",
        "weekdate_decisions", "form_sessions", "weekdate_meetings", "digests", "audit_log",
    }  # fmt: skip
    assert document["tables"]["deadlines"][1]["title"] == f"offerte voor {REF}"
    assert "C-70" not in made.json_path.read_text(encoding="utf-8")
    assert "C-OTHER" not in made.json_path.read_text(encoding="utf-8")
    async with bot.runtime.db.transaction() as session:
        rows = await audit.rows_for(session, reference=REF)
    assert [(r.action, r.result, r.chat_type) for r in rows][-1] == ("client:inzage", "ok", "cli")


async def test_wis_leaves_only_audit_rows(bot: BotHarness, tmp_path: Path) -> None:
    await _seed(bot)
    before = await _tables_mentioning(bot)
    assert len(before) >= 8 and "audit_log" in before
    removed = await records.wis(bot.runtime.db, bot.clock, REF, "Team Werk")
    assert removed >= 15
    assert set(await _tables_mentioning(bot)) == {"audit_log"}
    async with bot.runtime.db.transaction() as session:
        assert (await session.scalars(select(Client.ref))).all() == ["C-70"]
        actions = [r.action for r in await audit.rows_for(session, reference=REF)]
        verdict = await audit.verify(session)
        texts = (await session.scalars(select(AuditEntry.object))).all()
    # The seed's writes were audited (with the reference), then the view, then the wis itself.
    assert [a for a in actions if not a.startswith("record:")] == ["client_view", "client:wis"]
    # incl. the placement and the tag period
    assert actions.count("record:create") == 9 and verdict.ok
    assert not any("notitie" in (t or "") for t in texts)
    # The other client keeps everything: its lines in shared texts are still there.
    made = await records.inzage(bot.runtime.db, bot.clock, "C-70", None, tmp_path / "other")
    assert made.counts["weekdate_meetings"] == 1 and made.counts["digests"] == 1
    with pytest.raises(records.RecordsError):
        await records.wis(bot.runtime.db, bot.clock, REF, None)


def _cli(*args: str, url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, input=stdin,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
    )  # fmt: skip


def test_cli_wis_needs_the_reference_typed_again(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    url = f"sqlite+aiosqlite:///{path}"
    assert _cli("db", "upgrade", url=url).returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO teams (id, name, created_at) VALUES (1, 'Team Werk', '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO clients (team_id, ref, ref_key, tags, status, created_at, updated_at) "
            "VALUES (1, 'C-7', 'C7', '[]', 'actief', '2026-01-01', '2026-01-01')"
        )
    wrong = _cli("wis", "C-7", url=url, stdin="C-8\n")
    assert wrong.returncode == 2 and "niets gewist" in wrong.stderr
    also_wrong = _cli("wis", "C-7", "--yes-i-typed", "ja", url=url)
    assert also_wrong.returncode == 2
    looked = _cli("inzage", "C-7", "--out", str(tmp_path / "out"), url=url)
    assert looked.returncode == 0 and "clients\t1" in looked.stdout
    dry = _cli("purge", "--dry-run", url=url)
    assert dry.returncode == 0 and dry.stdout.splitlines()[0] == "Zou verwijderen:"
    assert [line.split("\t")[0].strip() for line in dry.stdout.splitlines()[1:]] == list(
        records.KINDS
    )
    done = _cli("wis", "C-7", url=url, stdin="C-7\n")
    assert done.returncode == 0 and "Gewist:" in done.stdout
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM clients").fetchone() == (0,)
        log = conn.execute("SELECT action, result, reference FROM audit_log ORDER BY id").fetchall()
    assert log == [
        ("client:wis", "refused", None),
        ("client:wis", "refused", None),
        ("client:inzage", "ok", "C-7"),
        ("client:wis", "ok", "C-7"),
    ]
    assert _cli("audit", "verify", url=url).returncode == 0
