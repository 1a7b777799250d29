"""/vacatures with more open vacatures than one message can hold: pages with "Vorige"/"Meer"."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.core.roles import Role
from storage.models import Team, Vacancy
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, texts
from tests.support.paging import walk_pages

COUNT = 130


async def test_130_open_vacatures_page_to_the_last_one(bot: BotHarness) -> None:
    netwerker = await bot.staff(Role.NETWERKER)
    author = await seed.staff_id(bot, netwerker.id)
    async with bot.runtime.db.transaction() as session:
        team_id = await session.scalar(select(Team.id).where(Team.name == "Team Werk"))
        session.add_all(
            Vacancy(
                team_id=team_id,
                author_staff_id=author,
                employer=f"Werkgever {n:03d}",
                function="Medewerker " + "x" * 80,
                place_kind="betaald_werk",
                closing_date=date(2026, 4, 1) + timedelta(days=n),
                status="open",
                created_at=bot.clock.now(),
                agenda_status="pending",
            )
            for n in range(1, COUNT + 1)
        )
    first = await bot.driver.text(netwerker, "/vacatures")
    pages = await walk_pages(first, lambda data: bot.driver.tap(netwerker, data))
    shown = "\n".join(t for page in pages for t in texts(page))
    # Every vacature once, soonest closing first, the last one on the last page.
    numbers = [f"Werkgever {n:03d}" for n in range(1, COUNT + 1)]
    assert all(shown.count(name) == 1 for name in numbers)
    assert "Werkgever 130" in "\n".join(texts(pages[-1]))
    assert "Open vacatures</b> (130)" in texts(pages[0])[0]
    # Vervuld buttons keep their numbers across pages; the last page goes back, not further.
    last = [label for call in pages[-1] for label, _ in call.buttons]
    assert "130. Vervuld" in last and any(label.startswith("« Vorige") for label in last)
    assert not any(label.startswith("Meer") for label in last)
