"""SIGKILL the sweeping process 50 times at random points; nothing is sent twice or lost.

The bot's sweep runs in a real subprocess on an SQLite file (``restart_worker``), which kills
itself with SIGKILL at a randomly chosen point: inside a transaction, between claim and send,
between send and record. The parent restarts it (catch-up at start) until every day is done.

Checked afterwards:
- 0 duplicates: no person got two digests on one day (the "Telegram" log), and the ledger holds
  each (deadline, stage) once;
- no stage lost except those marked unknown: every stage due in the period is in the ledger as
  sent or unknown, and every digest marked sent really went out;
- no open deadline missing from the next digest: every digest that went out holds all of that
  person's overdue deadlines.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.roles import Role
from bot.core.workdays import is_working_day
from bot.deadlines import service as store
from bot.deadlines.rules import stage_dates
from bot.deadlines.settings import DeadlinesConfig
from storage import staff, teams
from storage.db import Database, create_engine, upgrade
from storage.models import Deadline, Digest, DigestNotification, Notification
from tests.support.deadlines import make_client

FIRST = date(2026, 3, 2)
LAST = date(2026, 6, 30)
KILLS = 50
POINTS = ("plan", "claim", "before_send", "after_send", "record")
ROOT = Path(__file__).resolve().parents[2]


async def _seed(url: str, rng: random.Random) -> None:
    db = Database(create_engine(url))
    await upgrade(db.engine)
    now = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    async with db.transaction() as session:
        (team,) = await teams.ensure_teams(session, ["Team Werk"], now)
        owners = []
        for n in range(16):
            member = await staff.upsert_staff(
                session,
                telegram_user_id=7000 + n,
                display_name=f"Medewerker {n}",
                team_id=team.id,
                roles=[Role.TEAMLEIDER] if n == 0 else [Role.CONSULENT],
                now=now,
            )
            owners.append(member.staff_id)
        for n in range(400):
            owner = rng.choice(owners[1:])
            client = await make_client(
                session, team_id=team.id, ref=f"R-{n}", owner_staff_id=owner, now=now
            )
            await store.create_deadline(
                session,
                team_id=team.id,
                kind=rng.choice(["exemption_review", "trajectory_end", "action_item"]),
                due_date=FIRST + timedelta(days=rng.randint(0, (LAST - FIRST).days)),
                owner_staff_id=owner,
                now=now,
                client_id=client,
            )
    await db.dispose()


def _run(url: str, first: date, log: Path, kill: tuple[str, int] | None) -> tuple[int, date | None]:
    """Run the worker from ``first``; its exit code and the last day it started."""
    args = [sys.executable, "-m", "tests.deadlines.restart_worker", url, first.isoformat()]
    args += [LAST.isoformat(), str(log)]
    if kill is not None:
        args += [kill[0], str(kill[1])]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    days = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("DAY ")]
    assert done.returncode in (0, -signal.SIGKILL), done.stderr[-2000:]
    return done.returncode, date.fromisoformat(days[-1]) if days else None


@pytest.mark.slow  # about 55 s; still part of `make test`
async def test_fifty_sigkills_no_duplicates_nothing_lost(tmp_path: Path) -> None:
    rng = random.Random(5)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
    log = tmp_path / "telegram.jsonl"
    await _seed(url, rng)

    kills: Counter[str] = Counter()
    day = FIRST
    while sum(kills.values()) < KILLS:
        point = rng.choice(POINTS)
        k = 1 if point == "plan" else rng.randint(1, 12)
        code, reached = _run(url, day, log, (point, k))
        if code == 0:
            break  # ran to the end without reaching the kill point
        kills[point] += 1
        assert reached is not None
        day = reached  # resume the day it died on
    assert sum(kills.values()) == KILLS, kills
    assert set(kills) == set(POINTS), kills
    code, _ = _run(url, day, log, None)
    assert code == 0

    delivered = [json.loads(line) for line in log.read_text().splitlines()]
    per_day = Counter((d["chat"], d["day"]) for d in delivered)
    assert max(per_day.values()) == 1, [k for k, v in per_day.items() if v > 1]

    db = Database(create_engine(url))
    async with db.transaction() as session:
        digests = (await session.scalars(select(Digest))).all()
        deadlines = (await session.scalars(select(Deadline))).all()
        ledger = (
            await session.execute(
                select(Notification.deadline_id, Notification.stage, Notification.status)
            )
        ).all()
        carried = set((await session.scalars(select(DigestNotification.notification_id))).all())
        notification_ids = set((await session.scalars(select(Notification.id))).all())
        tg = dict(
            (await session.execute(select(staff.Staff.id, staff.Staff.telegram_user_id))).all()
        )
    await db.dispose()

    # Every digest that says sent went out; every one that went out says sent or unknown.
    out = {(d["chat"], d["day"]): d["ids"] for d in delivered}
    statuses = Counter(d.status for d in digests)
    assert set(statuses) <= {"sent", "unknown"}, statuses
    assert statuses["unknown"] > 0
    for digest in digests:
        key = (tg[digest.staff_id], digest.digest_date.isoformat())
        if digest.status == "sent":
            assert key in out
            # The buttons (at most 60) name the digest's items in order.
            assert out[key] == digest.deadline_ids[:60]
        assert is_working_day(digest.digest_date)
    assert len(out) <= len(digests)

    # No stage lost except unknown; no stage twice.
    assert len({(d, s) for d, s, _ in ledger}) == len(ledger)
    assert carried == notification_ids
    assert {status for _, _, status in ledger} <= {"sent", "unknown"}
    policy = DeadlinesConfig().stage_policy
    config = DeadlinesConfig()
    expected = {
        (d.id, s.key)
        for d in deadlines
        for s in stage_dates(
            d.due_date, d.created_at.date(), 0, policy, config.pre_days_for(d.kind)
        )
        if FIRST <= s.on <= LAST
    }
    assert expected <= {(d, s) for d, s, _ in ledger}

    # No open deadline missing from any digest (so none from the next one after a lost one).
    overdue_by_owner: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for d in deadlines:
        overdue_by_owner[d.owner_staff_id or 0].append((d.due_date, d.id))
    checked = 0
    for digest in digests:
        must = {i for due, i in overdue_by_owner[digest.staff_id] if due < digest.digest_date}
        assert must <= set(digest.deadline_ids), (digest.id, must - set(digest.deadline_ids))
        checked += len(must)
    assert checked > 1000
