"""/aanmelding: walked to the end, through every wrong input, herinstroom, restart mid-form."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.core.roles import Role
from storage import clients
from storage.models import CaseItem, Client, ClientEvent
from tests.support.caselog import (
    form_state,
    intake,
    last_text,
    stored_rows,
    tap,
)
from tests.support.harness import BotHarness, button, only_text, texts


async def test_aanmelding_walked_to_the_end(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    calls = await bot.driver.text(consulent, "/aanmelding")
    assert "cliëntreferentie" in only_text(calls)
    calls = await bot.driver.text(consulent, "c-10234")
    assert "Aanmelding C-10234" in only_text(calls)
    calls = await tap(bot, consulent, calls, "Gisteren")
    calls = await tap(bot, consulent, calls, "in onderzoek")
    calls = await tap(bot, consulent, calls, "statushouder")
    assert any(label == "✓ statushouder" for c in calls for label, _ in c.buttons)
    calls = await tap(bot, consulent, calls, "NUG")
    calls = await tap(bot, consulent, calls, "Klaar")
    calls = await tap(bot, consulent, calls, "Meedoen")
    assert "geen namen, geen medische details" in only_text(calls).lower()
    calls = await bot.driver.text(consulent, "Wil graag <b>werken</b> & *snel*")
    summary = only_text(calls)
    assert "Klopt dit?" in summary and "2 maart 2026" in summary
    assert "&lt;b&gt;werken&lt;/b&gt; &amp; *snel*" in summary
    saved = only_text(await tap(bot, consulent, calls, "Opslaan"))
    assert "Aanmelding opgeslagen" in saved and "C-10234" in saved
    assert "statushouder, NUG" in saved and "in onderzoek" in saved and "Meedoen" in saved
    assert "volgende weekoverleg" in saved
    async with bot.runtime.db.transaction() as session:
        client = await session.scalar(select(Client).where(Client.ref == "C-10234"))
        assert client is not None and client.status == "aangemeld"
        assert client.tags == ["statushouder", "nug"] and client.entitlement == "in_onderzoek"
        item = await session.scalar(select(CaseItem).where(CaseItem.client_id == client.id))
        assert item is not None and item.kind == "intake" and item.agenda_status == "pending"
        assert item.data["proposed_category"] == "meedoen"
        assert item.data["first_conversation"] == "2026-03-02"
        assert item.text == "Wil graag <b>werken</b> & *snel*"
    assert await form_state(bot, consulent) is None


async def test_summary_wijzigen_changes_one_answer(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    calls = await bot.driver.text(consulent, "/aanmelding C1")
    assert "geen geldige cliëntreferentie" in only_text(calls)
    calls = await bot.driver.text(consulent, "C-100")
    calls = await tap(bot, consulent, calls, "Vandaag")
    calls = await tap(bot, consulent, calls, "nee")
    calls = await tap(bot, consulent, calls, "Klaar")
    calls = await tap(bot, consulent, calls, "Weet ik nog niet")
    calls = await tap(bot, consulent, calls, "Geen notitie")
    assert "nog niet bekend" in only_text(calls)
    calls = await tap(bot, consulent, calls, "Wijzigen")
    calls = await tap(bot, consulent, calls, "Categorie")
    calls = await tap(bot, consulent, calls, "Zorg")
    summary = only_text(calls)
    assert "Voorgestelde categorie: Zorg" in summary
    # Changing "nee" into "ja" asks for the benefit start date before the summary.
    calls = await tap(bot, consulent, calls, "Wijzigen")
    calls = await tap(bot, consulent, calls, "Uitkering")
    calls = await tap(bot, consulent, calls, "ja")
    assert "Vanaf wanneer loopt de uitkering" in only_text(calls)
    assert "bestaat niet" in only_text(await bot.driver.text(consulent, "31-02"))
    calls = await bot.driver.text(consulent, "1 maart")
    assert "Uitkering vanaf: 1 maart 2026" in only_text(calls)
    saved = only_text(await tap(bot, consulent, calls, "Opslaan"))
    assert "Zorg" in saved and "Doelgroepen: geen" in saved
    card = only_text(await bot.driver.text(consulent, "/client C-100"))
    assert "Uitkering vanaf: 1 maart 2026" in card


BAD_TEXT = ["", "   ", "x" * 5000, "😀😀", "<b>", "</a>", "*"]


async def test_every_wrong_input_keeps_the_form_where_it_was(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await bot.driver.text(consulent, "/aanmelding")
    before = await stored_rows(bot)

    async def refused(step: str, *, photo: bool = True, texts_: list[str] = BAD_TEXT) -> None:
        state = await form_state(bot, consulent)
        assert state is not None and state[1] == step
        attempts = [await bot.driver.photo(consulent), await bot.driver.sticker(consulent)]
        attempts += [await bot.driver.text(consulent, t) for t in texts_]
        for calls in attempts if photo else attempts[2:]:
            reply = last_text(calls)
            assert reply and "Er ging iets mis" not in reply
        assert await form_state(bot, consulent) == state
        assert await stored_rows(bot) == before

    await refused("ref", texts_=[*BAD_TEXT, "C 10234", "Jan Jansen", "C-123456782"])
    calls = await bot.driver.text(consulent, "C-10234")
    await refused("date", texts_=[*BAD_TEXT, "31-02", "31-02-2026", "01-01-1990", "01-01-2099"])
    for bad_date in ("31-02-2026", "1-1-1990", "morgen"):
        reply = last_text(await bot.driver.text(consulent, bad_date))
        assert "12-03-2026" in reply or "te ver" in reply or "bestaat niet" in reply
    calls = await bot.driver.text(consulent, "12 februari")
    await refused("ent", texts_=["misschien", "<b>", "", "x" * 5000])
    calls = await bot.driver.text(consulent, "NUG")  # a typed label counts as the button
    await refused("tags", texts_=["statushouder?", "😀"])
    calls = await tap(bot, consulent, calls, "Klaar")
    await refused("cat", texts_=["Werk", "*"])
    calls = await tap(bot, consulent, calls, "Zorg")
    await refused("note", texts_=["", "   ", "x" * 301, "x" * 5000])
    assert "hoogstens 300" in last_text(await bot.driver.text(consulent, "y" * 301))
    calls = await bot.driver.text(consulent, "😀 <b> </a> *")
    assert "Klopt dit?" in only_text(calls)
    await refused("sum", texts_=["opslaan", "ja"])
    saved = await tap(bot, consulent, calls, "Opslaan")
    assert "Aanmelding opgeslagen" in only_text(saved)
    # The same button a second time: the form is gone, nothing is saved twice.
    again = await bot.driver.tap(consulent, button(calls, "Opslaan"))
    assert texts(again) == []
    assert await count_intakes(bot) == 1


async def count_intakes(bot: BotHarness) -> int:
    async with bot.runtime.db.transaction() as session:
        return len(list(await session.scalars(select(CaseItem).where(CaseItem.kind == "intake"))))


async def test_stale_button_from_an_earlier_step_is_refused(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    first = await bot.driver.text(consulent, "/aanmelding C-5")
    await tap(bot, consulent, first, "Vandaag")
    stale = await bot.driver.tap(consulent, button(first, "Gisteren"))
    assert texts(stale) == []
    assert any("eerdere stap" in c.params.get("text", "") for c in stale)
    state = await form_state(bot, consulent)
    assert state is not None and state[1] == "ent"


async def test_active_reference_refused_with_pointer(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-77")
    reply = only_text(await bot.driver.text(consulent, "/aanmelding C-77"))
    assert "al aangemeld of actief" in reply and "/client C-77" in reply
    state = await form_state(bot, consulent)
    assert state is not None and state[1] == "ref"


async def test_herinstroom_of_a_client_who_left(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    other = await bot.staff(Role.CONSULENT, name="Piet")
    await intake(bot, consulent, "C-88")
    async with bot.runtime.db.transaction() as session:
        client = await clients.get_client_by_ref(session, 1, "C-88")
        assert client is not None
        await clients.change_status(
            session,
            client.id,
            status="uitgestroomd",
            exit_reason="werk",
            actor_staff_id=None,
            reason=None,
            now=bot.clock.now(),
        )
    calls = await bot.driver.text(other, "/aanmelding C-88")
    assert "herinstroom" in only_text(calls)
    saved = only_text(await intake(bot, other, "C-88"))
    assert "herinstroom" in saved
    async with bot.runtime.db.transaction() as session:
        back = await session.scalar(select(Client).where(Client.ref == "C-88"))
        assert back is not None and back.status == "aangemeld"
        events = list(
            await session.scalars(select(ClientEvent).where(ClientEvent.client_id == back.id))
        )
        fields = [e.field for e in events]
        assert fields.count("herinstroom") == 1 and "owner" in fields
        intakes = list(await session.scalars(select(CaseItem).where(CaseItem.kind == "intake")))
        assert [i.data["herinstroom"] for i in intakes] == [False, True]


async def test_restart_mid_aanmelding_resumes(tmp_path: Path) -> None:
    first = await BotHarness.start(tmp_path)
    consulent = await first.staff(Role.CONSULENT)
    calls = await first.driver.text(consulent, "/aanmelding C-4242")
    calls = await tap(first, consulent, calls, "Vandaag")
    calls = await tap(first, consulent, calls, "ja")
    calls = await first.driver.text(consulent, "1-2")
    tag_button = button(calls, "statushouder")
    await first.stop()

    # A new Application on the same database file: the form goes on where it was.
    second = await BotHarness.start(tmp_path)
    try:
        calls = await second.driver.tap(consulent, tag_button)
        assert "✓ statushouder" in [label for c in calls for label, _ in c.buttons]
        calls = await tap(second, consulent, calls, "Klaar")
        calls = await tap(second, consulent, calls, "Werkfit")
        calls = await tap(second, consulent, calls, "Geen notitie")
        saved = only_text(await tap(second, consulent, calls, "Opslaan"))
        assert "C-4242" in saved and "statushouder" in saved
        assert "Uitkering vanaf: 1 februari 2026" in saved
    finally:
        await second.stop()


async def test_form_ends_after_30_minutes_of_silence(bot: BotHarness) -> None:
    from datetime import timedelta

    consulent = await bot.staff(Role.CONSULENT)
    await bot.driver.text(consulent, "/aanmelding C-9")
    bot.clock.advance(timedelta(minutes=31))
    reply = only_text(await bot.driver.text(consulent, "vandaag"))
    assert "half uur" in reply and "niets opgeslagen" in reply
    assert await stored_rows(bot) == {"clients": 0, "items": 0, "events": 0, "vacancies": 0}


async def test_annuleer_leaves_the_form(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await bot.driver.text(consulent, "/aanmelding C-9")
    assert "niets opgeslagen" in only_text(await bot.driver.text(consulent, "/annuleer"))
    assert await form_state(bot, consulent) is None
