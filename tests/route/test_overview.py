"""``/overzicht``: the caseload per category, subcategory and owner, the registration gaps with
a list button each (paged); ``/zoek``: references of the own team (paged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.core.roles import Role
from bot.transport import BotCall, LocalDriver, LocalUser
from storage.models import AuditEntry
from tests.route import seed
from tests.support import weekdate_seed
from tests.support.harness import BotHarness, button, only_text, texts

# The harness starts on Tuesday 3 March 2026.
TWO_YEARS_AGO = date(2024, 3, 1)
GROUP = LocalDriver.group_chat(-100777)


def labels(calls: list[BotCall]) -> list[str]:
    return [label for c in calls for label, _ in c.buttons]


@dataclass
class People:
    leader: LocalUser
    anna: LocalUser
    bram: LocalUser
    anna_id: int
    bram_id: int


async def people(bot: BotHarness) -> People:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    bram = await bot.staff(Role.CONSULENT, name="Bram")
    return People(
        leader,
        anna,
        bram,
        await weekdate_seed.staff_id(bot, anna.id),
        await weekdate_seed.staff_id(bot, bram.id),
    )


async def caseload(bot: BotHarness) -> People:
    p = await people(bot)
    c1 = await seed.client(
        bot,
        "C-1001",
        owner=p.anna_id,
        category="werkfit",
        subcategory="ontwikkeling",
        entered_on=TWO_YEARS_AGO,
    )
    await seed.contact(bot, c1, date(2025, 12, 1))
    await seed.client(bot, "C-1002", owner=p.anna_id, category="werkfit", entered_on=TWO_YEARS_AGO)
    c3 = await seed.client(
        bot,
        "C-1003",
        owner=p.bram_id,
        category="meedoen",
        subcategory="ontwikkeling",
        entered_on=TWO_YEARS_AGO,
    )
    await seed.contact(bot, c3, date(2025, 2, 1))  # 13 months ago
    await seed.contact(bot, c3, date(2026, 2, 1), kind="telefonisch")  # not face to face
    await seed.deadline(bot, c3, date(2026, 3, 2), p.bram_id)  # yesterday: overdue
    await seed.deadline(bot, c1, date(2026, 3, 3), p.anna_id)  # today: not overdue yet
    await seed.client(bot, "C-1004", owner=p.bram_id, entered_on=date(2026, 2, 1))  # first year
    await seed.client(
        bot, "C-1005", owner=p.bram_id, status="uitgestroomd", entered_on=TWO_YEARS_AGO
    )
    await seed.client(bot, "C-1009", team="Team Zorg", entered_on=TWO_YEARS_AGO)
    return p


async def test_overview_counts_and_lists(bot: BotHarness) -> None:
    p = await caseload(bot)
    calls = await bot.driver.text(p.leader, "/overzicht")
    text = only_text(calls)
    assert "4 cliënten in begeleiding" in text
    assert "Werkfit – ontwikkeling verwacht: 1" in text
    assert "Werkfit – zonder subcategorie: 1" in text
    assert "Meedoen – ontwikkeling verwacht: 1" in text
    assert "zonder categorie: 1" in text
    assert "Anna: 2" in text and "Bram: 2" in text
    assert "zonder categorie of subcategorie: 2" in text
    assert "geen face-to-face contact in 12 maanden: 2" in text
    assert "met een verlopen termijn: 1" in text
    assert "C-10" not in text  # counts only
    assert labels(calls) == [
        "Zonder (sub)categorie (2)",
        "Geen face-to-face in 12 maanden (2)",
        "Verlopen termijn (1)",
    ]
    listed = only_text(await bot.driver.tap(p.leader, button(calls, "face-to-face")))
    assert "C-1002" in listed and "C-1003" in listed
    assert "C-1001" not in listed and "C-1004" not in listed
    overdue = only_text(await bot.driver.tap(p.leader, button(calls, "Verlopen")))
    assert "C-1003" in overdue and "C-1001" not in overdue
    nocat = only_text(await bot.driver.tap(p.leader, button(calls, "categorie")))
    assert "C-1002" in nocat and "C-1004" in nocat and "C-1001" not in nocat
    assert "C-1005" not in nocat + listed + overdue and "C-1009" not in nocat + listed
    async with bot.runtime.db.transaction() as session:
        actions = [r.action for r in await session.scalars(select(AuditEntry))]
    assert "overview:view" in actions and actions.count("overview:list") == 3


async def test_overview_lists_one_page_at_a_time(bot: BotHarness) -> None:
    p = await people(bot)
    for n in range(20):
        await seed.client(bot, f"C-{2000 + n}", owner=p.anna_id)
    calls = await bot.driver.text(p.leader, "/overzicht")
    assert "zonder categorie of subcategorie: 20" in only_text(calls)
    first = await bot.driver.tap(p.leader, button(calls, "categorie"))
    page = only_text(first)
    assert "C-2000" in page and "C-2014" in page and "C-2015" not in page
    assert "1 tot en met 15 van 20" in page
    second = only_text(await bot.driver.tap(p.leader, button(first, "Meer")))
    assert "C-2015" in second and "C-2019" in second and "C-2014" not in second


async def test_overview_is_for_the_teamleider_in_private(bot: BotHarness) -> None:
    p = await caseload(bot)
    calls = await bot.driver.text(p.leader, "/overzicht")
    tap = button(calls, "Verlopen")
    # A consulent has no /overzicht, and a forwarded button does not open its list either.
    refused = "\n".join(texts(await bot.driver.text(p.anna, "/overzicht")))
    assert "C-10" not in refused and "begeleiding" not in refused
    tapped = await bot.driver.tap(p.anna, tap)
    assert "C-1003" not in "\n".join(texts(tapped))
    # In the group: a pointer to the private chat, no counts, no list.
    await bot.driver.bot_added(p.leader, GROUP)
    in_group = "\n".join(texts(await bot.driver.text(p.leader, "/overzicht", chat=GROUP)))
    assert "begeleiding" not in in_group and "C-10" not in in_group
    tapped = await bot.driver.tap(p.leader, tap, chat=GROUP)
    assert "C-1003" not in "\n".join(texts(tapped))
    # A forged gap code is refused without a list.
    forged = await bot.driver.tap(p.leader, "ovz:list:everything:0")
    assert "C-10" not in "\n".join(texts(forged))


async def test_zoek_finds_references_of_the_own_team_in_pages(bot: BotHarness) -> None:
    p = await caseload(bot)
    for n in range(20):
        await seed.client(bot, f"C-{3000 + n}", owner=p.bram_id)
    found = only_text(await bot.driver.text(p.anna, "/zoek c-100"))
    # Every status (also one who left), never another team's client.
    for ref in ("C-1001", "C-1002", "C-1003", "C-1004", "C-1005"):
        assert ref in found
    assert "C-1009" not in found
    # One client per line, also when the row ends with its owner.
    rows = [line for line in found.splitlines() if line[:1].isdigit()]
    assert len(rows) == 5 and all(line.count("<b>C-") == 1 for line in rows), found
    calls = await bot.driver.text(p.anna, "/zoek 30")
    assert "1 tot en met 15 van 20" in only_text(calls)
    more = only_text(await bot.driver.tap(p.anna, button(calls, "Meer")))
    assert "C-3019" in more and "C-3000" not in more
    assert "Geen cliënt" in only_text(await bot.driver.text(p.anna, "/zoek 999999"))
    assert "/zoek 1023" in only_text(await bot.driver.text(p.anna, "/zoek"))
    assert "niets om op te zoeken" in only_text(await bot.driver.text(p.anna, "/zoek ---"))
    assert "te lang" in only_text(await bot.driver.text(p.anna, "/zoek " + "9" * 40))
    await bot.driver.bot_added(p.leader, GROUP)
    in_group = "\n".join(texts(await bot.driver.text(p.anna, "/zoek c-100", chat=GROUP)))
    assert "C-1001" not in in_group
    forged = await bot.driver.tap(p.anna, "zoek:page:0:%%")
    assert "C-10" not in "\n".join(texts(forged))
