"""Contact outcomes lead somewhere (issue 11 item 6; seed 004:L289-L298, L305).

"Doorstroom naar re-integratie" puts the client on the next weekdate agenda and gives the owner
the actiepunt "diagnose plannen"; vrijwilligerswerk, mantelzorg and andere maatschappelijke
activiteit offer an actiepunt "doorverwijzen naar <deadlines.welfare_partner>".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.core.roles import Role
from bot.core.vocabulary import ContactOutcome
from bot.deadlines.rules import ContactFollowUp, contact_follow_up
from bot.deadlines.settings import DeadlinesConfig, parse_deadlines
from bot.transport import BotCall, LocalUser
from storage.models import CaseItem, Deadline
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, button, only_text, texts

# Monday 23 November 2026, 09:00 local.
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
# Monday 23 November 2026 + 10 working days.
TEN_WORKING_DAYS_ON = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("outcome", "follow_up"),
    [
        # 004:L296 option 5, "eerst het diagnose-instrument", then the overdracht (L305).
        (ContactOutcome.TO_REINTEGRATION, ContactFollowUp.REINTEGRATION),
        # 004:L298 "Bij de eerste drie opties volgt een doorverwijzing" (options 1-3, L291-L294).
        (ContactOutcome.VOLUNTEERING, ContactFollowUp.REFERRAL),
        (ContactOutcome.INFORMAL_CARE, ContactFollowUp.REFERRAL),
        (ContactOutcome.SOCIAL_ACTIVITY, ContactFollowUp.REFERRAL),
        # 004:L295 option 4, tijdelijk niet mogelijk: nothing follows until the next contact.
        (ContactOutcome.TEMPORARILY_IMPOSSIBLE, ContactFollowUp.NONE),
    ],
)
def test_contact_follow_up_per_outcome(outcome: ContactOutcome, follow_up: ContactFollowUp) -> None:
    assert contact_follow_up(outcome) is follow_up
    assert contact_follow_up(outcome.value) is follow_up


def test_welfare_partner_setting_parses_and_is_checked() -> None:
    assert parse_deadlines({}).welfare_partner == "de welzijnspartner"
    assert parse_deadlines({"welfare_partner": " Welzijn MD "}).welfare_partner == "Welzijn MD"
    for bad in ("", "   ", 3, "x" * 41):
        with pytest.raises(ValueError, match="welfare_partner"):
            parse_deadlines({"welfare_partner": bad})


def joined(calls: list[BotCall]) -> str:
    return "\n".join(texts(calls))


async def _contact(bot: BotHarness, me: LocalUser, ref: str, outcome: str) -> list[BotCall]:
    calls = await bot.driver.text(me, f"/contact {ref}")
    calls = await bot.driver.tap(me, button(calls, "Face-to-face"))
    calls = await bot.driver.tap(me, button(calls, "Vandaag"))
    calls = await bot.driver.tap(me, button(calls, outcome))
    return await bot.driver.tap(me, button(calls, "Geen notitie"))


async def _action_items(bot: BotHarness) -> list[tuple[str | None, int | None, date]]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(
            select(Deadline).where(Deadline.kind == "action_item").order_by(Deadline.id)
        )
        return [(d.title, d.owner_staff_id, d.due_date) for d in rows]


async def test_doorstroom_puts_the_client_on_the_agenda_and_gives_the_owner_a_task(
    bot: BotHarness,
) -> None:
    bot.clock.set(MONDAY)
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    owner = await bot.staff(Role.CONSULENT, name="Anna")
    me = await bot.staff(Role.CONSULENT, name="Piet")
    anna = await seed.staff_id(bot, owner.id)
    await seed.client(bot, "C-7001", owner=anna, category="meedoen", status="actief")

    before = joined(await bot.driver.text(leader, "/agenda"))
    assert "C-7001" not in before

    reply = only_text(await _contact(bot, me, "C-7001", "Doorstroom naar re-integratie"))
    assert "op de agenda van het volgende weekdate-overleg" in reply
    assert "diagnose plannen" in reply and "7 december 2026" in reply
    # The owner (Anna), not the recorder, gets the task (004:L305: the owner hands over).
    assert await _action_items(bot) == [
        ("diagnose plannen (doorstroom naar re-integratie)", anna, TEN_WORKING_DAYS_ON)
    ]
    async with bot.runtime.db.transaction() as session:
        notes = list(await session.scalars(select(CaseItem).where(CaseItem.kind == "note")))
    assert [(n.agenda_status, n.client_id is not None) for n in notes] == [("pending", True)]
    agenda = joined(await bot.driver.text(leader, "/agenda"))
    assert "C-7001" in agenda and "Doorstroom naar re-integratie" in agenda


@pytest.mark.parametrize(
    "outcome", ["Vrijwilligerswerk", "Mantelzorg", "Andere maatschappelijke activiteit"]
)
async def test_referral_outcomes_offer_the_actiepunt_with_the_default_partner(
    bot: BotHarness, outcome: str
) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT, name="Piet")
    piet = await seed.staff_id(bot, me.id)
    await seed.client(bot, "C-7002", owner=None, category="meedoen", status="actief")
    calls = await _contact(bot, me, "C-7002", outcome)
    assert "door te verwijzen naar de welzijnspartner" in only_text(calls)
    # Offered, not made: nothing until the button is tapped.
    assert await _action_items(bot) == []
    reply = only_text(
        await bot.driver.tap(me, button(calls, "Actiepunt: doorverwijzen naar de welzijnspartner"))
    )
    assert "C-7002 doorverwijzen naar de welzijnspartner" in reply and "7 december 2026" in reply
    assert await _action_items(bot) == [
        ("doorverwijzen naar de welzijnspartner", piet, TEN_WORKING_DAYS_ON)
    ]
    # A second tap on the same offer makes no second actiepunt.
    again = only_text(
        await bot.driver.tap(me, button(calls, "Actiepunt: doorverwijzen naar de welzijnspartner"))
    )
    assert "bestaat al" in again and len(await _action_items(bot)) == 1


async def test_nee_makes_no_actiepunt_and_other_outcomes_offer_nothing(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT, name="Piet")
    await seed.client(bot, "C-7003", owner=None, category="meedoen", status="actief")
    calls = await _contact(bot, me, "C-7003", "Mantelzorg")
    assert "Geen actiepunt" in only_text(await bot.driver.tap(me, button(calls, "Nee")))
    calls = await _contact(bot, me, "C-7003", "Tijdelijk niet mogelijk")
    assert not any(call.buttons for call in calls) and "doorverwijzen" not in only_text(calls)
    assert await _action_items(bot) == []


async def test_a_colleague_of_another_team_cannot_take_the_offer(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT, name="Piet")
    other = await bot.staff(Role.CONSULENT, name="Zoë", team="Team Zorg")
    await seed.client(bot, "C-7004", owner=None, category="meedoen", status="actief")
    calls = await _contact(bot, me, "C-7004", "Vrijwilligerswerk")
    offer = button(calls, "Actiepunt: doorverwijzen naar de welzijnspartner")
    assert "niet aanmaken" in only_text(await bot.driver.tap(other, offer))
    assert await _action_items(bot) == []


async def test_welfare_partner_setting_names_the_partner(tmp_path: Path) -> None:
    """``[deadlines] welfare_partner`` reaches the offer, the actiepunt and its confirmation."""
    config = Config(deadlines=DeadlinesConfig(welfare_partner="Welzijn MD"))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        bot.clock.set(MONDAY)
        me = await bot.staff(Role.CONSULENT, name="Piet")
        await seed.client(bot, "C-7005", owner=None, category="meedoen", status="actief")
        calls = await _contact(bot, me, "C-7005", "Vrijwilligerswerk")
        assert "door te verwijzen naar Welzijn MD" in only_text(calls)
        reply = only_text(
            await bot.driver.tap(me, button(calls, "Actiepunt: doorverwijzen naar Welzijn MD"))
        )
        assert "doorverwijzen naar Welzijn MD" in reply
        assert [t for t, _, _ in await _action_items(bot)] == ["doorverwijzen naar Welzijn MD"]
    finally:
        await bot.stop()
