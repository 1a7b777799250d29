"""The weekdate end to end: agenda dispatch (DST, holidays, exactly once), /agenda, meeting
mode with its decisions, minutes, carried items, and moving an occurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.config import Config, TeamConfig, WeekdateConfig, WeekdateTeamConfig
from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.roles import Role
from bot.transport import BotCall, LocalDriver
from jobs.weekdate import CATCH_UP_JOB, DAILY_JOB
from storage import audit, teams
from storage.models import CaseItem, Client, ClientEvent, Deadline, WeekdateMeeting
from tests.support import weekdate_seed as seed
from tests.support.harness import BotHarness, button, texts

MONDAY_TEAM = Config(teams=(TeamConfig("Team Werk", weekdate_weekday=0),))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


def joined(calls: list[BotCall], chat_id: int | None = None) -> str:
    return "\n".join(
        c.text
        for c in calls
        if c.method in ("sendMessage", "editMessageText") and chat_id in (None, c.chat_id)
    )


async def run_job(bot: BotHarness, name: str = DAILY_JOB) -> list[BotCall]:
    queue = bot.application.job_queue
    assert queue is not None
    job = next(j for j in queue.jobs() if j.name and j.name.startswith(name))
    bot.transport.take()
    await job.run(bot.application)
    return bot.transport.take()


async def link_group(bot: BotHarness, leader_id: int, chat_id: int = -100500) -> None:
    async with bot.runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None
        await teams.link_group(session, team.id, chat_id)


async def test_daily_trigger_fires_at_16_local_in_both_dst_weeks(tmp_path: Path) -> None:
    bot = await BotHarness.start(tmp_path)
    try:
        queue = bot.application.job_queue
        assert queue is not None
        daily = next(j for j in queue.jobs() if j.name == f"{DAILY_JOB}@16:00")
        assert any(j.name == CATCH_UP_JOB for j in queue.jobs())
        trigger = daily.job.trigger
        # Each day of the weeks of 29 March and 25 October 2026 the alarm rings at 16:00 local,
        # which is 15:00 UTC in winter time and 14:00 UTC in summer time.
        cases = [
            (local(2026, 3, 27, 17, 0), datetime(2026, 3, 28, 15, 0, tzinfo=UTC)),
            (local(2026, 3, 28, 17, 0), datetime(2026, 3, 29, 14, 0, tzinfo=UTC)),
            (local(2026, 3, 30, 9, 0), datetime(2026, 3, 30, 14, 0, tzinfo=UTC)),
            (local(2026, 10, 24, 17, 0), datetime(2026, 10, 25, 15, 0, tzinfo=UTC)),
            (local(2026, 10, 26, 9, 0), datetime(2026, 10, 26, 15, 0, tzinfo=UTC)),
        ]
        for now, expected in cases:
            fire = trigger.get_next_fire_time(None, now)
            assert fire == expected, (now, fire)
            assert fire.astimezone(AMSTERDAM).time() == time(16, 0)
    finally:
        await bot.stop()


async def test_agenda_goes_out_at_local_time_in_dst_weeks_exactly_once(tmp_path: Path) -> None:
    clock = FakeClock(local(2026, 3, 30, 9, 0))
    bot = await BotHarness.start(tmp_path, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        await link_group(bot, leader.id)
        cid = await seed.client(bot, "C-1001", owner=await seed.staff_id(bot, consulent.id))
        await seed.case_item(
            bot,
            "intake",
            author=await seed.staff_id(bot, consulent.id),
            client_id=cid,
            text="eerste gesprek gehad",
            data={"proposed_category": "werkfit"},
        )
        # Weekdate Tuesday 31 March 2026 (summer time): agenda Monday 30 March 16:00 CEST.
        clock.set(local(2026, 3, 30, 15, 59))
        assert texts(await run_job(bot)) == []
        clock.set(local(2026, 3, 30, 16, 0))
        calls = await run_job(bot)
        private = joined(calls, leader.id)
        assert "Agenda weekdate Team Werk" in private and "dinsdag 31-03-2026 om 10:00" in private
        assert "C-1001" in private and "eerste gesprek gehad" in private
        group = joined(calls, -100500)
        assert "C-1001 aanmelding" in group and "eerste gesprek" not in group
        assert [c.chat_id for c in calls if c.method == "sendDocument"] == [leader.id]
        # The catch-up tick and a second daily tick send nothing more.
        clock.advance(timedelta(minutes=10))
        assert await run_job(bot, CATCH_UP_JOB) == []
        assert await run_job(bot) == []
        # Winter time: weekdate Tuesday 27 October, agenda Monday 26 October 16:00 CET.
        clock.set(local(2026, 10, 26, 15, 59))
        assert texts(await run_job(bot)) == []
        clock.set(local(2026, 10, 26, 16, 0))
        assert "dinsdag 27-10-2026" in joined(await run_job(bot), leader.id)
    finally:
        await bot.stop()


async def test_missed_tick_is_caught_up_after_a_restart_and_not_repeated(tmp_path: Path) -> None:
    clock = FakeClock(local(2026, 11, 23, 12, 0))
    bot = await BotHarness.start(tmp_path, clock=clock)
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    await bot.stop()
    # The bot was down at 16:00; it comes back at 17:35 the same day.
    clock.set(local(2026, 11, 23, 17, 35))
    again = await BotHarness.start(tmp_path, clock=clock)
    try:
        calls = await run_job(again, CATCH_UP_JOB)
        assert "dinsdag 24-11-2026" in joined(calls, leader.id)
    finally:
        await again.stop()
    third = await BotHarness.start(tmp_path, clock=clock)
    try:
        assert await run_job(third, CATCH_UP_JOB) == []
        async with third.runtime.db.transaction() as session:
            rows = (await session.scalars(select(WeekdateMeeting))).all()
        # One meeting per team (Team Werk and Team Zorg), each agenda claimed once.
        assert len({r.team_id for r in rows}) == len(rows) == 2
        assert all(r.agenda_sent_at is not None for r in rows)
    finally:
        await third.stop()


async def test_koningsdag_raises_the_holiday_question_and_skip_rolls_items_over(
    tmp_path: Path,
) -> None:
    # Monday 27 April 2026 is Koningsdag; the team meets on Mondays.
    clock = FakeClock(local(2026, 4, 20, 16, 0))
    bot = await BotHarness.start(tmp_path, config=MONDAY_TEAM, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        author = await seed.staff_id(bot, consulent.id)
        # Nothing to ask yet on Friday 17 April 16:00? The question comes 7 days ahead.
        calls = await run_job(bot)
        question = joined(calls, leader.id)
        assert "27 april 2026" in question and "Koningsdag" in question
        assert {label for c in calls for label, _ in c.buttons} >= {"Verzetten", "Overslaan"}
        # Asked once only.
        clock.advance(timedelta(hours=1))
        assert "Koningsdag" not in joined(await run_job(bot, CATCH_UP_JOB))
        calls = await bot.driver.tap(leader, button(calls, "Overslaan"))
        assert "gaat niet door" in joined(calls)
        cid = await seed.client(bot, "C-2001", owner=author)
        await seed.case_item(bot, "bottleneck", author=author, client_id=cid, text="vervoer")
        # Friday 24 April 16:00: no agenda (skipped); Friday 1 May 16:00: the 4 May agenda
        # carries the item.
        clock.set(local(2026, 4, 24, 16, 0))
        assert texts(await run_job(bot)) == []
        clock.set(local(2026, 5, 1, 16, 0))
        agenda = joined(await run_job(bot), leader.id)
        assert "maandag 04-05-2026" in agenda and agenda.count("C-2001") == 1
    finally:
        await bot.stop()


async def test_tweede_paasdag_raises_the_holiday_question(tmp_path: Path) -> None:
    # Monday 6 April 2026 is Tweede Paasdag.
    clock = FakeClock(local(2026, 3, 31, 16, 0))
    bot = await BotHarness.start(tmp_path, config=MONDAY_TEAM, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        calls = await run_job(bot)
        assert "Tweede paasdag" in joined(calls, leader.id)
        # Move it to Tuesday 7 April 13:30 with the form behind the button.
        calls = await bot.driver.tap(leader, button(calls, "Verzetten"))
        calls = await bot.driver.tap(leader, button(calls, "Andere dag"))
        calls = await bot.driver.text(leader, "31-02-2026")
        assert "31-2-2026 bestaat niet" in joined(calls)
        calls = await bot.driver.text(leader, "7-4-2026")
        calls = await bot.driver.text(leader, "13:30")
        assert "verzet naar dinsdag 7 april 2026 13:30" in joined(calls)
        # The agenda for the moved meeting goes out on Thursday 2 April (Goede Vrijdag and
        # Tweede Paasdag are no working days) and says when it is.
        clock.set(local(2026, 4, 2, 16, 0))
        agenda = joined(await run_job(bot), leader.id)
        assert "dinsdag 07-04-2026 om 13:30" in agenda
    finally:
        await bot.stop()


async def test_agenda_command_draft_group_copy_previous_pdf_and_ics(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    consulent = await bot.staff(Role.CONSULENT, name="Anna")
    netwerker = await bot.staff(Role.NETWERKER, name="Niels")
    author = await seed.staff_id(bot, consulent.id)
    werkfit = await seed.client(bot, "C-0900", owner=author, category="werkfit", status="actief")
    assert werkfit
    cid = await seed.client(bot, "C-1001", owner=author)
    await seed.case_item(bot, "intake", author=author, client_id=cid, text="nieuw <b>hier</b>")
    await seed.vacancy(
        bot,
        author=await seed.staff_id(bot, netwerker.id),
        employer="Bakkerij Jansen",
        function="verkoper",
        place_kind="betaald_werk",
        closing=date(2026, 3, 12),
    )
    calls = await bot.driver.text(leader, "/agenda")
    text = joined(calls)
    for heading in (
        "Nieuwe aanmeldingen",
        "Vacatures",
        "Komende trajecten",
        "Knelpunten",
        "Doorstroom en uitstroom",
        "Successen",
        "Termijnen",
        "Doorgeschoven punten",
        "Open actiepunten",
    ):
        assert heading in text
    assert "nieuw &lt;b&gt;hier&lt;/b&gt;" in text and "Kandidaten: C-0900" in text
    assert "dinsdag 03-03-2026 om 10:00" in text
    assert "Concept" in text and "verzendmoment was maandag 02-03-2026 om 16:00" in text
    # A consulent sees references and item types only.
    other = joined(await bot.driver.text(consulent, "/agenda"))
    assert "C-1001 aanmelding" in other and "Kandidaten" not in other and "hier" not in other
    assert "nog geen agenda verstuurd" in joined(await bot.driver.text(leader, "/agenda vorige"))
    async with bot.runtime.db.transaction() as session:
        views = [r for r in await audit.recent(session) if r.action.startswith("agenda.")]
    assert {(r.action, r.result) for r in views} >= {
        ("agenda.concept", "ok"),
        ("agenda.concept", "references_only"),
    }
    pdf = await bot.driver.text(leader, "/agenda pdf")
    assert [c.method for c in pdf] == ["sendDocument"]
    ics = await bot.driver.text(consulent, "/agenda ics")
    assert [c.method for c in ics] == ["sendDocument"] and "3 maart 2026" in ics[0].text


async def test_meeting_mode_decisions_minutes_and_carried_items(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    consulent = await bot.staff(Role.CONSULENT, name="Anna")
    lb = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    await link_group(bot, leader.id)
    anna, lotte = await seed.staff_id(bot, consulent.id), await seed.staff_id(bot, lb.id)
    c1 = await seed.client(bot, "C-1001", owner=anna)
    c2 = await seed.client(bot, "C-1002", owner=anna, category="meedoen", status="actief")
    c3 = await seed.client(bot, "C-1003", owner=anna, category="werkfit", status="actief")
    intake = await seed.case_item(bot, "intake", author=anna, client_id=c1)
    await seed.case_item(bot, "bottleneck", author=anna, client_id=c2, text="vervoer")
    success = await seed.case_item(bot, "success", author=anna, client_id=c3, text="contract")
    # Tuesday 3 March 2026, 09:00 local: the weekdate of today.
    calls = await bot.driver.text(leader, "/weekdate start")
    group = joined(calls, -100500)
    assert "C-1001 aanmelding" in group and "vervoer" not in group
    me_text = joined(calls, leader.id)
    assert "Punt 1 van 3: C-1001 aanmelding" in me_text
    # Anna taps "ik ben erbij" in the group.
    attend = button(calls, "Ik ben erbij")
    await bot.driver.tap(consulent, attend, chat=LocalDriver.group_chat(-100500))
    # 1. The aanmelding becomes Werkfit, ontwikkeling verwacht, with Lotte.
    calls = await bot.driver.tap(leader, button(calls, "Werkfit"))
    calls = await bot.driver.tap(leader, button(calls, "ontwikkeling"))
    calls = await bot.driver.tap(leader, button(calls, "Lotte"))
    text = joined(calls)
    assert "Vastgelegd: C-1001 aanmelding: Werkfit" in text and "17 maart 2026" in text
    assert "Punt 2 van 3: C-1002 knelpunt" in text
    # 2. The knelpunt gets an actiepunt for Anna.
    calls = await bot.driver.tap(leader, button(calls, "Actiepunt"))
    calls = await bot.driver.tap(leader, button(calls, "Anna"))
    calls = await bot.driver.text(leader, "gisteren")
    assert "ligt te ver terug" in joined(calls)
    assert {label for c in calls for label, _ in c.buttons} == {"Over 1 week", "Over 2 weken"}
    calls = await bot.driver.tap(leader, button(calls, "Over 1 week"))
    calls = await bot.driver.text(leader, "vervoer regelen met wmo")
    assert "Anna: vervoer regelen met wmo, uiterlijk 10 maart 2026" in joined(calls)
    # 3. The success is carried.
    calls = await bot.driver.tap(leader, button(calls, "Doorschuiven"))
    assert "Alle punten zijn geweest" in joined(calls)
    calls = await bot.driver.text(leader, "/weekdate stop")
    minutes_to_leader = joined(calls, leader.id)
    assert "Notulen weekdate Team Werk" in minutes_to_leader
    assert "Aanwezig: Anna, Tara" in minutes_to_leader
    assert "C-1003 succes" in minutes_to_leader.split("Doorgeschoven")[1]
    assert "Notulen weekdate" in joined(calls, consulent.id)
    assert "Notulen weekdate" in joined(await bot.driver.text(consulent, "/notulen"))

    async with bot.runtime.db.transaction() as session:
        client = await session.get_one(Client, c1)
        assert (client.category, client.subcategory, client.owner_staff_id, client.status) == (
            "werkfit",
            "ontwikkeling",
            lotte,
            "actief",
        )
        events = {
            (e.field, e.new_value)
            for e in await session.scalars(select(ClientEvent).where(ClientEvent.client_id == c1))
        }
        assert {("category", "werkfit"), ("owner", str(lotte)), ("status", "actief")} <= events
        tasks = (await session.scalars(select(Deadline).order_by(Deadline.id))).all()
        assert [(t.kind, t.owner_staff_id, t.due_date, t.client_id) for t in tasks] == [
            ("lb_appointment", lotte, date(2026, 3, 17), c1),
            ("action_item", anna, date(2026, 3, 10), c2),
        ]
        assert tasks[0].title == "gesprek loopbaanbegeleider inplannen"
        statuses = {i.id: i.agenda_status for i in await session.scalars(select(CaseItem))}
        assert statuses[intake] == "discussed" and statuses[success] == "carried"
        logged = {(r.action, r.object) for r in await audit.recent(session)}
        assert ("weekdate.categorised", f"client:{c1}") in logged
        assert ("weekdate.action", f"client:{c2}") in logged

    # Next week: the carried success comes back exactly once, under Doorgeschoven punten,
    # next to the open actiepunt and the LB task.
    bot.clock.set(datetime(2026, 3, 9, 15, 0, tzinfo=UTC))
    agenda = joined(await bot.driver.text(leader, "/agenda"))
    assert agenda.count("C-1003") == 1
    assert agenda.index("Doorgeschoven punten") < agenda.index("C-1003")
    assert "C-1001" in agenda.split("Termijnen")[1]  # the LB task, due 17-03
    assert "vervoer regelen met wmo" in agenda.split("Open actiepunten")[1]
    # Discussed next week, it is gone the week after.
    bot.clock.set(datetime(2026, 3, 10, 8, 30, tzinfo=UTC))
    calls = await bot.driver.text(leader, "/weekdate start")
    while "C-1003 succes" not in joined(calls).split("Punt")[-1]:
        calls = await bot.driver.tap(leader, button(calls, "Besproken"))
    calls = await bot.driver.tap(leader, button(calls, "Besproken"))
    await bot.driver.text(leader, "/weekdate stop")
    bot.clock.set(datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    assert "C-1003" not in joined(await bot.driver.text(leader, "/agenda"))


async def test_only_a_teamleider_chairs_and_only_in_private(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    leader = await bot.staff(Role.TEAMLEIDER)
    assert "alleen een teamleider" in joined(await bot.driver.text(consulent, "/weekdate start"))
    await link_group(bot, leader.id)
    group = LocalDriver.group_chat(-100500)
    reply = joined(await bot.driver.text(leader, "/weekdate start", chat=group))
    assert "privégesprek" in reply
    assert "geen weekdate om te stoppen" in joined(await bot.driver.text(leader, "/weekdate stop"))
    assert "nog geen notulen" in joined(await bot.driver.text(leader, "/notulen"))


async def test_move_one_occurrence_with_the_form(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    calls = await bot.driver.text(leader, "/weekdate verzet")
    # Coming slots from Tuesday 3 March 09:00: 3, 10, 17 and 24 March.
    calls = await bot.driver.tap(leader, button(calls, "10 maart 2026"))
    calls = await bot.driver.tap(leader, button(calls, "Andere dag"))
    calls = await bot.driver.text(leader, "12 maart")
    calls = await bot.driver.text(leader, "25:00")
    assert "geen tijd" in joined(calls)
    calls = await bot.driver.tap(leader, button(calls, "Gewoon om 10:00"))
    assert "verzet naar donderdag 12 maart 2026 10:00" in joined(calls)
    bot.clock.set(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    draft = joined(await bot.driver.text(leader, "/agenda"))
    assert "donderdag 12-03-2026 om 10:00" in draft and "woensdag 11-03-2026 om 16:00" in draft


HOSTILE = [
    "",
    "   ",
    "x" * 5000,
    "<b>vet",
    "</a>",
    "*ster* _schuin_",
    "😀" * 40,
    "31-02-2026",
    "1-1-1900",
    "12-3-2999",
    "25:61",
    "DROP TABLE clients;",
]


async def test_hostile_text_keeps_every_weekdate_step(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    tara = await seed.staff_id(bot, leader.id)
    cid = await seed.client(bot, "C-5", owner=tara, category="zorg", status="actief")
    await seed.case_item(bot, "bottleneck", author=tara, client_id=cid, text="iets")
    calls = await bot.driver.text(leader, "/weekdate start")
    # At the item step and the who step only buttons count.
    for text in HOSTILE[:7]:
        reply = joined(await bot.driver.text(leader, text))
        assert "Kies met de knoppen" in reply
    calls = await bot.driver.tap(leader, button(calls, "Actiepunt"))
    calls = await bot.driver.tap(leader, button(calls, "Tara"))
    # The due-date step refuses anything that is not a coming date, and stays where it was.
    for text in [*HOSTILE[:7], "31-02-2026", "1-1-1900", "12-3-2999", "DROP TABLE clients;"]:
        got = await bot.driver.text(leader, text)
        assert "Wanneer moet het klaar zijn?" in joined(got), text[:20]
        assert {label for c in got for label, _ in c.buttons} == {"Over 1 week", "Over 2 weken"}
    await bot.driver.text(leader, "morgen")
    # The description: empty and too long are refused, HTML is stored as text and escaped.
    assert "Ik zie geen tekst" in joined(await bot.driver.text(leader, "   "))
    assert "te lang" in joined(await bot.driver.text(leader, "x" * 5000))
    done = joined(await bot.driver.text(leader, "<b>bel</b> & *regel*"))
    assert "&lt;b&gt;bel&lt;/b&gt; &amp; *regel*" in done
    async with bot.runtime.db.transaction() as session:
        task = (await session.scalars(select(Deadline))).one()
    assert task.title == "<b>bel</b> & *regel*" and task.due_date == date(2026, 3, 4)


async def test_hostile_text_in_the_move_form(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    calls = await bot.driver.text(leader, "/weekdate verzet")
    calls = await bot.driver.tap(leader, button(calls, "10 maart 2026"))
    calls = await bot.driver.tap(leader, button(calls, "Andere dag"))
    for text in HOSTILE:
        assert "Naar welke dag?" in joined(await bot.driver.text(leader, text)), text[:20]
    await bot.driver.text(leader, "11-3")
    for text in HOSTILE:
        got = await bot.driver.text(leader, text)
        assert "Dat is geen tijd" in joined(got), text[:20]
        assert [label for c in got for label, _ in c.buttons] == ["Gewoon om 10:00"]
    assert "verzet naar woensdag 11 maart 2026 14:15" in joined(
        await bot.driver.text(leader, "14.15")
    )


async def test_no_agenda_for_a_meeting_already_held(tmp_path: Path) -> None:
    clock = FakeClock(local(2026, 3, 2, 12, 0))
    bot = await BotHarness.start(tmp_path, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        # The team meets early, on Monday, for Tuesday's weekdate, and closes it.
        await bot.driver.text(leader, "/weekdate start")
        assert "gesloten" in joined(await bot.driver.text(leader, "/weekdate stop"))
        clock.set(local(2026, 3, 2, 16, 0))
        assert texts(await run_job(bot)) == []
        # The week after, the agenda goes out as usual.
        clock.set(local(2026, 3, 9, 16, 0))
        assert "dinsdag 10-03-2026" in joined(await run_job(bot), leader.id)
    finally:
        await bot.stop()


async def test_a_blocked_teamleider_does_not_stop_the_group_copy(tmp_path: Path) -> None:
    clock = FakeClock(local(2026, 11, 23, 16, 0))
    bot = await BotHarness.start(tmp_path, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        other = await bot.staff(Role.TEAMLEIDER, name="Tom")
        await link_group(bot, leader.id)
        bot.transport.fail(
            "sendMessage", chat_id=leader.id, status=403, description="Forbidden: bot was blocked"
        )
        calls = await run_job(bot)
        assert "Agenda weekdate" in joined(calls, -100500)
        assert "Agenda weekdate" in joined(calls, other.id)
        assert [c.chat_id for c in calls if c.method == "sendDocument"] == [leader.id, other.id]
        # Claimed once: the next tick does not try again.
        assert await run_job(bot, CATCH_UP_JOB) == []
    finally:
        await bot.stop()


async def test_each_team_gets_its_agenda_at_its_own_time(tmp_path: Path) -> None:
    config = Config(
        teams=(TeamConfig("Team Werk"), TeamConfig("Team Zorg")),
        weekdate=WeekdateConfig(
            teams=(WeekdateTeamConfig("Team Zorg", agenda_time=time(15, 0), group_copy=False),)
        ),
    )
    clock = FakeClock(local(2026, 11, 23, 14, 59))
    bot = await BotHarness.start(tmp_path, config=config, clock=clock)
    try:
        werk = await bot.staff(Role.TEAMLEIDER, name="Tara")
        zorg = await bot.staff(Role.TEAMLEIDER, team="Team Zorg", name="Zoë")
        queue = bot.application.job_queue
        assert queue is not None
        names = sorted(j.name or "" for j in queue.jobs() if (j.name or "").startswith(DAILY_JOB))
        assert names == [f"{DAILY_JOB}@15:00", f"{DAILY_JOB}@16:00"]
        assert texts(await run_job(bot)) == []
        clock.set(local(2026, 11, 23, 15, 0))
        calls = await run_job(bot, f"{DAILY_JOB}@15:00")
        assert "Team Zorg" in joined(calls, zorg.id) and joined(calls, werk.id) == ""
        clock.set(local(2026, 11, 23, 16, 0))
        calls = await run_job(bot, f"{DAILY_JOB}@16:00")
        assert "Team Werk" in joined(calls, werk.id) and joined(calls, zorg.id) == ""
    finally:
        await bot.stop()
