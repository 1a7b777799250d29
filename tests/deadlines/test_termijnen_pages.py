"""/termijnen for a teamleider with more open termijnen than one message can hold: pages."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.roles import Role
from storage import deadlines as store
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, texts
from tests.support.paging import walk_pages

COUNT = 130


async def test_130_open_termijnen_page_to_the_last_one(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    owner = await seed.staff_id(bot, leader.id)
    team_id = await seed.team_id(bot)
    first_due = date(2026, 2, 1)  # the first 30 are overdue on 3 March 2026
    async with bot.runtime.db.transaction() as session:
        for n in range(1, COUNT + 1):
            await store.create_deadline(
                session,
                team_id=team_id,
                kind="action_item",
                due_date=first_due + timedelta(days=n),
                owner_staff_id=owner,
                now=bot.clock.now(),
                title=f"taak {n:03d} " + "y" * 60,
            )
    first = await bot.driver.text(leader, "/termijnen")
    pages = await walk_pages(first, lambda data: bot.driver.tap(leader, data))
    shown = "\n".join(t for page in pages for t in texts(page))
    assert all(shown.count(f"taak {n:03d}") == 1 for n in range(1, COUNT + 1))
    assert "taak 130" in "\n".join(texts(pages[-1])) and "(130)" in texts(pages[0])[0]
    assert "Te laat" in texts(pages[0])[0]
    last = [label for call in pages[-1] for label, _ in call.buttons]
    assert "130" in last and "« Vorige" in last and not any(x.startswith("Meer") for x in last)
    # "Vorige" goes back a page.
    back = next(data for call in pages[-1] for label, data in call.buttons if label == "« Vorige")
    assert "taak 110" in "\n".join(texts(await bot.driver.tap(leader, back)))
    # ... also back to the first page, whose offset is 0 (not an id, but a valid position).
    to_first = next(
        data for call in pages[1] for label, data in call.buttons if label == "« Vorige"
    )
    assert to_first.endswith(":0")
    first_again = texts(await bot.driver.tap(leader, to_first))
    assert "taak 001" in "\n".join(first_again) and "werkt niet meer" not in "\n".join(first_again)
