"""What the agenda reads from the database: doorstroom, vacatures, termijnen; and actiepunten
on termijnen linked to the client."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.core.roles import Role
from bot.weekdate.meeting_service import decide
from storage import deadlines
from storage import weekdate as store
from storage.models import ClientEvent, Deadline
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness
from tests.support.weekdate_fixtures import DALFSEN_MATCHING


async def test_agenda_input_reads_doorstroom_vacatures_and_termijnen(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT, name="Anna")
    anna = await seed.staff_id(bot, consulent.id)
    team = await seed.team_id(bot)
    first = await seed.client(bot, "C-1", owner=anna)
    moved = await seed.client(bot, "C-2", owner=anna, category="meedoen", status="actief")
    left = await seed.client(bot, "C-3", owner=anna, category="werkfit", status="uitgestroomd")
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        for client_id, field, old, new in (
            (first, "category", None, "zorg"),  # a first classification: no doorstroom
            (moved, "category", "zorg", "meedoen"),
            (left, "status", "actief", "uitgestroomd"),
            (moved, "owner", "1", "2"),  # not a transition
        ):
            session.add(
                ClientEvent(
                    client_id=client_id,
                    at=now,
                    actor_staff_id=anna,
                    field=field,
                    old_value=old,
                    new_value=new,
                    reason="werk",
                )
            )
        await deadlines.create_deadline(
            session,
            team_id=team,
            kind="exemption_review",
            due_date=date(2026, 3, 1),
            owner_staff_id=anna,
            now=now,
            client_id=moved,
        )
        await deadlines.create_deadline(
            session,
            team_id=team,
            kind="action_item",
            due_date=date(2026, 6, 1),
            owner_staff_id=anna,
            now=now,
            title="bellen",
        )
    await seed.vacancy(bot, author=anna, employer="E", function="f", place_kind="werkstage")
    async with bot.runtime.db.transaction() as session:
        data = await store.agenda_input(
            session,
            team_id=team,
            team_name="Team Werk",
            meeting_date=date(2026, 3, 3),
            duration_minutes=30,
            today=date(2026, 3, 3),
            changes_since=now - timedelta(days=7),
            matching=DALFSEN_MATCHING,
        )
    assert [(t.client_ref, t.field, t.new_value) for t in data.transitions] == [
        ("C-2", "category", "meedoen"),
        ("C-3", "status", "uitgestroomd"),
    ]
    assert [(d.kind, d.client_ref) for d in data.deadlines] == [("exemption_review", "C-2")]
    # Actiepunten are listed whatever their due date.
    assert [d.title for d in data.action_items] == ["bellen"]
    assert [(v.place_kind, v.seen_before) for v in data.vacancies] == [("werkstage", False)]
    assert [c.ref for c in data.candidates] == ["C-2"]  # meedoen, active


async def test_actiepunt_on_a_termijn_is_linked_to_its_client(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    tara = await seed.staff_id(bot, leader.id)
    team = await seed.team_id(bot)
    client = await seed.client(bot, "C-7", owner=tara, category="zorg", status="actief")
    async with bot.runtime.db.transaction() as session:
        meeting = await store.ensure_meeting(
            session, team, date(2026, 3, 3), date(2026, 3, 3), bot.clock.now()
        )
        entry = {
            "key": "deadline:99",
            "kind": "deadline",
            "ref": "C-7",
            "label": "termijn",
            "summary": "herbeoordeling ontheffing",
            "client_id": None,
        }
        summary = await decide(
            session,
            meeting=meeting,
            entry=entry,
            outcome="action",
            actor_staff_id=tara,
            clock=bot.clock,
            owner_staff_id=tara,
            due=date(2026, 3, 10),
        )
        again = await decide(
            session,
            meeting=meeting,
            entry=entry,
            outcome="discussed",
            actor_staff_id=tara,
            clock=bot.clock,
        )
        task = (await session.scalars(select(Deadline))).one()
    assert summary == "Tara: termijn C-7: herbeoordeling ontheffing, uiterlijk 10 maart 2026"
    assert again is None  # a double tap decides nothing twice
    assert (task.client_id, task.kind, task.owner_staff_id) == (client, "action_item", tara)
