"""Overdragen: only colleagues whose roles may own the deadline's kind are offered, the tap is
re-checked, and Annuleren changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core.roles import Role
from bot.core.vocabulary import DeadlineKind
from bot.deadlines.rules import DEFAULT_CATALOGUE, may_own
from bot.deadlines.views import DEADLINE_BUTTONS
from storage.models import Deadline
from tests.deadlines.test_handlers import _client
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, button, texts


def test_who_may_own_which_kind() -> None:
    review = DEFAULT_CATALOGUE[DeadlineKind.EXEMPTION_REVIEW]
    lb_task = DEFAULT_CATALOGUE[DeadlineKind.LB_APPOINTMENT]
    action = DEFAULT_CATALOGUE[DeadlineKind.ACTION_ITEM]
    assert may_own(review, {Role.CONSULENT}) and may_own(review, {Role.TEAMLEIDER})
    assert not may_own(review, {Role.NETWERKER}) and not may_own(review, {Role.LOOPBAANBEGELEIDER})
    assert may_own(lb_task, {Role.LOOPBAANBEGELEIDER}) and not may_own(lb_task, {Role.CONSULENT})
    assert may_own(action, {Role.LOOPBAANBEGELEIDER}) and may_own(action, {Role.ADMIN})
    assert not may_own(action, {Role.NETWERKER}) and not may_own(action, {Role.BELEID})
    assert may_own(review, {Role.NETWERKER, Role.CONSULENT})


async def test_overdragen_offers_only_who_may_own_it_and_can_be_cancelled(bot: BotHarness) -> None:
    bot.clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    await bot.staff(Role.CONSULENT, name="Piet")
    await bot.staff(Role.TEAMLEIDER, name="Tom")
    netwerker = await bot.staff(Role.NETWERKER, name="Nina")
    await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    await _client(bot, "C-1")
    calls = await bot.driver.text(me, "/ontheffing C-1")
    # The form's order since issue 11: reason, scope, dates, then the decision recorded.
    calls = await bot.driver.tap(me, button(calls, "Mantelzorg"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.text(me, "3-11-2024")
    calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
    calls = await bot.driver.text(me, "2-11-2026")
    # The decision (issue 11): besluitdatum today, grondslag, no zaaknummer.
    calls = await bot.driver.tap(me, button(calls, "Vandaag"))
    calls = await bot.driver.tap(me, button(calls, "Advies verzekeringsarts"))
    await bot.driver.tap(me, button(calls, "Geen zaaknummer"))
    listing = await bot.driver.text(me, "/termijnen")
    card = await bot.driver.tap(me, button(listing, "1"))
    offer = await bot.driver.tap(me, button(card, "Overdragen"))
    assert [label for c in offer for label, _ in c.buttons] == ["Piet", "Tom", "Annuleren"]
    async with bot.runtime.db.transaction() as session:
        deadline = (await session.scalars(select(Deadline))).one()
    sanne = await seed.staff_id(bot, me.id)
    assert deadline.owner_staff_id == sanne
    # Annuleren: nothing changes.
    assert "Niet overgedragen" in texts(await bot.driver.tap(me, button(offer, "Annuleren")))[0]
    # A replayed (or forged) tap to the netwerker is re-checked and refused.
    nina = await seed.staff_id(bot, netwerker.id)
    forged = DEADLINE_BUTTONS.encode("give", deadline.id, nina)
    assert "kan deze termijn niet overnemen" in texts(await bot.driver.tap(me, forged))[0]
    async with bot.runtime.db.transaction() as session:
        assert (await session.get_one(Deadline, deadline.id)).owner_staff_id == sanne
    # A colleague who may own it still gets it.
    done = await bot.driver.tap(me, button(offer, "Piet"))
    assert "Overgedragen aan Piet" in texts(done)[0]
