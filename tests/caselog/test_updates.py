"""/vacature, /vacatures, quick updates, chat-style text, /client, /mijn, /categorie, /wijzig,
group behaviour and vacancy expiry."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.core.roles import Role
from bot.runtime import BotContext
from bot.transport import LocalDriver, LocalUser
from jobs.caselog import expire_vacancies
from storage.models import CaseItem, Client, ClientEvent, Vacancy
from tests.support.caselog import (
    audit_actions,
    form_state,
    intake,
    last_text,
    stored_rows,
    tap,
)
from tests.support.harness import BotHarness, button, only_text, texts


async def _vacancy(bot: BotHarness, user: LocalUser, closing: str | None = "1-4") -> str:
    calls = await bot.driver.text(user, "/vacature")
    calls = await bot.driver.text(user, "Bakkerij De Korenschoof")
    calls = await bot.driver.text(user, "Hulp bakker")
    calls = await tap(bot, user, calls, "techniek en productie")
    calls = await bot.driver.text(user, "24 uur")
    calls = await tap(bot, user, calls, "betaald werk")
    calls = await tap(bot, user, calls, "5")
    if closing is None:
        calls = await tap(bot, user, calls, "Geen sluitingsdatum")
    else:
        calls = await bot.driver.text(user, closing)
    calls = await tap(bot, user, calls, "WSP")
    calls = await bot.driver.text(user, "Bel Anja op di/do")
    assert "Klopt dit?" in only_text(calls)
    return only_text(await tap(bot, user, calls, "Opslaan"))


async def test_vacature_walked_to_the_end(bot: BotHarness) -> None:
    netwerker = await bot.staff(Role.NETWERKER)
    saved = await _vacancy(bot, netwerker)
    assert "Vacature opgeslagen" in saved and "Hulp bakker" in saved and "1 april 2026" in saved
    assert "Uren per week: 24" in saved and "Trede participatieladder: 5" in saved
    async with bot.runtime.db.transaction() as session:
        row = await session.scalar(select(Vacancy))
        assert row is not None and row.status == "open" and row.agenda_status == "pending"
        assert row.place_kind == "betaald_werk" and row.source == "wsp"
        assert row.closing_date == date(2026, 4, 1) and row.hours_per_week == 24


async def test_vacature_wrong_inputs(bot: BotHarness) -> None:
    netwerker = await bot.staff(Role.NETWERKER)
    calls = await bot.driver.text(netwerker, "/vacature")
    assert "alleen tekst" in last_text(await bot.driver.photo(netwerker))
    for bad in ("", "   ", "x" * 5000):
        assert "Er ging iets mis" not in last_text(await bot.driver.text(netwerker, bad))
    assert (await form_state(bot, netwerker) or ("", ""))[1] == "emp"
    await bot.driver.text(netwerker, "<b>Bakker</b>")
    calls = await bot.driver.text(netwerker, "*functie*")
    assert "branche" in only_text(calls).lower()
    assert "knoppen" in last_text(await bot.driver.text(netwerker, "ruimtevaart"))
    calls = await tap(bot, netwerker, calls, "groen")
    for bad in ("0", "41", "twintig", "😀", "</a>"):
        assert "1 tot 40" in last_text(await bot.driver.text(netwerker, bad))
    assert "alleen tekst" in last_text(await bot.driver.sticker(netwerker))
    calls = await bot.driver.text(netwerker, "40")
    calls = await tap(bot, netwerker, calls, "werkstage")
    assert "trede" in last_text(await bot.driver.text(netwerker, "7")).lower()
    calls = await tap(bot, netwerker, calls, "1")
    for bad in ("gisteren", "31-02", "1-1-2020", "1-1-2099", "<b>"):
        reply = last_text(await bot.driver.text(netwerker, bad))
        assert "Er ging iets mis" not in reply and "datum" in reply.lower()
    assert (await form_state(bot, netwerker) or ("", ""))[1] == "closing"
    calls = await bot.driver.text(netwerker, "vandaag")
    calls = await tap(bot, netwerker, calls, "eigen netwerk")
    assert "300" in last_text(await bot.driver.text(netwerker, "x" * 301))
    calls = await tap(bot, netwerker, calls, "Geen")
    saved = only_text(await tap(bot, netwerker, calls, "Opslaan"))
    assert "&lt;b&gt;Bakker&lt;/b&gt;" in saved and "Contact: geen" in saved


async def test_vacatures_list_and_vervuld_with_client(bot: BotHarness) -> None:
    netwerker = await bot.staff(Role.NETWERKER)
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-321")
    await _vacancy(bot, netwerker)
    listing = await bot.driver.text(netwerker, "/vacatures")
    assert "Hulp bakker" in only_text(listing) and "Open vacatures</b> (1)" in only_text(listing)
    fill = button(listing, "1. Vervuld")
    calls = await bot.driver.tap(netwerker, fill)
    assert "Is er een cliënt" in last_text(calls)
    assert "ken ik niet" in last_text(await bot.driver.text(netwerker, "C-999"))
    done = only_text(await bot.driver.text(netwerker, "c-321"))
    assert "Vacature vervuld" in done and "C-321" in done and "uitstroom" in done
    async with bot.runtime.db.transaction() as session:
        row = await session.scalar(select(Vacancy))
        assert row is not None and row.status == "vervuld" and row.filled_client_id is not None
        success = await session.scalar(select(CaseItem).where(CaseItem.kind == "success"))
        assert success is not None and success.data["exit_candidate"] is True
        assert success.agenda_status == "pending"
    # The same Vervuld button again: refused, nothing changes.
    again = await bot.driver.tap(netwerker, fill)
    assert "niet (meer) open" in last_text(again)
    assert "geen open vacatures" in only_text(await bot.driver.text(netwerker, "/vacatures"))


async def test_vacancy_of_another_team_cannot_be_filled(bot: BotHarness) -> None:
    netwerker = await bot.staff(Role.NETWERKER)
    other = await bot.staff(Role.NETWERKER, team="Team Zorg")
    await _vacancy(bot, netwerker)
    listing = await bot.driver.text(netwerker, "/vacatures")
    assert "niet (meer) open" in last_text(await bot.driver.tap(other, button(listing, "Vervuld")))
    assert "geen open vacatures" in only_text(await bot.driver.text(other, "/vacatures"))


async def test_vacancy_expires_after_its_closing_date(bot: BotHarness) -> None:
    netwerker = await bot.staff(Role.NETWERKER)
    await _vacancy(bot, netwerker, closing="5-3")
    await _vacancy(bot, netwerker, closing=None)
    bot.clock.advance(timedelta(days=2))  # 5 March: still open on its closing day
    await expire_vacancies(_job_context(bot))
    assert "Open vacatures</b> (2)" in only_text(await bot.driver.text(netwerker, "/vacatures"))
    bot.clock.advance(timedelta(days=1))
    # Before the job ran, the list already leaves it out; the job then records it.
    assert "Open vacatures</b> (1)" in only_text(await bot.driver.text(netwerker, "/vacatures"))
    await expire_vacancies(_job_context(bot))
    async with bot.runtime.db.transaction() as session:
        statuses = sorted(r.status for r in await session.scalars(select(Vacancy)))
    assert statuses == ["open", "vervallen"]


def _job_context(bot: BotHarness) -> BotContext:
    return BotContext(bot.application)


async def test_succes_with_text_saved_at_once(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-10234")
    saved = only_text(
        await bot.driver.text(consulent, "/succes c-10234 Contract bij de bakker! <b>32 uur</b>")
    )
    assert "Succes opgeslagen voor <b>C-10234</b>" in saved
    assert "&lt;b&gt;32 uur&lt;/b&gt;" in saved
    async with bot.runtime.db.transaction() as session:
        item = await session.scalar(select(CaseItem).where(CaseItem.kind == "success"))
        assert item is not None and item.text == "Contract bij de bakker! <b>32 uur</b>"
        assert item.agenda_status == "pending"
    assert await form_state(bot, consulent) is None


async def test_knelpunt_asks_for_text_and_refuses_unknown_refs(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-2")
    assert "ken ik niet" in only_text(await bot.driver.text(consulent, "/knelpunt C-3 tekst"))
    calls = await bot.driver.text(consulent, "/knelpunt")
    assert "Voor welke cliënt" in only_text(calls)
    for bad in ("", "C 2", "<b>", "😀", "x" * 5000):
        assert "Er ging iets mis" not in last_text(await bot.driver.text(consulent, bad))
    calls = await bot.driver.text(consulent, "C-2")
    assert "Knelpunt C-2" in only_text(calls)
    assert "300" in last_text(await bot.driver.text(consulent, "x" * 5000))
    assert "alleen tekst" in last_text(await bot.driver.photo(consulent))
    saved = only_text(await bot.driver.text(consulent, "Kinderopvang rond krijgen lukt niet"))
    assert "Knelpunt opgeslagen" in saved and "Kinderopvang" in saved
    calls = await bot.driver.text(consulent, "/knelpunt C-2")
    saved = only_text(await tap(bot, consulent, calls, "Opslaan zonder tekst"))
    assert "Knelpunt opgeslagen" in saved


async def test_traject_in_three_taps(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-6")
    calls = await bot.driver.text(consulent, "/traject C-6")
    calls = await tap(bot, consulent, calls, "taalstage")
    for bad in ("31-02", "1-1-2020", "<b>", ""):
        assert "Er ging iets mis" not in last_text(await bot.driver.text(consulent, bad))
    calls = await tap(bot, consulent, calls, "Vandaag")
    assert "ligt te ver terug" in last_text(await bot.driver.text(consulent, "1-1-2026"))
    saved = only_text(await bot.driver.text(consulent, "3-6"))
    assert "Traject opgeslagen" in saved and "taalstage" in saved and "3 juni 2026" in saved
    card = only_text(await bot.driver.text(consulent, "/client C-6"))
    assert "taalstage 03-03-2026 – 03-06-2026 · lopend" in card


async def test_chat_style_success(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-10234")
    calls = await bot.driver.text(consulent, "C-10234 heeft een contract bij de bakker!")
    assert "Wat is dit bericht over <b>C-10234</b>?" in only_text(calls)
    labels = [label for c in calls for label, _ in c.buttons]
    assert labels == ["Succes", "Knelpunt", "Traject", "Notitie", "Niets"]
    saved = only_text(await tap(bot, consulent, calls, "Succes"))
    assert "Succes opgeslagen voor <b>C-10234</b>" in saved and "bakker" in saved
    calls = await bot.driver.text(consulent, "c-10234 vandaag afgezegd")
    assert "niets opgeslagen" in only_text(await tap(bot, consulent, calls, "Niets"))
    calls = await bot.driver.text(consulent, "C-10234 start met werkstage")
    calls = await tap(bot, consulent, calls, "Traject")
    calls = await tap(bot, consulent, calls, "werkstage")
    calls = await tap(bot, consulent, calls, "Komende maandag")
    saved = only_text(await tap(bot, consulent, calls, "Geen einddatum"))
    assert "Traject opgeslagen" in saved and "9 maart 2026" in saved
    async with bot.runtime.db.transaction() as session:
        kinds = sorted(i.kind for i in await session.scalars(select(CaseItem)))
    assert kinds == ["intake", "success", "trajectory"]


async def test_chat_style_without_known_reference(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    assert "geen cliëntreferentie" in only_text(await bot.driver.text(consulent, "hallo!"))
    assert "ken ik niet" in only_text(await bot.driver.text(consulent, "C-555 heeft werk"))
    assert await form_state(bot, consulent) is None
    await intake(bot, consulent, "C-1")
    assert "300 tekens" in only_text(await bot.driver.text(consulent, "C-1 " + "x" * 5000))


async def test_client_card_audited_and_team_only(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT, name="Sanne")
    other_team = await bot.staff(Role.CONSULENT, team="Team Zorg")
    await intake(bot, consulent, "C-10234")
    await bot.driver.text(consulent, "/succes C-10234 Werkt nu 16 uur")
    card = only_text(await bot.driver.text(consulent, "/client c-10234"))
    for part in ("<b>C-10234</b> · aangemeld", "Eigenaar: Sanne", "jongere &lt;27", "succes"):
        assert part in card, part
    assert "Geschiedenis" in card and "status: – → aangemeld (Sanne)" in card
    refused = only_text(await bot.driver.text(other_team, "/client C-10234"))
    assert "ken ik niet" in refused and "Sanne" not in refused
    assert "referentie" in only_text(await bot.driver.text(consulent, "/client"))
    actions = [a for a in await audit_actions(bot) if a[0] == "client_view"]
    assert [a[2] for a in actions] == ["shown", "unknown"]
    assert actions[0][1] is not None and actions[0][1].startswith("client:")


async def test_mijn_lists_my_clients(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    colleague = await bot.staff(Role.CONSULENT)
    assert "geen cliënten" in only_text(await bot.driver.text(consulent, "/mijn"))
    await intake(bot, consulent, "C-1")
    await intake(bot, colleague, "C-2")
    mine = only_text(await bot.driver.text(consulent, "/mijn"))
    assert "C-1" in mine and "C-2" not in mine and "1 voor het weekoverleg" in mine


async def test_categorie_with_reason_goes_into_history(bot: BotHarness) -> None:
    # A category without an LB conversation (the ones with one: tests/route).
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-1")
    calls = await bot.driver.text(consulent, "/categorie C-1")
    assert "<b>C-1</b> is nu: nog geen categorie" in only_text(calls)
    calls = await tap(bot, consulent, calls, "Zorg")
    calls = await tap(bot, consulent, calls, "maximaal haalbare bereikt")
    assert "300" in last_text(await bot.driver.text(consulent, "x" * 5000))
    saved = only_text(await bot.driver.text(consulent, "Vrijwilligerswerk loopt goed"))
    assert "Zorg (maximaal haalbare bereikt)" in saved
    async with bot.runtime.db.transaction() as session:
        event = await session.scalar(select(ClientEvent).where(ClientEvent.field == "category"))
        assert event is not None and event.new_value == "zorg"
        assert event.reason == "Vrijwilligerswerk loopt goed"
        client = await session.scalar(select(Client))
        assert client is not None and client.category == "zorg"


async def test_wijzig_own_recent_item(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    colleague = await bot.staff(Role.CONSULENT)
    assert "niets vastgelegd" in only_text(await bot.driver.text(consulent, "/wijzig"))
    await intake(bot, consulent, "C-1")
    await bot.driver.text(consulent, "/succes C-1 Eerste versie")
    calls = await bot.driver.text(consulent, "/wijzig")
    assert "Eerste versie" in only_text(calls)
    calls = await tap(bot, consulent, calls, "succes C-1")
    saved = only_text(await bot.driver.text(consulent, "Tweede versie"))
    assert "Gewijzigd" in saved and "Tweede versie" in saved
    assert "niets vastgelegd" in only_text(await bot.driver.text(colleague, "/wijzig"))
    bot.clock.advance(timedelta(days=15))
    assert "niets vastgelegd" in only_text(await bot.driver.text(consulent, "/wijzig"))


async def test_group_gets_a_button_and_no_client_details(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER)
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-10234")
    group = LocalDriver.group_chat(-100555)
    await bot.driver.bot_added(leader, group)
    await bot.driver.text(leader, "/koppel", chat=group)
    before = await stored_rows(bot)
    for command in (
        "/aanmelding C-10234",
        "/client C-10234",
        "/succes C-10234 geweldig",
        "/knelpunt C-10234",
        "/traject C-10234",
        "/vacature",
        "/vacatures",
        "/mijn",
        "/categorie C-10234",
        "/wijzig",
    ):
        calls = await bot.driver.text(consulent, command, chat=group)
        reply = only_text(calls)
        assert "privégesprek" in reply and "C-10234" not in reply, command
        assert [b for c in calls for b in c.buttons] == [
            ("Open het privégesprek", "https://t.me/weekdate_bot")
        ]
    assert await stored_rows(bot) == before
    assert texts(await bot.driver.text(consulent, "C-10234 heeft werk", chat=group)) == []
