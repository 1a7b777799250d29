"""/uitstroom on the local transport: to werk with loonkostensubsidie (geplaatst, a placement,
the loonwaardemeting for the LB who is told at once), another reason, deadlines closed except the
placement's follow-up, the agenda, the herinstroom, vervuld → uitstroom prefilled, and the
meeting's "Uitstroom" on a succes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.core.roles import Role
from bot.core.vocabulary import DeadlineKind
from bot.transport import BotCall, LocalUser
from storage.deadlines import create_deadline
from storage.models import CaseItem, Client, ClientEvent, Deadline, Placement
from tests.support import weekdate_seed as seed
from tests.support.caselog import intake, tap
from tests.support.harness import BotHarness, button, only_text, texts


def joined(calls: list[BotCall]) -> str:
    return "\n".join(texts(calls))


def sent_to(calls: list[BotCall], user: LocalUser) -> list[str]:
    return [
        c.text
        for c in calls
        if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(user.id)
    ]


async def client_row(bot: BotHarness, ref: str) -> Client:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalar(select(Client).where(Client.ref == ref))
        assert found is not None
        return found


async def deadlines_of(bot: BotHarness, client_id: int) -> list[Deadline]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(
            select(Deadline).where(Deadline.client_id == client_id).order_by(Deadline.id)
        )
        return list(rows)


async def placements_of(bot: BotHarness, client_id: int) -> list[Placement]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(Placement).where(Placement.client_id == client_id))
        return list(rows)


async def add_deadline(bot: BotHarness, client_id: int, kind: DeadlineKind, owner: int) -> int:
    async with bot.runtime.db.transaction() as session:
        return await create_deadline(
            session,
            team_id=await seed.team_id(bot),
            kind=kind.value,
            due_date=date(2026, 4, 1),
            owner_staff_id=owner,
            now=bot.clock.now(),
            client_id=client_id,
            title="iets" if kind is DeadlineKind.ACTION_ITEM else None,
        )


async def test_uitstroom_to_werk_with_lks_places_the_client(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    lars = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lars")
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    await intake(bot, sanne, "C-10234")
    client = await client_row(bot, "C-10234")
    sanne_id = await seed.staff_id(bot, sanne.id)
    action = await add_deadline(bot, client.id, DeadlineKind.ACTION_ITEM, sanne_id)
    earlier_assessment = await add_deadline(
        bot, client.id, DeadlineKind.WAGE_VALUE_ASSESSMENT, await seed.staff_id(bot, lars.id)
    )

    calls = await bot.driver.text(sanne, "/uitstroom C-10234")
    assert "Waarom stroomt C-10234 uit?" in only_text(calls)
    assert {"werk", "andere inkomsten", "verloop", "overig"} <= {
        label for c in calls for label, _ in c.buttons
    }
    calls = await tap(bot, sanne, calls, "werk")
    assert "Niet vóór de aanmelding (3 maart 2026)" in only_text(calls)
    # Gisteren lies before the intake (today): refused with the reason, same question.
    refused = only_text(await tap(bot, sanne, calls, "Gisteren"))
    assert "vóór de aanmelding (3 maart 2026)" in refused
    assert "toekomst" in only_text(await bot.driver.text(sanne, "morgen"))
    calls = await tap(bot, sanne, calls, "Vandaag")
    assert "Wat voor werk is het?" in only_text(calls)
    calls = await tap(bot, sanne, calls, "met loonkostensubsidie")
    assert "uur per week" in only_text(await bot.driver.text(sanne, "veertig"))
    calls = await bot.driver.text(sanne, "32 uur")
    calls = await tap(bot, sanne, calls, "Geen notitie")
    summary = only_text(calls)
    assert "Klopt dit?" in summary and "Soort werk: met loonkostensubsidie" in summary
    assert "Uren per week: 32" in summary and "geplaatst" in summary
    saved = await tap(bot, sanne, calls, "Opslaan")
    mine = "\n".join(sent_to(saved, sanne))
    assert "C-10234</b> is geplaatst (werk, 3 maart 2026)" in mine
    assert "Loonwaardemeting: Lars, uiterlijk 3 maart 2027" in mine
    assert "Gesloten termijnen: 1" in mine and "Doorstroom en uitstroom" in mine
    # The LB who got the work hears it at once, in private.
    told = sent_to(saved, lars)
    assert len(told) == 1 and "C-10234" in told[0] and "3 maart 2027" in told[0]

    client = await client_row(bot, "C-10234")
    assert client.status == "geplaatst" and client.exit_reason == "werk"
    (placement,) = await placements_of(bot, client.id)
    assert (placement.kind, placement.hours_per_week, placement.with_lks) == ("lks", 32, True)
    assert placement.start_date == date(2026, 3, 3) and placement.vacancy_id is None
    by_id = {d.id: d for d in await deadlines_of(bot, client.id)}
    assert by_id[action].status == "not_applicable"
    assert by_id[action].resolution_note == "uitstroom"
    assert by_id[earlier_assessment].status == "open"  # a placement follow-up stays
    (new,) = [d for d in by_id.values() if d.source_type == "placement"]
    assert new.kind == "wage_value_assessment" and new.status == "open"
    assert new.due_date == date(2027, 3, 3) and new.source_id == placement.id
    assert new.owner_staff_id == await seed.staff_id(bot, lars.id)

    # Out of the active caseload, still in view; on the agenda under Doorstroom en uitstroom.
    assert "C-10234" not in joined(await bot.driver.text(sanne, "/mijn"))
    assert "geplaatst" in joined(await bot.driver.text(sanne, "/client C-10234"))
    agenda = joined(await bot.driver.text(leader, "/agenda"))
    section = agenda.split("Doorstroom en uitstroom", 1)[1]
    assert "C-10234" in section and "werk (geplaatst)" in section
    # A client who left cannot leave again.
    again = only_text(await bot.driver.text(sanne, "/uitstroom C-10234"))
    assert "geplaatst en staat niet in de actieve caseload" in again


async def test_uitstroom_for_another_reason_then_herinstroom(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    piet = await bot.staff(Role.CONSULENT, name="Piet")
    await intake(bot, sanne, "C-200")
    calls = await bot.driver.text(sanne, "/uitstroom")
    calls = await bot.driver.text(sanne, "C-200")
    calls = await tap(bot, sanne, calls, "verloop")
    calls = await bot.driver.text(sanne, "vandaag")
    # No work questions for verloop: straight to the note.
    assert "notitie" in only_text(calls)
    calls = await bot.driver.text(sanne, "Verhuist naar een andere gemeente")
    summary = only_text(calls)
    assert "Reden: verloop" in summary and "Soort werk" not in summary
    assert "uitgestroomd" in summary
    saved = only_text(await tap(bot, sanne, calls, "Opslaan"))
    assert "is uitgestroomd (verloop, 3 maart 2026)" in saved and "Loonwaarde" not in saved
    client = await client_row(bot, "C-200")
    assert client.status == "uitgestroomd" and client.exit_reason == "verloop"
    assert await placements_of(bot, client.id) == []
    async with bot.runtime.db.transaction() as session:
        events = list(
            await session.scalars(select(ClientEvent).where(ClientEvent.client_id == client.id))
        )
        note = await session.scalar(
            select(CaseItem).where(CaseItem.client_id == client.id, CaseItem.kind == "note")
        )
    assert [(e.field, e.new_value, e.reason) for e in events][-1] == (
        "status",
        "uitgestroomd",
        "verloop",
    )
    assert note is not None and note.text == "Verhuist naar een andere gemeente"
    assert note.agenda_status == "info"  # in the record, not a second agenda item

    # Two months later the client comes back: a herinstroom, and the bot says so.
    bot.clock.set(bot.clock.now().replace(month=5))
    prompt = joined(await bot.driver.text(piet, "/aanmelding C-200"))
    assert "herinstroom" in prompt
    saved_intake = joined(await intake(bot, piet, "C-200"))
    assert "Aanmelding opgeslagen: <b>C-200</b> (herinstroom)" in saved_intake
    back = await client_row(bot, "C-200")
    assert back.status == "aangemeld" and back.exit_reason is None


async def test_vervuld_with_a_client_asks_and_prefills_the_uitstroom(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    sanne_id = await seed.staff_id(bot, sanne.id)
    cid = await seed.client(bot, "C-300", owner=sanne_id, category="werkfit", status="actief")
    gone = await seed.client(bot, "C-301", owner=sanne_id, status="uitgestroomd")
    await seed.vacancy(
        bot, author=sanne_id, employer="De Bakker", function="Kok", place_kind="betaald_werk",
        hours=24,
    )  # fmt: skip
    calls = await bot.driver.text(sanne, "/vacatures")
    calls = await tap(bot, sanne, calls, "Vervuld")
    # A client who already left cannot be placed.
    refused = only_text(await bot.driver.text(sanne, "C-301"))
    assert "uitgestroomd en staat niet in de actieve caseload" in refused
    assert await placements_of(bot, gone) == []
    filled = await bot.driver.text(sanne, "C-300")
    text = only_text(filled)
    assert "Vacature vervuld" in text and "Stroomt <b>C-300</b> met deze baan uit?" in text
    (placement,) = await placements_of(bot, cid)
    assert placement.vacancy_id is not None and placement.kind is None
    assert placement.hours_per_week == 24 and not placement.with_lks

    calls = await tap(bot, sanne, filled, "Ja, uitstroom vastleggen")
    prompt = only_text(calls)
    assert "Uitstroom C-300</b> (Kok bij De Bakker): reden werk, 24 uur per week" in prompt
    calls = await tap(bot, sanne, calls, "Vandaag")
    calls = await tap(bot, sanne, calls, "dienstverband parttime")
    # Hours come from the vacature: on to the note.
    calls = await tap(bot, sanne, calls, "Geen notitie")
    summary = only_text(calls)
    assert "Reden: werk" in summary and "Uren per week: 24" in summary
    assert "Vacature: Kok bij De Bakker" in summary
    saved = only_text(await tap(bot, sanne, calls, "Opslaan"))
    assert "is uitgestroomd (werk" in saved and "dienstverband parttime, 24 uur" in saved
    # The vacature's placement was completed, not doubled.
    (placement,) = await placements_of(bot, cid)
    assert (placement.kind, placement.hours_per_week) == ("parttime", 24)
    assert (await client_row(bot, "C-300")).status == "uitgestroomd"
    # The question's button again (a double tap, or later): the client has left.
    late = only_text(await tap(bot, sanne, filled, "Ja, uitstroom vastleggen"))
    assert "niet (meer) in de actieve caseload" in late
    stays = only_text(await tap(bot, sanne, filled, "Nee, blijft in beeld"))
    assert "C-300" in stays


async def test_the_meeting_decides_a_succes_is_an_uitstroom(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    sanne_id = await seed.staff_id(bot, sanne.id)
    cid = await seed.client(bot, "C-400", owner=sanne_id, category="werkfit", status="actief")
    other = await seed.client(bot, "C-401", owner=sanne_id, category="zorg", status="actief")
    await seed.case_item(bot, "success", author=sanne_id, client_id=cid, text="baan gevonden")
    await seed.case_item(bot, "bottleneck", author=sanne_id, client_id=other, text="vervoer")
    calls = await bot.driver.text(leader, "/weekdate start")
    # A knelpunt gets no Uitstroom button.
    assert "C-401 knelpunt" in joined(calls)
    assert not any("Uitstroom" in label for c in calls for label, _ in c.buttons)
    calls = await tap(bot, leader, calls, "Besproken")
    assert "C-400 succes" in joined(calls)
    first = button(calls, "Uitstroom")
    calls = await bot.driver.tap(leader, first)
    decided = joined(calls)
    assert "uitstroom; Sanne legt die vast met /uitstroom C-400, uiterlijk 10 maart 2026" in decided
    # A double tap decides nothing more.
    await bot.driver.tap(leader, first)
    (task,) = await deadlines_of(bot, cid)
    assert task.kind == "action_item" and task.owner_staff_id == sanne_id
    assert task.title == "uitstroom vastleggen met /uitstroom C-400"
    # Recording the uitstroom closes the actiepunt with the rest.
    calls = await bot.driver.text(sanne, "/uitstroom C-400")
    calls = await tap(bot, sanne, calls, "onderwijs")
    calls = await tap(bot, sanne, calls, "Vandaag")
    calls = await tap(bot, sanne, calls, "Geen notitie")
    await tap(bot, sanne, calls, "Opslaan")
    (task,) = await deadlines_of(bot, cid)
    assert task.status == "not_applicable" and task.resolution_note == "uitstroom"


async def test_without_an_lb_the_teamleider_gets_the_loonwaardemeting(bot: BotHarness) -> None:
    sanne = await bot.staff(Role.CONSULENT, name="Sanne")
    tara = await bot.staff(Role.TEAMLEIDER, name="Tara")
    await intake(bot, sanne, "C-600")
    calls = await bot.driver.text(sanne, "/uitstroom C-600")
    for label in ("werk", "Vandaag", "met loonkostensubsidie"):
        calls = await tap(bot, sanne, calls, label)
    calls = await bot.driver.text(sanne, "16")
    calls = await tap(bot, sanne, calls, "Geen notitie")
    saved = await tap(bot, sanne, calls, "Opslaan")
    # A consulent may not own a loonwaardemeting (an LB's task); the teamleider may own any.
    assert "Loonwaardemeting: Tara" in sent_to(saved, sanne)[0]
    assert len(sent_to(saved, tara)) == 1
    client = await client_row(bot, "C-600")
    (assessment,) = [d for d in await deadlines_of(bot, client.id) if d.status == "open"]
    assert assessment.owner_staff_id == await seed.staff_id(bot, tara.id)
