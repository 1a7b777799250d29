"""Three years of an art. 9a parent, day by day through the real sweep (issue 11, "Done when").

The request is on Monday 5 January 2026; the youngest child was born on 10 July 2023, so the
ontheffing ends by law on its fifth birthday, Monday 10 July 2028 (art. 9a Participatiewet;
003:L339). The actiepunt "afspraken over arbeidsplicht maken" is due a month ahead: 10 June 2028
is a Saturday, so Friday 9 June. The team asks for a yearly ontheffing contact (003:L367), which
the consulent does on its due day each year. Nothing may ever offer "Verlengd".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.roles import Role
from bot.core.vocabulary import ExemptionBasis, ExemptionOutcome, ExemptionReason, HistoryField
from bot.deadlines import service
from bot.deadlines.rules import review_outcomes
from bot.deadlines.settings import DeadlinesConfig
from jobs.deadlines import sweep
from storage.deadlines import Decision
from storage.models import ClientEvent, Deadline, Digest, Exemption
from tests.support.deadlines import RecordingSender, make_client, staff_id
from tests.support.harness import BotHarness

REQUEST = date(2026, 1, 5)
BORN = date(2023, 7, 10)
LEGAL_END = date(2028, 7, 10)  # a Monday: the fifth birthday
ACTIEPUNT = date(2028, 6, 9)  # a month ahead (Saturday 10 June) moved to Friday
LAST_DAY = date(2029, 1, 4)  # three years after the request


def _at(day: date) -> datetime:
    return datetime.combine(day, time(8, 30), tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.mark.slow
async def test_three_years_of_an_art9a_parent(tmp_path: Path) -> None:
    config = Config(deadlines=DeadlinesConfig(exemption_yearly_contact=True))
    bot = await BotHarness.start(tmp_path, config=config, clock=FakeClock(_at(REQUEST)))
    try:
        user = await bot.staff(Role.CONSULENT, name="Sanne")
        async with bot.runtime.db.transaction() as session:
            owner, team = await staff_id(session, user.id)
            client = await make_client(
                session,
                team_id=team,
                ref="C-9",
                owner_staff_id=owner,
                now=bot.clock.now(),
                category="werkfit",
            )
            made = await service.create_art9a(
                session,
                team_id=team,
                client_id=client,
                request_date=REQUEST,
                youngest_born=BORN,
                months_used_before=0,
                decision=Decision(REQUEST, ExemptionBasis.REQUEST_9A),
                owner_staff_id=owner,
                config=bot.runtime.config.deadlines,
                now=bot.clock.now(),
                confirm_single_parent=True,
            )
        assert (made.end, made.followup_due) == (LEGAL_END, ACTIEPUNT)
        # Nothing offers "Verlengd": the only outcome of an art. 9a review is Beëindigd.
        assert ExemptionOutcome.EXTENDED not in review_outcomes(ExemptionReason.CHILD_UNDER_5)

        sender = RecordingSender()
        contacts_done: list[date] = []
        status_on: dict[date, str] = {}
        day = REQUEST
        while day <= LAST_DAY:
            bot.clock.set(_at(day))
            await sweep(bot.runtime, sender)
            sender.sent.clear()
            async with bot.runtime.db.transaction() as session:
                opened = (
                    await session.scalars(
                        select(Deadline).where(
                            Deadline.status == "open", Deadline.client_id == client
                        )
                    )
                ).all()
                # An art. 9a ontheffing never has a review that could be extended.
                assert all(d.kind != "exemption_review" for d in opened), day
                for deadline in opened:
                    if deadline.kind == "exemption_contact" and deadline.due_date == day:
                        await service.complete_deadline(
                            session,
                            deadline.id,
                            done_on=day,
                            now=bot.clock.now(),
                            config=bot.runtime.config.deadlines,
                        )
                        contacts_done.append(day)
                exemption = await session.get_one(Exemption, made.exemption_id)
                status_on[day] = exemption.status
            day += timedelta(days=1)

        # The yearly contact kept coming while the ontheffing ran (3 years would be 3 contacts;
        # the third, 5 January 2029, falls after the legal end and is closed with it).
        assert contacts_done == [date(2027, 1, 5), date(2028, 1, 5)]
        # It ends on the right working day: still active the Friday before, ended on Monday.
        assert status_on[date(2028, 7, 7)] == "active"
        assert status_on[LEGAL_END] == "ended"
        async with bot.runtime.db.transaction() as session:
            exemption = await session.get_one(Exemption, made.exemption_id)
            assert exemption.ended_on == LEGAL_END
            events = (
                await session.scalars(select(ClientEvent).where(ClientEvent.client_id == client))
            ).all()
            assert [e.new_value for e in events if e.field == HistoryField.EXEMPTION] == ["ended"]
            # The actiepunt came a month ahead, in the owner's digest on its due day.
            actiepunt = await session.scalar(
                select(Deadline).where(
                    Deadline.kind == "action_item", Deadline.due_date == ACTIEPUNT
                )
            )
            assert actiepunt is not None and actiepunt.owner_staff_id == owner
            digest = await session.scalar(
                select(Digest).where(Digest.staff_id == owner, Digest.digest_date == ACTIEPUNT)
            )
            assert digest is not None and actiepunt.id in digest.deadline_ids
            # No yearly contact is left open after the ontheffing ended.
            left = (
                await session.scalars(
                    select(Deadline).where(
                        Deadline.status == "open", Deadline.kind == "exemption_contact"
                    )
                )
            ).all()
            assert left == []
    finally:
        await bot.stop()
