"""/agenda reads only the window it shows: termijnen up to its horizon, every open actiepunt."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.roles import Role
from bot.weekdate.rules.agenda import HORIZON_DAYS
from storage.models import Deadline
from storage.weekdate import agenda_input
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness

MEETING = date(2026, 3, 10)
TODAY = date(2026, 3, 3)


async def test_agenda_input_leaves_out_termijnen_beyond_the_horizon(bot: BotHarness) -> None:
    lead = await bot.staff(Role.TEAMLEIDER)
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        owner, team = await staff_id(session, lead.id)
        client = await make_client(session, team_id=team, ref="C-1", owner_staff_id=owner, now=now)
        for kind, due in (
            ("participation_contact", MEETING + timedelta(days=HORIZON_DAYS)),  # shown
            ("participation_contact", MEETING + timedelta(days=HORIZON_DAYS + 1)),  # not yet
            ("participation_contact", TODAY - timedelta(days=30)),  # overdue: shown
            ("action_item", MEETING + timedelta(days=400)),  # an actiepunt: always shown
        ):
            session.add(
                Deadline(
                    team_id=team, client_id=client, kind=kind, due_date=due,
                    owner_staff_id=owner, status="open", created_at=now,
                )
            )  # fmt: skip
    async with bot.runtime.db.transaction() as session:
        data = await agenda_input(
            session,
            team_id=team,
            team_name="Team Werk",
            meeting_date=MEETING,
            duration_minutes=60,
            today=TODAY,
            changes_since=now - timedelta(days=7),
        )
    assert sorted(d.due_date for d in data.deadlines) == [
        TODAY - timedelta(days=30),
        MEETING + timedelta(days=HORIZON_DAYS),
    ]
    assert [d.due_date for d in data.action_items] == [MEETING + timedelta(days=400)]
