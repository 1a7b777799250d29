"""The weekdate hands out work and the people who got it hear it: one private message each,
sent once, retried when Telegram says wait; ``/categorie`` does the same through one function."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.core.roles import Role
from bot.transport import BotCall, LocalUser
from jobs.route import WORK_NOTICES_JOB
from storage.models import Client, Deadline, WorkNotice
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, button, only_text

HEAD = "Nieuw werk voor jou"


def notices(calls: list[BotCall], user: LocalUser) -> list[str]:
    return [
        c.text
        for c in calls
        if c.method == "sendMessage" and c.chat_id == user.id and HEAD in c.text
    ]


async def run_job(bot: BotHarness) -> list[BotCall]:
    queue = bot.application.job_queue
    assert queue is not None
    job = next(j for j in queue.jobs() if j.name == WORK_NOTICES_JOB)
    bot.transport.take()
    await job.run(bot.application)
    return bot.transport.take()


class Team:
    """Tara leads, Anna and Bram are consulenten, Lotte is the loopbaanbegeleider."""

    def __init__(self, leader: LocalUser, anna: LocalUser, bram: LocalUser, lotte: LocalUser):
        self.leader, self.anna, self.bram, self.lotte = leader, anna, bram, lotte


async def team(bot: BotHarness) -> Team:
    return Team(
        await bot.staff(Role.TEAMLEIDER, name="Tara"),
        await bot.staff(Role.CONSULENT, name="Anna"),
        await bot.staff(Role.CONSULENT, name="Bram"),
        await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte"),
    )


async def meeting_with_decisions(bot: BotHarness, t: Team) -> list[BotCall]:
    """Two aanmeldingen (Werkfit and Meedoen, both with Lotte) and two knelpunten with an
    actiepunt for Bram each; returns what ``/weekdate stop`` sent."""
    anna = await seed.staff_id(bot, t.anna.id)
    c1 = await seed.client(bot, "C-1001", owner=anna)
    c2 = await seed.client(bot, "C-1002", owner=anna, category="zorg", status="actief")
    c3 = await seed.client(bot, "C-1003", owner=anna, category="zorg", status="actief")
    c4 = await seed.client(bot, "C-1004", owner=anna)
    await seed.case_item(bot, "intake", author=anna, client_id=c1)
    await seed.case_item(bot, "bottleneck", author=anna, client_id=c2, text="vervoer")
    await seed.case_item(bot, "bottleneck", author=anna, client_id=c3, text="kinderopvang")
    await seed.case_item(bot, "intake", author=anna, client_id=c4)
    calls = await bot.driver.text(t.leader, "/weekdate start")
    # The agenda puts the aanmeldingen first, then the knelpunten.
    for category in ("Werkfit", "Meedoen"):
        calls = await bot.driver.tap(t.leader, button(calls, category))
        calls = await bot.driver.tap(t.leader, button(calls, "ontwikkeling"))
        calls = await bot.driver.tap(t.leader, button(calls, "Lotte"))
    for title in ("vervoer regelen", "opvang zoeken"):
        calls = await bot.driver.tap(t.leader, button(calls, "Actiepunt"))
        calls = await bot.driver.tap(t.leader, button(calls, "Bram"))
        calls = await bot.driver.tap(t.leader, button(calls, "Over 1 week"))
        calls = await bot.driver.text(t.leader, title)
    bot.transport.take()
    return await bot.driver.text(t.leader, "/weekdate stop")


async def test_after_stop_each_person_gets_one_message_with_all_their_work(
    bot: BotHarness, tmp_path: Path
) -> None:
    t = await team(bot)
    calls = await meeting_with_decisions(bot, t)
    async with bot.runtime.db.transaction() as session:
        tasks = {
            (d.kind, d.title)
            for d in await session.scalars(select(Deadline).where(Deadline.status == "open"))
        }
    assert ("action_item", "vervoer regelen") in tasks and ("action_item", "opvang zoeken") in tasks
    # Tuesday 3 March 2026: the LB plans both conversations by Tuesday 17 March.
    [to_lotte] = notices(calls, t.lotte)
    assert "C-1001" in to_lotte and "C-1004" in to_lotte
    assert to_lotte.count("uiterlijk 17 maart 2026") == 2
    [to_bram] = notices(calls, t.bram)
    assert "vervoer regelen, uiterlijk 10 maart 2026" in to_bram
    assert "opvang zoeken, uiterlijk 10 maart 2026" in to_bram
    [to_anna] = notices(calls, t.anna)
    # Werkfit moves C-1001 to Lotte; Meedoen keeps C-1004 with Anna.
    assert "C-1001 wordt begeleid door Lotte" in to_anna and "C-1004" not in to_anna
    assert notices(calls, t.leader) == []
    # The job finds nothing left to send, and neither does a restarted bot.
    assert await run_job(bot) == []
    again = await BotHarness.start(tmp_path, clock=bot.clock, database_url=_url(bot))
    try:
        assert await run_job(again) == []
    finally:
        await again.stop()


def _url(bot: BotHarness) -> str:
    return bot.runtime.config.database_url


async def test_a_notice_telegram_asked_to_wait_for_is_sent_once_by_the_job(
    bot: BotHarness,
) -> None:
    t = await team(bot)
    bot.transport.fail("sendMessage", chat_id=t.lotte.id, status=429, retry_after=5)
    calls = await meeting_with_decisions(bot, t)
    assert notices(calls, t.lotte) == [] and len(notices(calls, t.bram)) == 1
    resent = await run_job(bot)
    assert len(notices(resent, t.lotte)) == 1
    assert [c.chat_id for c in resent if c.method == "sendMessage"] == [t.lotte.id]
    assert await run_job(bot) == []


async def test_a_timeout_is_never_sent_again(bot: BotHarness) -> None:
    t = await team(bot)
    bot.transport.fail("sendMessage", chat_id=t.bram.id, timeout=True)
    await meeting_with_decisions(bot, t)
    assert await run_job(bot) == []
    async with bot.runtime.db.transaction() as session:
        rows = {n.staff_id: n.status for n in await session.scalars(select(WorkNotice))}
    assert sorted(rows.values()) == ["sent", "sent", "unknown"]


async def test_a_notice_left_unsent_by_a_stop_is_sent_by_the_job(bot: BotHarness) -> None:
    """The bot stopped between ``/weekdate stop``'s commit and the send: the job sends it."""
    t = await team(bot)
    await meeting_with_decisions(bot, t)
    async with bot.runtime.db.transaction() as session:
        row = await session.scalar(select(WorkNotice).where(WorkNotice.chat_id == t.bram.id))
        assert row is not None and row.status == "sent"
        row.status = "pending"  # as if the process died before claiming it
    assert len(notices(await run_job(bot), t.bram)) == 1
    assert await run_job(bot) == []


async def test_categorie_to_werkfit_has_the_weekdate_effects(bot: BotHarness) -> None:
    t = await team(bot)
    anna = await seed.staff_id(bot, t.anna.id)
    lotte = await seed.staff_id(bot, t.lotte.id)
    c1 = await seed.client(bot, "C-2001", owner=anna)
    calls = await bot.driver.text(t.anna, "/categorie C-2001")
    calls = await bot.driver.tap(t.anna, button(calls, "Werkfit"))
    calls = await bot.driver.tap(t.anna, button(calls, "ontwikkeling"))
    assert "Welke loopbaanbegeleider" in only_text(calls)
    # Typing instead of tapping is refused; the LB buttons stay.
    assert "knoppen" in only_text(await bot.driver.text(t.anna, "Lotte"))
    lotte_button = button(calls, "Lotte")
    calls = await bot.driver.tap(t.anna, lotte_button)
    calls = await bot.driver.text(t.anna, "klaar voor werk")
    saved = "\n".join(c.text for c in calls if c.chat_id == t.anna.id and HEAD not in c.text)
    assert "Lotte plant het gesprek, uiterlijk 17 maart 2026" in saved
    [to_lotte] = notices(calls, t.lotte)
    assert "C-2001: gesprek inplannen uiterlijk 17 maart 2026" in to_lotte
    [to_anna] = notices(calls, t.anna)
    assert "C-2001 wordt begeleid door Lotte" in to_anna
    # A second tap on the old LB button changes nothing and tells nobody again.
    again = await bot.driver.tap(t.anna, lotte_button)
    assert notices(again, t.lotte) == []
    async with bot.runtime.db.transaction() as session:
        client = await session.get_one(Client, c1)
        assert (client.category, client.owner_staff_id, client.status) == (
            "werkfit",
            lotte,
            "actief",
        )
        tasks = [
            (d.kind, d.owner_staff_id, d.due_date) for d in await session.scalars(select(Deadline))
        ]
        assert tasks == [("lb_appointment", lotte, date(2026, 3, 17))]
    assert await run_job(bot) == []


async def test_categorie_to_a_category_without_lb_tells_nobody(bot: BotHarness) -> None:
    t = await team(bot)
    anna = await seed.staff_id(bot, t.anna.id)
    await seed.client(bot, "C-2002", owner=anna)
    calls = await bot.driver.text(t.anna, "/categorie C-2002")
    calls = await bot.driver.tap(t.anna, button(calls, "Zorg"))
    calls = await bot.driver.tap(t.anna, button(calls, "ontwikkeling"))
    assert "Waarom" in only_text(calls)
    calls = await bot.driver.text(t.anna, "eerst zorg")
    assert [c for c in calls if HEAD in c.text] == []
    async with bot.runtime.db.transaction() as session:
        assert (await session.scalars(select(WorkNotice))).all() == []


async def test_categorie_needing_an_lb_in_a_team_without_one_says_so(bot: BotHarness) -> None:
    anna_user = await bot.staff(Role.CONSULENT, name="Anna")
    anna = await seed.staff_id(bot, anna_user.id)
    await seed.client(bot, "C-2003", owner=anna)
    calls = await bot.driver.text(anna_user, "/categorie C-2003")
    calls = await bot.driver.tap(anna_user, button(calls, "Meedoen"))
    calls = await bot.driver.tap(anna_user, button(calls, "ontwikkeling"))
    assert "geen loopbaanbegeleider" in only_text(calls)
