"""/mijn shows one page of the caseload with "Meer", and costs the same statements for three
clients or sixty (issue 15: no answer longer than one page unless the user asks for more)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.caselog.service import MY_CLIENTS_PAGE_SIZE
from bot.core.roles import Role
from bot.transport import LocalUser
from tests.support.deadlines import make_client, staff_id
from tests.support.harness import BotHarness, texts
from tests.support.paging import walk_pages

COUNT = 60


async def _clients(bot: BotHarness, owner: LocalUser, first: int, count: int) -> None:
    async with bot.runtime.db.transaction() as session:
        sid, team_id = await staff_id(session, owner.id)
        for n in range(first, first + count):
            await make_client(
                session, team_id=team_id, ref=f"C-{n:05d}", owner_staff_id=sid,
                now=bot.clock.now(),
            )  # fmt: skip


async def _statements(bot: BotHarness, user: LocalUser) -> tuple[int, list[str]]:
    seen = [0]
    engine = bot.runtime.db.engine.sync_engine

    def on_statement(*_args: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        calls = await bot.driver.text(user, "/mijn")
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    return seen[0], texts(calls)


async def test_mijn_pages_through_a_large_caseload(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    colleague = await bot.staff(Role.CONSULENT, name="Piet")
    await _clients(bot, me, 0, COUNT)
    await _clients(bot, colleague, 1000, 3)
    first = await bot.driver.text(me, "/mijn")
    assert len(texts(first)) == 1 and f"({COUNT})" in texts(first)[0]
    assert texts(first)[0].count("• <b>C-") == MY_CLIENTS_PAGE_SIZE
    pages = await walk_pages(first, lambda data: bot.driver.tap(me, data))
    assert len(pages) == -(-COUNT // MY_CLIENTS_PAGE_SIZE)
    shown = "\n".join(t for page in pages for t in texts(page))
    assert all(shown.count(f"<b>C-{n:05d}</b>") == 1 for n in range(COUNT))
    assert "C-01000" not in shown
    assert f"Nummer 51 tot en met {COUNT} van {COUNT}." in texts(pages[-1])[0]


async def test_mijn_costs_the_same_for_three_or_sixty_clients(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT)
    await _clients(bot, me, 0, 3)
    await bot.driver.text(me, "/help")  # the access lookup is now in memory
    few, few_texts = await _statements(bot, me)
    await _clients(bot, me, 100, 57)
    many, many_texts = await _statements(bot, me)
    assert "(3)" in few_texts[0] and f"({COUNT})" in many_texts[0]
    assert len(many_texts) == 1
    assert many == few
