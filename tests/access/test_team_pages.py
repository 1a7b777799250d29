"""/team for a team larger than one message can hold: pages with "Vorige"/"Meer"."""

from __future__ import annotations

from bot.core.roles import Role
from storage import staff
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, texts
from tests.support.paging import walk_pages

COUNT = 130


async def test_a_team_of_130_pages_to_the_last_colleague(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Aaa Tara")
    team_id = await seed.team_id(bot)
    async with bot.runtime.db.transaction() as session:
        for n in range(1, COUNT + 1):
            await staff.upsert_staff(
                session,
                telegram_user_id=900000 + n,
                display_name=f"Collega {n:03d}",
                team_id=team_id,
                roles=[Role.CONSULENT],
                now=bot.clock.now(),
            )
    first = await bot.driver.text(leader, "/team")
    pages = await walk_pages(first, lambda data: bot.driver.tap(leader, data))
    shown = "\n".join(t for page in pages for t in texts(page))
    assert all(shown.count(f"Collega {n:03d}") == 1 for n in range(1, COUNT + 1))
    assert "Collega 130" in "\n".join(texts(pages[-1]))
    # Each page: a deactivate button per colleague shown (not the teamleider), plus paging.
    labels = [label for call in pages[-1] for label, _ in call.buttons]
    assert any("Collega 130" in label for label in labels)
    assert "« Vorige" in labels and not any(label.startswith("Meer") for label in labels)
