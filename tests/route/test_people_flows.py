"""/overdracht, the work of a colleague being deactivated, /doelgroep with its history, deleting
one's own item with /wijzig, and editing a vacature from /vacatures, on the local transport."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from bot.core.roles import Role
from bot.core.vocabulary import AgendaStatus, DeadlineKind, DeadlineStatus
from bot.deadlines.views import DEADLINE_BUTTONS
from bot.transport import BotCall, LocalUser
from storage import deadlines as deadline_store
from storage import route_people
from storage import staff as staff_store
from storage.models import (
    AuditEntry,
    CaseItem,
    Client,
    ClientEvent,
    Deadline,
    Staff,
    Trajectory,
    Vacancy,
)
from tests.support.caselog import form_state, intake, last_text, tap
from tests.support.deadlines import staff_id
from tests.support.harness import BotHarness, button, only_text, texts


def to(calls: list[BotCall], user: LocalUser) -> list[str]:
    """The texts sent to ``user``'s private chat."""
    return [c.text for c in calls if c.method == "sendMessage" and c.chat_id == user.id]


def labels(calls: list[BotCall]) -> list[str]:
    return [label for c in calls for label, _data in c.buttons]


async def ids(bot: BotHarness, user: LocalUser) -> tuple[int, int]:
    async with bot.runtime.db.transaction() as session:
        return await staff_id(session, user.id)


async def client_row(bot: BotHarness, ref: str = "C-10234") -> Client:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalar(select(Client).where(Client.ref == ref))
        assert found is not None
        return found


async def add_deadline(
    bot: BotHarness,
    owner: LocalUser,
    kind: DeadlineKind,
    due: date,
    client_id: int | None,
) -> int:
    owner_id, team_id = await ids(bot, owner)
    async with bot.runtime.db.transaction() as session:
        return await deadline_store.create_deadline(
            session,
            team_id=team_id,
            kind=kind,
            due_date=due,
            owner_staff_id=owner_id,
            now=bot.clock.now(),
            client_id=client_id,
            title="offerte opvragen" if kind == DeadlineKind.ACTION_ITEM else None,
        )


async def audit_actions(bot: BotHarness) -> list[str]:
    async with bot.runtime.db.transaction() as session:
        return list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def owner_events(bot: BotHarness) -> list[ClientEvent]:
    async with bot.runtime.db.transaction() as session:
        return list(
            await session.scalars(
                select(ClientEvent).where(ClientEvent.field == "owner").order_by(ClientEvent.id)
            )
        )


async def left_on_inactive(bot: BotHarness) -> tuple[int, int]:
    """(clients, open deadlines) whose owner is an inactive colleague: must stay (0, 0)."""
    inactive = select(Staff.id).where(Staff.active.is_(False))
    async with bot.runtime.db.transaction() as session:
        clients = await session.scalar(
            select(func.count()).select_from(Client).where(Client.owner_staff_id.in_(inactive))
        )
        open_deadlines = await session.scalar(
            select(func.count())
            .select_from(Deadline)
            .where(Deadline.owner_staff_id.in_(inactive), Deadline.status == DeadlineStatus.OPEN)
        )
    return int(clients or 0), int(open_deadlines or 0)


# --- /overdracht --------------------------------------------------------------------------------


async def test_overdracht_walk_tells_the_new_owner_at_once(bot: BotHarness) -> None:
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    kees = await bot.staff(Role.CONSULENT, name="Kees")
    lb = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    await bot.staff(Role.NETWERKER, name="Nadia")
    await bot.staff(Role.TEAMLEIDER, name="Tom")
    await bot.staff(Role.CONSULENT, name="Zorgteam", team="Team Zorg")
    gone = await bot.staff(Role.CONSULENT, name="Vera")
    async with bot.runtime.db.transaction() as session:
        gone_id, _ = await staff_id(session, gone.id)
        await staff_store.deactivate(session, gone_id, bot.clock.now())
    await intake(bot, anna)
    client = await client_row(bot)
    today = bot.clock.now().date()
    review = await add_deadline(
        bot, anna, DeadlineKind.EXEMPTION_REVIEW, today + timedelta(days=30), client.id
    )
    contact = await add_deadline(
        bot, anna, DeadlineKind.PARTICIPATION_CONTACT, today + timedelta(days=9), client.id
    )
    lb_own = await add_deadline(
        bot, lb, DeadlineKind.LB_APPOINTMENT, today + timedelta(days=5), client.id
    )

    calls = await bot.driver.text(anna, "/overdracht C-10234")
    shown = labels(calls)
    # Colleagues whose role may own the client and its review; never oneself, a netwerker, an
    # inactive colleague, another team, or an LB (who may not own an ontheffing review).
    assert "Kees" in shown and "Tom" in shown
    assert not {"Anna", "Nadia", "Vera", "Zorgteam", "Lotte"} & set(shown)
    assert "Open termijnen die meegaan: 2" in last_text(calls)
    calls = await tap(bot, anna, calls, "Kees")
    assert "Waarom gaat C-10234 naar Kees?" in last_text(calls)
    calls = await bot.driver.text(anna, "Anna gaat naar het team Zorg")
    summary = last_text(calls)
    assert "Klopt dit?" in summary and "Van: Anna" in summary and "Naar: Kees" in summary
    calls = await tap(bot, anna, calls, "Opslaan")

    assert "C-10234 is overgedragen aan Kees, met 2 open termijnen" in to(calls, anna)[0]
    (notice,) = to(calls, kees)
    assert "Je hebt C-10234 overgenomen" in notice and "van Anna" in notice
    assert "Reden: Anna gaat naar het team Zorg" in notice
    nearest = (today + timedelta(days=9)).strftime("%-d")
    assert "Open termijnen van C-10234 bij jou: 2" in notice and nearest in notice
    kees_id, _ = await ids(bot, kees)
    lb_id, _ = await ids(bot, lb)
    assert (await client_row(bot)).owner_staff_id == kees_id
    async with bot.runtime.db.transaction() as session:
        owners = {
            d.id: d.owner_staff_id
            for d in await session.scalars(select(Deadline).where(Deadline.client_id == client.id))
        }
    # The client's deadlines that were Anna's follow; the LB's own appointment stays with her.
    assert owners == {review: kees_id, contact: kees_id, lb_own: lb_id}
    (event,) = await owner_events(bot)
    assert event.new_value == str(kees_id) and event.reason == "Anna gaat naar het team Zorg"
    assert "client:overdracht" in await audit_actions(bot)
    card = last_text(await bot.driver.text(kees, "/client C-10234"))
    assert "Kees" in card


async def test_overdracht_bad_input(sqlite_bot: BotHarness, tmp_path: Path) -> None:
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    kees = await bot.staff(Role.CONSULENT, name="Kees")
    await intake(bot, anna)
    anna_id, _ = await ids(bot, anna)
    calls = await bot.driver.text(anna, "/overdracht C-10234")
    # To oneself: no button, and a forged one is refused (only the offered colleagues count).
    forged = await bot.driver.tap(anna, f"f:ovdr:to:{anna_id}")
    assert "Kies met een van de knoppen" in last_text(forged)
    assert "Kies met een van de knoppen" in last_text(await bot.driver.text(anna, "Anna"))
    calls = await tap(bot, anna, calls, "Kees")
    for bad, says in (
        ("", "Ik zie geen tekst"),
        ("   ", "Ik zie geen tekst"),
        ("ab", "te kort"),
        ("x" * 5000, "te lang"),
    ):
        assert says in last_text(await bot.driver.text(anna, bad)), bad
    assert "alleen tekst" in last_text(await bot.driver.photo(anna))
    # A BSN in the reason never reaches the form (the privacy filter stops it first).
    await bot.driver.text(anna, "zie BSN 123456782")
    state = await form_state(bot, anna)
    assert state is not None and state[1] == "reason"

    # A restart mid-form resumes at the same question.
    await bot.stop()
    again = await BotHarness.start(tmp_path, clock=bot.clock)
    try:
        calls = await again.driver.text(anna, "Verhuizing")
        assert "Klopt dit?" in last_text(calls)
        save = button(calls, "Opslaan")
        first = await again.driver.tap(anna, save)
        assert "overgedragen aan Kees" in to(first, anna)[0]
        assert len(to(first, kees)) == 1
        # A double tap saves nothing twice and tells nobody twice.
        second = await again.driver.tap(anna, save)
        assert to(second, kees) == [] and len(await owner_events(again)) == 1
        # Now Kees owns it: to the current owner is refused, Anna may no longer hand it over.
        refused = await again.driver.text(anna, "/overdracht C-10234")
        assert "Alleen wie C-10234 nu heeft" in last_text(refused)
    finally:
        await again.stop()


async def test_overdracht_refused_for_a_client_who_left_and_an_inactive_receiver(
    sqlite_bot: BotHarness,
) -> None:
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    kees = await bot.staff(Role.CONSULENT, name="Kees")
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    await intake(bot, anna)
    await intake(bot, anna, ref="C-20000")
    async with bot.runtime.db.transaction() as session:
        await session.execute(
            update(Client).where(Client.ref == "C-20000").values(status="uitgestroomd")
        )
    assert "uitgestroomd" in last_text(await bot.driver.text(anna, "/overdracht C-20000"))
    # A colleague who is neither owner nor teamleider cannot start one.
    assert "Alleen wie" in last_text(await bot.driver.text(kees, "/overdracht C-10234"))
    # Chosen, then deactivated before Opslaan: refused at the save, nothing moves.
    calls = await bot.driver.text(leader, "/overdracht C-10234")
    calls = await tap(bot, leader, calls, "Kees")
    calls = await bot.driver.text(leader, "Werkverdeling")
    async with bot.runtime.db.transaction() as session:
        kees_id, _ = await staff_id(session, kees.id)
        await staff_store.deactivate(session, kees_id, bot.clock.now())
    saved = await tap(bot, leader, calls, "Opslaan")
    assert "niet meer actief" in last_text(saved)
    anna_id, _ = await ids(bot, anna)
    assert (await client_row(bot)).owner_staff_id == anna_id
    assert await owner_events(bot) == []


# --- deactivating a colleague who still carries work ---------------------------------------------


async def test_deactivation_hands_all_work_to_one_colleague(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    kees = await bot.staff(Role.CONSULENT, name="Kees")
    await bot.staff(Role.NETWERKER, name="Nadia")
    await intake(bot, anna)
    await intake(bot, anna, ref="C-20000")
    client = await client_row(bot)
    today = bot.clock.now().date()
    review_due = today + timedelta(days=20)
    await add_deadline(bot, anna, DeadlineKind.EXEMPTION_REVIEW, review_due, client.id)
    await add_deadline(bot, anna, DeadlineKind.ACTION_ITEM, today + timedelta(days=3), None)

    calls = await bot.driver.text(leader, "/team")
    calls = await tap(bot, leader, calls, "Anna")
    calls = await tap(bot, leader, calls, "deactiveren")
    ask = last_text(calls)
    assert "Anna heeft nog 2 cliënten en 2 open termijnen" in ask
    shown = labels(calls)
    assert "Kees" in shown and "Tom" in shown and "Nadia" not in shown and "Anna" not in shown
    anna_id, _ = await ids(bot, anna)
    async with bot.runtime.db.transaction() as session:
        assert (await session.get_one(Staff, anna_id)).active  # not yet: first who gets it

    give = button(calls, "Kees")
    calls = await bot.driver.tap(leader, give)
    done = "\n".join(to(calls, leader))
    assert "Anna is gedeactiveerd" in done and "Kees heeft 2 cliënten en 2 open termijnen" in done
    (notice,) = to(calls, kees)
    assert "Je hebt het werk van Anna overgenomen" in notice and "Cliënten: 2" in notice
    assert "Je hebt nu 2 open termijnen" in notice
    assert await left_on_inactive(bot) == (0, 0)
    kees_id, _ = await ids(bot, kees)
    events = await owner_events(bot)
    assert len(events) == 2 and all(e.new_value == str(kees_id) for e in events)
    assert all(e.reason == "Anna is gedeactiveerd" for e in events)
    actions = await audit_actions(bot)
    assert "staff:handover" in actions and "staff:deactivate" in actions
    # A second tap: already deactivated, nobody told twice, nothing moved again.
    again = await bot.driver.tap(leader, give)
    assert "al gedeactiveerd" in last_text(again) and to(again, kees) == []
    assert len(await owner_events(bot)) == 2


async def test_deactivation_refuses_a_receiver_who_may_not_carry_it(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    nadia = await bot.staff(Role.NETWERKER, name="Nadia")
    await intake(bot, anna)
    anna_id, _ = await ids(bot, anna)
    nadia_id, _ = await ids(bot, nadia)
    # A forged button with the netwerker as receiver: asked again, Anna stays active.
    calls = await bot.driver.tap(leader, f"team:give:{anna_id}:{nadia_id}")
    assert "mag dit werk niet hebben" in last_text(calls)
    # ... and with Anna herself.
    calls = await bot.driver.tap(leader, f"team:give:{anna_id}:{anna_id}")
    assert "de collega die weggaat" in last_text(calls)
    async with bot.runtime.db.transaction() as session:
        assert (await session.get_one(Staff, anna_id)).active
    # The teamleider may take it over: the only one who may, so the only button.
    calls = await bot.driver.tap(leader, f"team:offok:{anna_id}")
    assert labels(calls) == ["Tom", "Niet deactiveren"]
    calls = await tap(bot, leader, calls, "Tom")
    assert "Anna is gedeactiveerd" in last_text(calls)
    assert await left_on_inactive(bot) == (0, 0)


async def test_a_colleague_without_work_is_deactivated_at_once(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    await bot.staff(Role.CONSULENT, name="Kees")
    calls = await bot.driver.text(leader, "/team")
    calls = await tap(bot, leader, calls, "Kees")
    calls = await tap(bot, leader, calls, "deactiveren")
    assert "Kees is gedeactiveerd" in only_text(calls)


# --- /doelgroep -----------------------------------------------------------------------------------


async def test_doelgroep_keeps_history_so_counts_at_a_peildatum_are_right(bot: BotHarness) -> None:
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, anna)  # tagged "jongere_27", first conversation today (3 March)
    await intake(bot, anna, ref="C-20000")
    _, team_id = await ids(bot, anna)
    bot.clock.advance(timedelta(days=29))  # 1 April

    calls = await bot.driver.text(anna, "/doelgroep C-10234")
    assert "Nu gekozen: jongere &lt;27" in last_text(calls)
    # Klaar without a change is refused.
    calls = await tap(bot, anna, calls, "Klaar")
    assert "niets veranderd" in last_text(calls)
    calls = await tap(bot, anna, calls, "jongere")
    calls = await tap(bot, anna, calls, "statushouder")
    calls = await tap(bot, anna, calls, "Klaar")
    for bad, says in (
        ("31-02-2026", ""),
        ("2-4-2026", "toekomst"),
        ("1-3-2026", "te vroeg"),
        ("x" * 5000, ""),
    ):
        text = last_text(await bot.driver.text(anna, bad))
        assert "Vanaf welke datum" in text and says in text, bad
    calls = await bot.driver.text(anna, "15-03-2026")
    summary = last_text(calls)
    assert "Erbij: statushouder" in summary and "Eraf: jongere" in summary
    saved = last_text(await tap(bot, anna, calls, "Opslaan"))
    assert "aangepast vanaf 15 maart 2026" in saved
    assert "client:doelgroep" in await audit_actions(bot)

    async with bot.runtime.db.transaction() as session:
        assert await route_people.tags_on(session, team_id, date(2026, 3, 2)) == {}
        assert await route_people.tags_on(session, team_id, date(2026, 3, 14)) == {"jongere_27": 2}
        assert await route_people.tags_on(session, team_id, date(2026, 3, 15)) == {
            "jongere_27": 1,
            "statushouder": 1,
        }
        # Another team counts nothing of these.
        assert await route_people.tags_on(session, team_id + 1, date(2026, 3, 15)) == {}
    assert list((await client_row(bot)).tags) == ["statushouder"]

    # The next change may not be dated before this one (the periods would overlap).
    calls = await bot.driver.text(anna, "/doelgroep C-10234")
    calls = await tap(bot, anna, calls, "statushouder")
    calls = await tap(bot, anna, calls, "Klaar")
    assert "te vroeg" in last_text(await bot.driver.text(anna, "14-03-2026"))
    calls = await tap(bot, anna, calls, "Vandaag")
    calls = await tap(bot, anna, calls, "Opslaan")
    async with bot.runtime.db.transaction() as session:
        assert await route_people.tags_on(session, team_id, date(2026, 3, 31)) == {
            "jongere_27": 1,
            "statushouder": 1,
        }
        assert await route_people.tags_on(session, team_id, date(2026, 4, 1)) == {"jongere_27": 1}


async def test_doelgroep_double_tap_and_restart(sqlite_bot: BotHarness, tmp_path: Path) -> None:
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, anna)
    calls = await bot.driver.text(anna, "/doelgroep C-10234")
    calls = await tap(bot, anna, calls, "NUG")
    calls = await tap(bot, anna, calls, "Klaar")
    await bot.stop()
    again = await BotHarness.start(tmp_path, clock=bot.clock)
    try:
        calls = await tap(again, anna, calls, "Vandaag")
        save = button(calls, "Opslaan")
        assert "Erbij: NUG" in texts(await again.driver.tap(anna, save))[-1]
        second = await again.driver.tap(anna, save)
        assert [c.method for c in second] == ["answerCallbackQuery"]
        async with again.runtime.db.transaction() as session:
            client = await session.scalar(select(Client))
            assert client is not None
            periods = await route_people.tag_periods(session, client.id)
        assert sorted(p.tag for p in periods) == ["jongere_27", "nug"]
    finally:
        await again.stop()


# --- /wijzig: delete one's own item -----------------------------------------------------------


async def test_wijzig_deletes_ones_own_recent_item(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, anna)
    await bot.driver.text(anna, "/succes C-10234 Eerste werkdag gehaald")
    calls = await bot.driver.text(anna, "/wijzig")
    calls = await tap(bot, anna, calls, "succes")
    calls = await tap(bot, anna, calls, "Verwijderen")
    assert "verwijderen? Dit kan niet ongedaan" in last_text(calls)
    confirm = button(calls, "Ja, verwijderen")
    done = last_text(await bot.driver.tap(anna, confirm))
    assert "is verwijderd en komt niet op de agenda" in done
    # A double tap deletes nothing more.
    assert [c.method for c in await bot.driver.tap(anna, confirm)] == ["answerCallbackQuery"]
    async with bot.runtime.db.transaction() as session:
        kinds = list(await session.scalars(select(CaseItem.kind)))
    assert kinds == ["intake"]
    assert "item:delete" in await audit_actions(bot)


async def test_wijzig_refuses_to_delete_a_decided_item_or_an_intake(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, anna)
    await bot.driver.text(anna, "/knelpunt C-10234 Geen kinderopvang")
    async with bot.runtime.db.transaction() as session:
        await session.execute(
            update(CaseItem)
            .where(CaseItem.kind == "bottleneck")
            .values(agenda_status=AgendaStatus.DISCUSSED)
        )
    for item, says in (("knelpunt", "al besproken in een weekdate"), ("aanmelding", "aanmelding")):
        calls = await bot.driver.text(anna, "/wijzig")
        calls = await tap(bot, anna, calls, item)
        calls = await tap(bot, anna, calls, "Verwijderen")
        assert says in last_text(await tap(bot, anna, calls, "Ja, verwijderen"))
    async with bot.runtime.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(CaseItem)) == 2


async def test_deleting_a_traject_closes_its_end_deadline(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, anna)
    client = await client_row(bot)
    async with bot.runtime.db.transaction() as session:
        anna_id, team_id = await staff_id(session, anna.id)
        item = CaseItem(
            team_id=team_id, client_id=client.id, author_staff_id=anna_id, kind="trajectory",
            text=None, data={"instrument": "werkstage"}, created_at=bot.clock.now(),
            agenda_status="pending",
        )  # fmt: skip
        session.add(item)
        await session.flush()
        deadline = await deadline_store.create_deadline(
            session, team_id=team_id, kind=DeadlineKind.TRAJECTORY_END,
            due_date=date(2026, 6, 1), owner_staff_id=anna_id, now=bot.clock.now(),
            client_id=client.id, source_type="case_item", source_id=item.id,
        )  # fmt: skip
    calls = await bot.driver.text(anna, "/wijzig")
    calls = await tap(bot, anna, calls, "traject")
    calls = await tap(bot, anna, calls, "Verwijderen")
    await tap(bot, anna, calls, "Ja, verwijderen")
    async with bot.runtime.db.transaction() as session:
        row = await session.get_one(Deadline, deadline)
        assert row.status == DeadlineStatus.NOT_APPLICABLE


# --- a vacature edited from /vacatures ---------------------------------------------------------


async def _vacancy(bot: BotHarness, user: LocalUser) -> None:
    calls = await bot.driver.text(user, "/vacature")
    calls = await bot.driver.text(user, "Bakkerij De Korenschoof")
    calls = await bot.driver.text(user, "Hulp bakker")
    calls = await tap(bot, user, calls, "techniek en productie")
    calls = await bot.driver.text(user, "24 uur")
    calls = await tap(bot, user, calls, "betaald werk")
    calls = await tap(bot, user, calls, "5")
    calls = await bot.driver.text(user, "1-4")
    calls = await tap(bot, user, calls, "WSP")
    calls = await bot.driver.text(user, "Bel Anja op di/do")
    await tap(bot, user, calls, "Opslaan")


async def test_vacancy_edited_by_its_author_or_a_teamleider_only(sqlite_bot: BotHarness) -> None:
    bot = sqlite_bot
    netwerker = await bot.staff(Role.NETWERKER, name="Nadia")
    other = await bot.staff(Role.CONSULENT, name="Kees")
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    await _vacancy(bot, netwerker)
    assert "Wijzig 1" not in labels(await bot.driver.text(other, "/vacatures"))
    assert "Wijzig 1" in labels(await bot.driver.text(leader, "/vacatures"))
    listed = await bot.driver.text(netwerker, "/vacatures")
    edit = button(listed, "Wijzig 1")
    # A replayed button by someone else is refused.
    assert "kun je niet wijzigen" in last_text(await bot.driver.tap(other, edit))
    calls = await bot.driver.tap(netwerker, edit)
    assert "Klopt dit?" in last_text(calls) and "Hulp bakker" in last_text(calls)
    calls = await tap(bot, netwerker, calls, "Wijzigen")
    calls = await tap(bot, netwerker, calls, "Uren")
    assert "heel getal" in last_text(await bot.driver.text(netwerker, "veel"))
    calls = await bot.driver.text(netwerker, "32")
    assert "Uren per week: 32" in last_text(calls)
    saved = last_text(await tap(bot, netwerker, calls, "Opslaan"))
    assert "Vacature gewijzigd" in saved and "Uren per week: 32" in saved
    async with bot.runtime.db.transaction() as session:
        rows = list(await session.scalars(select(Vacancy)))
    assert len(rows) == 1 and rows[0].hours_per_week == 32 and rows[0].employer.startswith("Bak")
    assert "vacancy:edit" in await audit_actions(bot)


async def test_deleting_a_real_traject_removes_it_and_its_refused_extension_item(
    sqlite_bot: BotHarness,
) -> None:
    """A traject logged with /traject has its own row (and a refused extension its knelpunt):
    deleting either item undoes it instead of failing on the rows that point at it."""
    bot = sqlite_bot
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, anna)
    calls = await bot.driver.text(anna, "/traject C-10234")
    calls = await tap(bot, anna, calls, "taalstage")
    calls = await tap(bot, anna, calls, "Vandaag")
    await tap(bot, anna, calls, "(3 maanden)")
    # Dalfsen's taalstage lasts at most 6 months (001:L156): the second extension is refused
    # onto the agenda.
    for _ in range(2):
        async with bot.runtime.db.transaction() as session:
            end = await session.scalar(
                select(Deadline).where(Deadline.kind == "trajectory_end", Deadline.status == "open")
            )
        assert end is not None
        calls = await bot.driver.tap(anna, DEADLINE_BUTTONS.encode("done", end.id))
        calls = await tap(bot, anna, calls, "Verlengd")
        calls = await tap(bot, anna, calls, "(+3 maanden)")
    assert "Verlengen kan niet" in last_text(calls)
    for kind in ("knelpunt", "traject"):
        calls = await bot.driver.text(anna, "/wijzig")
        calls = await tap(bot, anna, calls, kind)
        calls = await tap(bot, anna, calls, "Verwijderen")
        done = last_text(await tap(bot, anna, calls, "Ja, verwijderen"))
        assert "is verwijderd" in done, done
    async with bot.runtime.db.transaction() as session:
        assert (await session.scalars(select(Trajectory))).all() == []
        kinds = list(await session.scalars(select(CaseItem.kind)))
        open_kinds = list(
            await session.scalars(select(Deadline.kind).where(Deadline.status == "open"))
        )
    assert kinds == ["intake"]
    assert "trajectory_end" not in open_kinds and "trajectory_limit" not in open_kinds
    card = last_text(await bot.driver.text(anna, "/client C-10234"))
    assert "<b>Trajecten</b>: geen" in card
