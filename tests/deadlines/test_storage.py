"""Storage functions other features call: trajecten, CSV import rows, Gedaan per kind."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.roles import Role
from bot.deadlines import service as store
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness


async def _me(bot: BotHarness) -> tuple[int, int, int]:
    user = await bot.staff(Role.CONSULENT, name="Sanne")
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, user.id)
        client = await make_client(
            session, team_id=team_id, ref="C-5", owner_staff_id=sid, now=bot.clock.now()
        )
    return sid, team_id, client


async def test_deadline_for_trajectory_is_idempotent(bot: BotHarness) -> None:
    sid, team_id, client = await _me(bot)
    now = bot.clock.now()
    args = {"team_id": team_id, "case_item_id": 9, "client_id": client, "owner_staff_id": sid}
    async with bot.runtime.db.transaction() as session:
        first = await store.deadline_for_trajectory(
            session, **args, start=date(2026, 3, 2), end=date(2026, 6, 7), now=now
        )
        again = await store.deadline_for_trajectory(
            session, **args, start=date(2026, 3, 2), end=date(2026, 6, 12), now=now
        )
        moved = await store.get_deadline(session, first or 0)
        gone = await store.deadline_for_trajectory(
            session, **args, start=date(2026, 3, 2), end=None, now=now
        )
        closed = await store.get_deadline(session, first or 0)
    assert first == again and gone is None
    assert moved is not None and moved.due_date == date(2026, 6, 12)
    assert closed is not None and closed.status == "not_applicable"


async def test_import_rows(bot: BotHarness) -> None:
    sid, team_id, _ = await _me(bot)
    rows = [
        store.ImportRow(2, "exemption_review", date(2027, 1, 10), "C-5"),  # Sunday -> Friday
        store.ImportRow(3, "exemption_review", date(2027, 1, 8), "C-5"),  # same after moving
        store.ImportRow(4, "koffie", date(2027, 1, 8), "C-5"),
        store.ImportRow(5, "action_item", date(2027, 1, 8), "C-404"),
        store.ImportRow(6, "action_item", date(2027, 1, 8), None, owner_name="Onbekend"),
        store.ImportRow(7, "action_item", date(2027, 1, 8), None, owner_name="sanne"),
    ]
    async with bot.runtime.db.transaction() as session:
        result = await store.import_deadlines(session, rows, team_id=team_id, now=bot.clock.now())
        created = [await store.get_deadline(session, i) for i in result.created]
    assert result.duplicates == [3]
    assert result.errors == [(4, "unknown_kind"), (5, "unknown_client"), (6, "unknown_owner")]
    assert [(d.kind, d.due_date, d.owner_staff_id) for d in created if d] == [
        ("exemption_review", date(2027, 1, 8), sid),
        ("action_item", date(2027, 1, 8), sid),
    ]


async def test_gedaan_per_kind(bot: BotHarness) -> None:
    sid, team_id, client = await _me(bot)
    now = bot.clock.now()
    config = bot.runtime.config.deadlines

    async def new(kind: str, due: date) -> int:
        return await store.create_deadline(
            session,
            team_id=team_id,
            kind=kind,
            due_date=due,
            owner_staff_id=sid,
            now=now,
            client_id=client,
            source_type="case_item",
            source_id=1,
        )

    async with bot.runtime.db.transaction() as session:
        wage = await new("wage_value_assessment", date(2026, 3, 3))
        done = await store.complete_deadline(
            session, wage, done_on=date(2026, 3, 3), now=now, config=config, interval_months=24
        )
        assert done.next_due == date(2028, 3, 3)
        # Werkstage: 3 months, at most 6 -> one extension, then no more.
        first = await new("work_internship", date(2026, 6, 2))
        step = await store.complete_deadline(
            session, first, done_on=date(2026, 6, 2), now=now, config=config, extend=True
        )
        assert step.next_due == date(2026, 9, 2)
        with pytest.raises(store.DeadlineError, match="max_reached"):
            await store.complete_deadline(
                session,
                step.next_deadline_id or 0,
                done_on=date(2026, 9, 2),
                now=now,
                config=config,
                extend=True,
            )
        action = await new("action_item", date(2026, 3, 3))
        once = await store.complete_deadline(
            session, action, done_on=date(2026, 3, 3), now=now, config=config
        )
        assert once == store.Completed(None, None)
        with pytest.raises(store.DeadlineError, match="already_resolved"):
            await store.resolve_deadline(session, action, status="done", now=now)
