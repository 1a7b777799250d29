"""``/client REF`` shows the whole route in sections; more history a page at a time; the
client's wishes set from the card in a few taps."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.core.roles import Role
from bot.transport import LocalDriver
from storage import clients
from storage.models import ClientWishes, Exemption, Placement, Vacancy
from tests.route import seed
from tests.support import weekdate_seed
from tests.support.harness import BotHarness, button, only_text, texts

GROUP = LocalDriver.group_chat(-100888)


async def test_the_card_shows_the_route_in_sections(bot: BotHarness) -> None:
    anna_user = await bot.staff(Role.CONSULENT, name="Anna")
    await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    anna = await weekdate_seed.staff_id(bot, anna_user.id)
    c1 = await seed.client(
        bot, "C-1001", owner=anna, status="aangemeld", entered_on=date(2025, 1, 6)
    )
    await seed.contact(bot, c1, date(2025, 12, 1))
    await seed.contact(bot, c1, date(2026, 2, 1), kind="telefonisch")
    await seed.deadline(bot, c1, date(2026, 12, 1), anna)
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        session.add(
            Exemption(
                team_id=1,
                client_id=c1,
                scope="volledig",
                reason="mantelzorg",
                start_date=date(2025, 6, 1),
                review_date=date(2026, 6, 1),
                status="active",
                created_at=now,
            )
        )
        vacancy = Vacancy(
            team_id=1,
            author_staff_id=anna,
            employer="Bakkerij Jansen",
            function="verkoper",
            place_kind="betaald_werk",
            hours_per_week=24,
            status="vervuld",
            filled_client_id=c1,
            created_at=now,
            closed_at=now,
        )
        session.add(vacancy)
        await session.flush()
        # Vervuld with the client records a placement (the card reads the placements table).
        session.add(
            Placement(
                team_id=1, client_id=c1, vacancy_id=vacancy.id, kind=None, hours_per_week=24,
                start_date=date(2026, 3, 2), with_lks=False, created_at=now,
            )
        )  # fmt: skip
    # Werkfit through /categorie: category and status change, the LB's task, the handover.
    calls = await bot.driver.text(anna_user, "/categorie C-1001")
    calls = await bot.driver.tap(anna_user, button(calls, "Werkfit"))
    calls = await bot.driver.tap(anna_user, button(calls, "ontwikkeling"))
    calls = await bot.driver.tap(anna_user, button(calls, "Lotte"))
    await bot.driver.text(anna_user, "klaar voor werk")
    bot.clock.advance(timedelta(days=2))
    calls = await bot.driver.text(anna_user, "/client C-1001")
    card = only_text(calls)
    for needle in (
        "<b>C-1001</b> · actief sinds 03-03-2026",
        "Categorie: Werkfit (ontwikkeling verwacht) sinds 03-03-2026",
        "Eigenaar: Lotte",
        "<b>Open termijnen</b>",
        "17-03-2026 gesprek loopbaanbegeleider inplannen (Lotte)",
        "01-12-2026 participatiecontact (Anna)",
        "Volledig (Mantelzorg) sinds 01-06-2025, herbeoordeling 01-06-2026",
        "Laatste: 1 december 2025",
        "Volgende participatiecontact: 1 december 2026",
        "verkoper bij Bakkerij Jansen (betaald werk), 24 uur per week, vanaf 02-03-2026",
        "<b>Wensen voor werk</b>\nnog niet bekend",
        "<b>Geschiedenis</b>",
        "eigenaar: Anna → Lotte (Anna). Reden: klaar voor werk",
    ):
        assert needle in card, needle
    sections = ["Open termijnen", "Ontheffingen", "Face-to-face", "Trajecten", "Plaatsingen"]
    positions = [card.index(f"<b>{s}") for s in sections]
    assert positions == sorted(positions)
    assert [label for c in calls for label, _ in c.buttons] == ["Wensen voor werk"]


async def test_wishes_from_the_card_in_a_few_taps(bot: BotHarness) -> None:
    anna_user = await bot.staff(Role.CONSULENT, name="Anna")
    anna = await weekdate_seed.staff_id(bot, anna_user.id)
    c1 = await seed.client(bot, "C-1001", owner=anna, category="werkfit")
    calls = await bot.driver.text(anna_user, "/client C-1001")
    calls = await bot.driver.tap(anna_user, button(calls, "Wensen voor werk"))
    assert "In welke branches" in only_text(calls)
    calls = await bot.driver.tap(anna_user, button(calls, "horeca en toerisme"))
    calls = await bot.driver.tap(anna_user, button(calls, "groen"))
    calls = await bot.driver.tap(anna_user, button(calls, "✓ groen"))  # and off again
    calls = await bot.driver.tap(anna_user, button(calls, "Klaar"))
    assert "Hoeveel uur" in only_text(calls)
    assert "40" in only_text(await bot.driver.text(anna_user, "honderd"))
    calls = await bot.driver.tap(anna_user, button(calls, "24"))
    calls = await bot.driver.tap(anna_user, button(calls, "betaald werk"))
    saved = await bot.driver.tap(anna_user, button(calls, "Klaar"))
    text = "\n".join(texts(saved))
    assert "Branches: horeca en toerisme" in text and "tot 24 per week" in text
    card = only_text(await bot.driver.text(anna_user, "/client C-1001"))
    assert "Branches: horeca en toerisme\nUren: tot 24 per week\nSoort plek: betaald werk" in card
    async with bot.runtime.db.transaction() as session:
        row = await session.get_one(ClientWishes, c1)
        assert (row.branches, row.hours_per_week, row.place_kinds) == (
            ["horeca_en_toerisme"],
            24,
            ["betaald_werk"],
        )
    # Opened again, the form starts from what is stored.
    calls = await bot.driver.text(anna_user, "/wensen C-1001")
    assert "✓ horeca en toerisme" in [label for c in calls for label, _ in c.buttons]


async def test_long_history_comes_a_page_at_a_time(bot: BotHarness) -> None:
    anna_user = await bot.staff(Role.CONSULENT, name="Anna")
    anna = await weekdate_seed.staff_id(bot, anna_user.id)
    c1 = await seed.client(bot, "C-1001", owner=anna)
    for n in range(25):
        async with bot.runtime.db.transaction() as session:
            await clients.change_category(
                session,
                c1,
                category="zorg" if n % 2 else "meedoen",
                subcategory=None,
                actor_staff_id=anna,
                reason=f"stap {n}",
                now=bot.clock.now(),
            )
        bot.clock.advance(timedelta(minutes=1))
    calls = await bot.driver.text(anna_user, "/client C-1001")
    card = only_text(calls)
    assert "stap 24" in card and "stap 15" in card and "stap 14" not in card
    assert "Nog 15 oudere regels" in card
    older = await bot.driver.tap(anna_user, button(calls, "Meer geschiedenis"))
    page = only_text(older)
    assert "stap 14" in page and "stap 5" in page and "stap 4" not in page
    last = only_text(await bot.driver.tap(anna_user, button(older, "Meer")))
    assert "stap 4" in last and "stap 0" in last and "stap 5" not in last


async def test_card_buttons_stay_in_the_own_team_and_out_of_groups(bot: BotHarness) -> None:
    anna_user = await bot.staff(Role.CONSULENT, name="Anna")
    other = await bot.staff(Role.CONSULENT, name="Zoe", team="Team Zorg")
    anna = await weekdate_seed.staff_id(bot, anna_user.id)
    c1 = await seed.client(bot, "C-1001", owner=anna)
    calls = await bot.driver.text(anna_user, "/client C-1001")
    wish = button(calls, "Wensen voor werk")
    stranger_tap = "\n".join(texts(await bot.driver.tap(other, wish)))
    assert "C-1001" not in stranger_tap
    history = f"kaart:hist:{c1}:0"
    assert "C-1001" not in "\n".join(texts(await bot.driver.tap(other, history)))
    await bot.driver.bot_added(anna_user, GROUP)
    assert "C-1001" not in "\n".join(texts(await bot.driver.tap(anna_user, history, chat=GROUP)))
    assert "C-1001" not in "\n".join(texts(await bot.driver.tap(anna_user, wish, chat=GROUP)))
    in_group = "\n".join(texts(await bot.driver.text(anna_user, "/wensen C-1001", chat=GROUP)))
    assert "branches" not in in_group
    async with bot.runtime.db.transaction() as session:
        assert (await session.scalars(select(ClientWishes))).all() == []
