"""Deadline conversations on the local transport: /ontheffing, /contact, /termijnen, buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.core.roles import Role
from bot.transport import BotCall, LocalUser
from jobs.deadlines import bot_sender, sweep
from storage import teams
from storage.models import Client, Deadline, DeadlinePostponement, Exemption, Notification
from tests.support.caselog import intake, tap
from tests.support.harness import BotHarness, button, only_text, texts

# Monday 23 November 2026, 09:00 local.
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def _client(bot: BotHarness, *refs: str, category: str | None = "werkfit") -> None:
    """Clients known in Team Werk (the case log's /aanmelding makes them in real life)."""
    async with bot.runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None
        team_id = team.id
        for ref in refs:
            session.add(
                Client(
                    team_id=team_id,
                    ref=ref,
                    owner_staff_id=None,
                    category=category,
                    tags=[],
                    status="actief",
                    entered_on=date(2026, 1, 5),
                    created_at=bot.clock.now(),
                    updated_at=bot.clock.now(),
                )
            )


async def _decision(
    bot: BotHarness, me: LocalUser, calls: list[BotCall], *, basis: bool = True
) -> str:
    """Answer the decision questions (besluitdatum today, grondslag advies verzekeringsarts,
    no zaaknummer) and return the saved reply."""
    assert "Op welke datum is het besluit genomen?" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "Vandaag"))
    if basis:
        assert "grondslag" in only_text(calls)
        calls = await bot.driver.tap(me, button(calls, "Advies verzekeringsarts"))
    assert "Zaaknummer" in only_text(calls)
    return only_text(await bot.driver.tap(me, button(calls, "Geen zaaknummer")))


async def _deadlines(bot: BotHarness) -> list[Deadline]:
    async with bot.runtime.db.transaction() as session:
        return list((await session.scalars(select(Deadline).order_by(Deadline.id))).all())


async def test_ontheffing_medisch_default_review(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    await _client(bot, "C-1042")
    calls = await bot.driver.text(me, "/ontheffing c-1042")
    assert "Registreer het besluit: ontheffing voor C-1042" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "Medisch"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.text(me, "2-3-2026")
    assert "einddatum" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
    assert "2 maart 2027" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "02-03-2027"))
    saved = await _decision(bot, me, calls)
    assert "Besluit geregistreerd: ontheffing volledig voor C-1042" in saved
    assert "Herbeoordeling: 2 maart 2027" in saved
    (deadline,) = await _deadlines(bot)
    assert (deadline.kind, deadline.due_date, deadline.source_type) == (
        "exemption_review",
        date(2027, 3, 2),
        "exemption",
    )
    # The decision is recorded, not made: its date and grondslag.
    async with bot.runtime.db.transaction() as session:
        exemption = await session.scalar(select(Exemption))
    assert exemption is not None
    assert (exemption.decision_date, exemption.basis, exemption.case_number) == (
        date(2026, 11, 23),
        "verzekeringsarts",
        None,
    )


async def test_ontheffing_ending_early_is_reviewed_before_its_end(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    await _client(bot, "C-1043")
    calls = await bot.driver.text(me, "/ontheffing C-1043")
    calls = await bot.driver.tap(me, button(calls, "Medisch"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.text(me, "2-3-2026")
    calls = await bot.driver.text(me, "1-10-2026")
    # Twelve months after the start would be after the end: two weeks before the end instead.
    assert "Standaard is 17 september 2026" in only_text(calls)
    calls = await bot.driver.text(me, "2-3-2027")
    assert "uiterlijk op de einddatum (1 oktober 2026)" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "17-09-2026"))
    assert "Herbeoordeling: 17 september 2026" in await _decision(bot, me, calls)
    (deadline,) = await _deadlines(bot)
    assert deadline.due_date == date(2026, 9, 17)


async def test_ontheffing_art9a_asks_the_request_and_the_youngest_child(bot: BotHarness) -> None:
    """Art. 9a (003:L339, L363): only for an alleenstaande ouder (confirming it sets the tag);
    asks the request date, the youngest child's birth date and the months used elsewhere; the
    scope is fixed and the end is computed, never a review."""
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    await _client(bot, "C-7")
    calls = await bot.driver.text(me, "/ontheffing C-7")
    calls = await bot.driver.tap(me, button(calls, "Art. 9a"))
    assert "alleenstaande ouder" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "Ja"))
    # No scope question: art. 9a is the arbeidsplicht only.
    assert "verzoek" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "Vandaag"))
    question = only_text(calls)
    assert "geboortedatum van het jongste kind" in question and "Meer vragen we niet" in question
    calls = await bot.driver.text(me, "14-03-2021")
    assert "al 5" in only_text(calls)
    calls = await bot.driver.text(me, "14-03-2022")
    assert "andere gemeente" in only_text(calls)
    calls = await bot.driver.tap(me, button(calls, "0"))
    saved = await _decision(bot, me, calls, basis=False)
    # The fifth birthday, 14 March 2027 (a Sunday); the re-integratieplicht stays.
    assert "eindigt van rechtswege op 14 maart 2027" in saved
    assert "re-integratieplicht blijft gelden" in saved and "niet verlengd" in saved
    async with bot.runtime.db.transaction() as session:
        exemption = await session.scalar(select(Exemption))
        client = await session.scalar(select(Client).where(Client.ref == "C-7"))
    assert exemption is not None and client is not None
    assert (exemption.scope, exemption.end_date, exemption.basis) == (
        "arbeidsplicht",
        date(2027, 3, 14),
        "verzoek_9a",
    )
    assert "alleenstaande_ouder" in client.tags


async def test_ontheffing_refuses_bad_input(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT)
    await _client(bot, "C-1")
    assert "Gebruik: /ontheffing" in only_text(await bot.driver.text(me, "/ontheffing"))
    bad = only_text(await bot.driver.text(me, "/ontheffing C 1/2"))
    assert "geen geldige cliëntreferentie" in bad
    unknown = only_text(await bot.driver.text(me, "/contact C-999"))
    assert "C-999 ken ik niet" in unknown and "/aanmelding C-999" in unknown
    netwerker = await bot.staff(Role.NETWERKER)
    assert "consulent" in only_text(await bot.driver.text(netwerker, "/ontheffing C-1"))
    calls = await bot.driver.text(me, "/ontheffing C-1")
    assert "Kies een reden met de knoppen" in only_text(await bot.driver.text(me, "medisch"))
    calls = await bot.driver.tap(me, button(calls, "Medisch"))
    calls = await bot.driver.text(me, "volledig")
    assert "Kies met de knoppen" in only_text(calls)


async def test_contact_phone_does_not_reset_face_to_face_does(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    async with bot.runtime.db.transaction() as session:
        session.add(
            Client(
                team_id=1,
                ref="C-9",
                owner_staff_id=None,
                category="meedoen",
                tags=[],
                status="actief",
                entered_on=date(2026, 1, 5),
                created_at=MONDAY,
                updated_at=MONDAY,
            )
        )

    async def contact(kind: str, when: str) -> str:
        calls = await bot.driver.text(me, "/contact C-9")
        calls = await bot.driver.tap(me, button(calls, kind))
        calls = await bot.driver.text(me, when)
        calls = await bot.driver.tap(me, button(calls, "Vrijwilligerswerk"))
        calls = await bot.driver.tap(me, button(calls, "Geen notitie"))
        return only_text(calls)

    phone = await contact("Telefonisch", "20-11-2026")
    assert "telt niet" in phone and "uiterlijk 5 januari 2027" in phone
    visit = await contact("Huisbezoek", "vandaag")
    assert "telt niet" not in visit and "uiterlijk 23 november 2027" in visit
    open_rows = [d for d in await _deadlines(bot) if d.status == "open"]
    assert [(d.kind, d.due_date) for d in open_rows] == [
        ("participation_contact", date(2027, 11, 23))
    ]


async def test_phone_contact_outside_participation_does_not_promise_a_deadline(
    bot: BotHarness,
) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    await _client(bot, "C-8", category="werkfit")
    calls = await bot.driver.text(me, "/contact C-8")
    calls = await bot.driver.tap(me, button(calls, "Telefonisch"))
    calls = await bot.driver.text(me, "vandaag")
    calls = await bot.driver.tap(me, button(calls, "Vrijwilligerswerk"))
    reply = only_text(await bot.driver.tap(me, button(calls, "Geen notitie")))
    assert "niet in een participatiecategorie" in reply
    assert "blijft staan" not in reply


async def test_termijnen_and_digest_buttons(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    colleague = await bot.staff(Role.CONSULENT, name="Piet")
    leader = await bot.staff(Role.TEAMLEIDER, name="Tom")
    await _client(bot, "C-1")
    # An ontheffing started two years ago with its review last month: overdue.
    calls = await bot.driver.text(me, "/ontheffing C-1")
    calls = await bot.driver.tap(me, button(calls, "Mantelzorg"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.text(me, "3-11-2024")
    calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
    calls = await bot.driver.text(me, "2-11-2026")
    assert "Herbeoordeling: 2 november 2026" in await _decision(bot, me, calls)

    listing = only_text(await bot.driver.text(me, "/termijnen"))
    assert "Te laat" in listing and "C-1" in listing

    # The digest: sweep through PTB on the local transport.
    bot.clock.set(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    report = await sweep(bot.runtime, bot_sender(bot.application.bot))
    # 22 days overdue: past the escalation date, so the teamleider gets it too.
    assert report.outcomes == {"sent": 2}
    sent = bot.transport.take()
    assert sorted(c.chat_id for c in sent) == sorted([me.id, leader.id])
    digest = [c for c in sent if c.chat_id == me.id]
    assert "Te laat" in digest[0].text and "C-1" in digest[0].text
    (to_leader,) = [c.text for c in sent if c.chat_id == leader.id]
    assert "Te laat in je team" in to_leader and "Sanne" in to_leader

    # Tap the item, then Uitstellen: a week, with a reason.
    card = await bot.driver.tap(me, button(digest, "1"))
    assert "Ontheffing herbeoordelen" in only_text(card)
    calls = await bot.driver.tap(me, button(card, "Uitstellen"))
    calls = await bot.driver.tap(me, button(calls, "1 week"))
    calls = await bot.driver.text(me, "cliënt ziek, afspraak verzet")
    assert "Uitgesteld tot 1 december 2026" in only_text(calls)

    # A colleague cannot act on it; the teamleider can.
    denied = await bot.driver.tap(colleague, button(card, "Gedaan"))
    assert "niet van jou" in texts(denied)[0]

    # Overdragen to Piet: Piet is told.
    calls = await bot.driver.tap(me, button(card, "Overdragen"))
    calls = await bot.driver.tap(me, button(calls, "Piet"))
    assert "Overgedragen aan Piet" in texts(calls)[0]
    assert any(c.chat_id == colleague.id and "overgedragen" in c.text for c in calls)

    # Piet does the review: verlengd, default next review in 12 months.
    calls = await bot.driver.tap(colleague, button(card, "Gedaan"))
    calls = await bot.driver.tap(colleague, button(calls, "Verlengd"))
    calls = await bot.driver.tap(colleague, button(calls, "2027"))
    assert "Volgende herbeoordeling: 24 november 2027" in only_text(calls)
    # The old card's buttons now say it is gone.
    gone = await bot.driver.tap(leader, button(card, "Gedaan"))
    assert "al afgehandeld" in texts(gone)[0]
    async with bot.runtime.db.transaction() as session:
        reasons = (await session.scalars(select(DeadlinePostponement.reason))).all()
    assert reasons == ["cliënt ziek, afspraak verzet"]


async def test_postpone_twice_then_it_escalates(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    await bot.staff(Role.TEAMLEIDER, name="Tom")
    await _client(bot, "C-2")
    calls = await bot.driver.text(me, "/ontheffing C-2")
    calls = await bot.driver.tap(me, button(calls, "Overig"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.tap(me, button(calls, "Vandaag"))
    calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
    calls = await bot.driver.text(me, "30-11-2026")
    await _decision(bot, me, calls)
    (deadline,) = await _deadlines(bot)
    open_data = f"ddl:open:{deadline.id}"
    for expected in ("Uitgesteld tot", "Uitgesteld tot"):
        card = await bot.driver.tap(me, open_data)
        calls = await bot.driver.tap(me, button(card, "Uitstellen"))
        calls = await bot.driver.tap(me, button(calls, "1 maand"))
        assert expected in only_text(await bot.driver.text(me, "wacht op rapport"))
    card = await bot.driver.tap(me, open_data)
    refused = only_text(await bot.driver.tap(me, button(card, "Uitstellen")))
    assert "al 2 keer uitgesteld" in refused
    async with bot.runtime.db.transaction() as session:
        stages = (await session.scalars(select(Notification.stage))).all()
    assert stages == ["escalation:max"]
    bot.clock.set(MONDAY + timedelta(days=1))
    await sweep(bot.runtime, bot_sender(bot.application.bot))
    sent = bot.transport.take()
    leader_text = [c.text for c in sent if c.text.startswith("<b>Hoi Tom")]
    assert leader_text and "Te laat in je team" in leader_text[0] and "C-2" in leader_text[0]


async def test_niet_van_toepassing_with_reason(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT)
    await _client(bot, "C-3")
    calls = await bot.driver.text(me, "/ontheffing C-3")
    calls = await bot.driver.tap(me, button(calls, "Overig"))
    calls = await bot.driver.tap(me, button(calls, "Volledig"))
    calls = await bot.driver.tap(me, button(calls, "Vandaag"))
    calls = await bot.driver.tap(me, button(calls, "Geen einddatum"))
    calls = await bot.driver.tap(me, button(calls, "2027"))
    await _decision(bot, me, calls)
    (deadline,) = await _deadlines(bot)
    card = await bot.driver.tap(me, f"ddl:open:{deadline.id}")
    calls = await bot.driver.tap(me, button(card, "Niet van toepassing"))
    calls = await bot.driver.text(me, "verhuisd naar andere gemeente")
    assert "niet van toepassing" in only_text(calls)
    (deadline,) = await _deadlines(bot)
    assert deadline.status == "not_applicable"
    assert deadline.resolution_note == "verhuisd naar andere gemeente"


async def test_traject_with_end_date_gets_its_deadline(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT)
    await intake(bot, consulent, "C-6")
    calls = await bot.driver.text(consulent, "/traject C-6")
    calls = await tap(bot, consulent, calls, "taalstage")
    calls = await tap(bot, consulent, calls, "Vandaag")
    # 6 June 2026 is a Saturday: the deadline moves to Friday 5 June.
    assert "Traject opgeslagen" in only_text(await bot.driver.text(consulent, "6-6"))
    traject = [d for d in await _deadlines(bot) if d.kind == "trajectory_end"]
    assert [(d.due_date, d.source_type, d.status) for d in traject] == [
        (date(2026, 6, 5), "case_item", "open")
    ]


async def test_sweep_keeps_participation_deadlines_in_step_with_categories(
    bot: BotHarness,
) -> None:
    bot.clock.set(MONDAY)
    await bot.staff(Role.CONSULENT)
    async with bot.runtime.db.transaction() as session:
        for ref, category in (("P-1", "zorg"), ("P-2", "werkfit")):
            session.add(
                Client(
                    team_id=1,
                    ref=ref,
                    owner_staff_id=None,
                    category=category,
                    tags=[],
                    status="actief",
                    entered_on=date(2026, 2, 2),
                    created_at=MONDAY,
                    updated_at=MONDAY,
                )
            )
    await sweep(bot.runtime, bot_sender(bot.application.bot))
    (first,) = await _deadlines(bot)
    assert (first.kind, first.due_date, first.status) == (
        "participation_contact",
        date(2027, 2, 2),
        "open",
    )
    # P-1 moves to Werkfit (any feature may do that): the next sweep closes its deadline.
    async with bot.runtime.db.transaction() as session:
        client = await session.scalar(select(Client).where(Client.ref == "P-1"))
        assert client is not None
        client.category = "werkfit"
    await sweep(bot.runtime, bot_sender(bot.application.bot))
    (closed,) = await _deadlines(bot)
    assert closed.status == "not_applicable"
