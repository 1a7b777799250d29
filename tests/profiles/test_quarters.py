"""A profile's own behaviour on the local transport: the weekdate, the reminder engine, the
traject engine and the vacancy list read what the team's profile says, not a code.

Per profile: Dalfsen's weekdate with LB appointment and handover; Steenwijkerland's two-yearly
review of Leren & ontwikkelen; Midden-Drenthe's third Stark extension refused (003:L411) and its
yearly ontheffing contact for the consulent werk (003:L367); Voorschoten's 24-month
ontwikkelroute handover to participatie for the consulent Inkomen and none for 2B (004:L81,
L106, L338); the three municipalities of 004 sharing vacatures with no client data shared.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import parse_config
from bot.core.clock import AMSTERDAM
from bot.core.roles import Role
from bot.core.vocabulary import ExemptionReason, ExemptionScope
from bot.deadlines import service as deadline_service
from bot.deadlines.rules import add_months, working_due
from bot.deadlines.views import DEADLINE_BUTTONS
from bot.transport import LocalDriver, LocalUser
from jobs.deadlines import sweep
from storage import staff as staff_store
from storage import teams
from storage import vacancies as vacancy_store
from storage.models import Client, Deadline, Staff, Trajectory, Vacancy
from tests.support import weekdate_seed as seed
from tests.support.caselog import tap as caselog_tap
from tests.support.deadlines import RecordingSender, make_client, staff_id
from tests.support.harness import BotHarness, button, only_text, texts
from tests.weekdate.test_handlers import joined, link_group

# Monday 23 November 2026, 08:30 CET.
MONDAY_0830 = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def _config(**team: Any) -> Any:
    return parse_config({"teams": [{"name": "Team Werk", **team}]}, {})


async def test_steenwijkerland_reviews_leren_en_ontwikkelen_every_two_years(
    tmp_path: Path,
) -> None:
    """002:L766 vs L768: L&O two-yearly, Zorg yearly, from the profile's rhythm per category."""
    bot = await BotHarness.start(tmp_path, config=_config(profile="steenwijkerland"))
    try:
        bot.clock.set(MONDAY_0830)
        consulent = await bot.staff(Role.CONSULENT, name="Sanne")
        entered = date(2026, 9, 1)
        async with bot.runtime.db.transaction() as session:
            sid, team_id = await staff_id(session, consulent.id)
            ids = {}
            for ref, category in [
                ("C-1", "leren_ontwikkelen"),
                ("C-2", "zorg"),
                ("C-3", "direct_werk"),
            ]:
                ids[category] = await make_client(
                    session,
                    team_id=team_id,
                    ref=ref,
                    owner_staff_id=sid,
                    now=bot.clock.now(),
                    category=category,
                    entered_on=entered,
                )
        await sweep(bot.runtime, RecordingSender())
        async with bot.runtime.db.transaction() as session:
            rows = (
                await session.execute(
                    select(Deadline.client_id, Deadline.due_date).where(
                        Deadline.kind == "participation_contact"
                    )
                )
            ).all()
        due = dict(rows)
        assert due == {
            ids["leren_ontwikkelen"]: working_due(add_months(entered, 24)),
            ids["zorg"]: working_due(add_months(entered, 12)),
        }
    finally:
        await bot.stop()


async def _decide_intake(bot: BotHarness, category_label: str) -> tuple[str, int, int, int]:
    """A weekdate deciding one aanmelding as ``category_label``: (texts, client, consulent, lb)."""
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    consulent = await bot.staff(Role.CONSULENT, name="Anna")
    lb = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    await link_group(bot, leader.id)
    anna, lotte = await seed.staff_id(bot, consulent.id), await seed.staff_id(bot, lb.id)
    client = await seed.client(bot, "C-1001", owner=anna)
    await seed.case_item(bot, "intake", author=anna, client_id=client)
    calls = await bot.driver.text(leader, "/weekdate start")
    await bot.driver.tap(
        consulent, button(calls, "Ik ben erbij"), chat=LocalDriver.group_chat(-100500)
    )
    calls = await bot.driver.tap(leader, button(calls, category_label))
    seen = joined(calls)
    if any("ontwikkeling" in label for c in calls for label, _ in c.buttons):
        calls = await bot.driver.tap(leader, button(calls, "ontwikkeling"))
        seen += joined(calls)
    if any("Lotte" in label for c in calls for label, _ in c.buttons):
        calls = await bot.driver.tap(leader, button(calls, "Lotte"))
        seen += joined(calls)
    return seen, client, anna, lotte


async def test_dalfsen_weekdate_lb_appointment_and_handover_follow_the_meaning(
    tmp_path: Path,
) -> None:
    """A team override gives Meedoen a handover (000:L151 meaning, not a code): deciding Meedoen
    now plans the LB conversation AND hands the client over, through the same weekdate."""
    overrides = {"categories": [{"code": "meedoen", "handover_to": "loopbaanbegeleider"}]}
    bot = await BotHarness.start(tmp_path, config=_config(overrides=overrides))
    try:
        _, client, _, lotte = await _decide_intake(bot, "Meedoen")
        async with bot.runtime.db.transaction() as session:
            row = await session.get_one(Client, client)
            kinds = [(d.kind, d.owner_staff_id) for d in await session.scalars(select(Deadline))]
        assert (row.category, row.owner_staff_id) == ("meedoen", lotte)
        assert ("lb_appointment", lotte) in kinds
    finally:
        await bot.stop()


async def test_a_category_without_lb_meaning_plans_nothing(tmp_path: Path) -> None:
    """Steenwijkerland's Direct werk: no LB step asked, no LB task, the owner stays."""
    bot = await BotHarness.start(tmp_path, config=_config(profile="steenwijkerland"))
    try:
        seen, client, anna, _ = await _decide_intake(bot, "Direct werk")
        assert "Vastgelegd: C-1001 aanmelding: Direct werk" in seen
        async with bot.runtime.db.transaction() as session:
            row = await session.get_one(Client, client)
            kinds = [d.kind for d in await session.scalars(select(Deadline))]
        assert (row.category, row.owner_staff_id) == ("direct_werk", anna)
        assert "lb_appointment" not in kinds
    finally:
        await bot.stop()


# --- Midden-Drenthe: the Stark traject (003:L411) --------------------------------------------


def _morning(day: date) -> datetime:
    """08:45 Amsterdam on ``day``: after the digest time, so the sweep sends that day's digest."""
    return datetime.combine(day, time(8, 45), tzinfo=AMSTERDAM).astimezone(UTC)


async def _open(bot: BotHarness, kind: str) -> list[Deadline]:
    async with bot.runtime.db.transaction() as session:
        return list(
            (
                await session.scalars(
                    select(Deadline).where(Deadline.kind == kind, Deadline.status == "open")
                )
            ).all()
        )


async def _aanmelding(bot: BotHarness, user: LocalUser, ref: str, category: str) -> None:
    """An aanmelding of ``ref`` decided straight into ``category`` (a label)."""
    calls = await bot.driver.text(user, f"/aanmelding {ref}")
    for label in ("Vandaag", "ja", "Weet ik nog niet", "Klaar", category, "Geen notitie"):
        calls = await caselog_tap(bot, user, calls, label)
    assert "opgeslagen" in only_text(await caselog_tap(bot, user, calls, "Opslaan"))


async def test_midden_drenthe_quarter_refuses_the_third_stark_extension(tmp_path: Path) -> None:
    """A quarter-by-quarter Stark traject of a Midden-Drenthe team: the profile's instrument
    (3 months, at most two extensions, then a decision, 003:L411) feeds the traject engine: the
    end is proposed at 3 months, each end reaches the consulent werk in the morning digest, two
    extensions are accepted, the third is refused with the rule and the seed and lands on the
    next weekdate's agenda, where the team decides."""
    bot = await BotHarness.start(tmp_path, config=_config(profile="midden-drenthe"))
    try:
        start = date(2026, 3, 2)  # a Monday
        bot.clock.set(_morning(start))
        consulent = await bot.staff(Role.CONSULENT, name="Carla")
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        await _aanmelding(bot, consulent, "C-31", "Traject bij Stark")
        calls = await bot.driver.text(consulent, "/traject C-31")
        calls = await caselog_tap(bot, consulent, calls, "bij Stark")
        calls = await caselog_tap(bot, consulent, calls, "Vandaag")
        prompt = texts(calls)[-1]
        assert "Gebruikelijk is 3 maanden" in prompt and "(003:L411)" in prompt, prompt
        saved = only_text(await caselog_tap(bot, consulent, calls, "(3 maanden)"))
        assert "Traject opgeslagen" in saved and "2 juni 2026" in saved

        sender = RecordingSender()
        replies = []
        for quarter in range(3):
            (end,) = await _open(bot, "trajectory_end")
            # The quarter passes; on the end's day the consulent werk reads it in the digest.
            bot.clock.set(_morning(end.due_date))
            await sweep(bot.runtime, sender)
            assert any(
                "Einde traject" in r.text and "C-31" in r.text for r in sender.to(consulent.id)
            ), quarter
            sender.sent.clear()
            calls = await bot.driver.tap(consulent, DEADLINE_BUTTONS.encode("done", end.id))
            calls = await caselog_tap(bot, consulent, calls, "Verlengd")
            replies.append(only_text(await caselog_tap(bot, consulent, calls, "(+3 maanden)")))
        assert "(1× verlengd)" in replies[0] and "(2× verlengd)" in replies[1]
        third = replies[2]
        assert "Verlengen kan niet" in third, third
        assert "hoogstens 2× verlengd worden (003:L411)" in third
        assert "Daarna: een besluit in het werkoverleg." in third
        assert "op de agenda van het volgende weekoverleg" in third
        # Two extensions stand; the traject still runs to its last end (9 months in all).
        async with bot.runtime.db.transaction() as session:
            (traject,) = (await session.scalars(select(Trajectory))).all()
        assert (traject.status, traject.end) == ("verlengd", add_months(start, 9))
        # The next weekdate's agenda carries the refusal for the team's decision.
        agenda = "\n".join(texts(await bot.driver.text(leader, "/agenda")))
        assert "Verlenging re-integratietraject bij Stark geweigerd" in agenda, agenda
        assert "maximaal 2× (003:L411)" in agenda and "C-31" in agenda
    finally:
        await bot.stop()


# --- role variants in the owner choice (004:L338, 003:L367) ----------------------------------


async def _member(bot: BotHarness, telegram_id: int, name: str, *roles: Role) -> int:
    """A team member with a known Telegram id (the config's ``role_holders`` names it)."""
    async with bot.runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None
        member = await staff_store.upsert_staff(
            session,
            telegram_user_id=telegram_id,
            display_name=name,
            team_id=team.id,
            roles=roles,
            now=bot.clock.now(),
        )
        return member.staff_id


async def _participation_owner(
    tmp_path: Path, category: str, client_owner: str, **team: Any
) -> tuple[int | None, dict[str, int]]:
    """The owner the sweep gives the first participation contact of a client in ``category``
    owned by ``client_owner``, in a team of the werkconsulent Wim, the consulent Inkomen Ingrid
    (Telegram id 9002), the netwerker Noor and the loopbaanbegeleider Lotte."""
    bot = await BotHarness.start(tmp_path, config=_config(**team))
    try:
        bot.clock.set(MONDAY_0830)
        ids = {
            "wim": await _member(bot, 9001, "Wim", Role.CONSULENT),
            "ingrid": await _member(bot, 9002, "Ingrid", Role.CONSULENT),
            "noor": await _member(bot, 9003, "Noor", Role.NETWERKER),
            "lotte": await _member(bot, 9004, "Lotte", Role.LOOPBAANBEGELEIDER),
        }
        async with bot.runtime.db.transaction() as session:
            team_id = (await session.get_one(Staff, ids["wim"])).team_id
            client = await make_client(
                session,
                team_id=team_id,
                ref="C-41",
                owner_staff_id=ids[client_owner],
                now=bot.clock.now(),
                category=category,
                entered_on=date(2026, 9, 1),
            )
        await sweep(bot.runtime, RecordingSender())
        async with bot.runtime.db.transaction() as session:
            found = await session.scalar(
                select(Deadline.owner_staff_id).where(
                    Deadline.client_id == client, Deadline.kind == "participation_contact"
                )
            )
        return found, ids
    finally:
        await bot.stop()


VOORSCHOTEN = "voorschoten-leidschendam-voorburg-wassenaar"


async def test_voorschoten_participation_contact_is_the_consulent_inkomens(tmp_path: Path) -> None:
    """004:L338: the yearly participation contact is the consulent Inkomen's. The client in
    Participatie is still the werkconsulent's (after the route), yet the contact goes to the
    member the team names as consulent Inkomen."""
    owner, ids = await _participation_owner(
        tmp_path / "named",
        "participatie",
        "wim",
        profile=VOORSCHOTEN,
        role_holders={"inkomensconsulent": [9002]},
    )
    assert owner == ids["ingrid"]
    # Without the variant named, a werkconsulent is as much a consulent: the owner keeps it.
    owner, ids = await _participation_owner(
        tmp_path / "unnamed", "participatie", "wim", profile=VOORSCHOTEN
    )
    assert owner == ids["wim"]
    # A client the WSP holds: the contact is still a consulent's, never the netwerker's.
    owner, ids = await _participation_owner(
        tmp_path / "wsp", "participatie", "noor", profile=VOORSCHOTEN
    )
    assert owner in (ids["wim"], ids["ingrid"])


async def test_dalfsen_participation_contact_stays_with_the_consulent(tmp_path: Path) -> None:
    """001:L146: the consulent keeps the participation contact (the LB advises on request): a
    Meedoen client held by the loopbaanbegeleider gets the contact from a consulent, a client
    held by a consulent from that consulent."""
    owner, ids = await _participation_owner(tmp_path / "lb", "meedoen", "lotte")
    assert owner in (ids["wim"], ids["ingrid"])
    owner, ids = await _participation_owner(tmp_path / "own", "meedoen", "ingrid")
    assert owner == ids["ingrid"]


async def test_steenwijkerland_review_goes_to_the_consulent_not_the_matcher(tmp_path: Path) -> None:
    """002:L86-88: the USD consulent holds the review of Leren & ontwikkelen, not the matcher
    (a loopbaanbegeleider variant) who holds the client for jobcoaching."""
    owner, ids = await _participation_owner(
        tmp_path, "leren_ontwikkelen", "lotte", profile="steenwijkerland"
    )
    assert owner in (ids["wim"], ids["ingrid"])


async def test_midden_drenthe_yearly_ontheffing_contact_is_the_consulent_werks(
    tmp_path: Path,
) -> None:
    """003:L367 (Actie 38): the yearly ontheffing contact is the consulent werk's, also when the
    teamleider recorded the ontheffing of a client the accountmanager holds."""
    config = _config(profile="midden-drenthe", role_holders={"consulent_werk": [9002]})
    deadlines = replace(config.deadlines, exemption_yearly_contact=True)
    bot = await BotHarness.start(tmp_path, config=replace(config, deadlines=deadlines))
    try:
        bot.clock.set(MONDAY_0830)
        carla = await _member(bot, 9002, "Carla", Role.CONSULENT)
        tara = await _member(bot, 9005, "Tara", Role.TEAMLEIDER)
        abel = await _member(bot, 9003, "Abel", Role.NETWERKER)
        async with bot.runtime.db.transaction() as session:
            team_id = (await session.get_one(Staff, carla)).team_id
            client = await make_client(
                session,
                team_id=team_id,
                ref="C-51",
                owner_staff_id=abel,
                now=bot.clock.now(),
                category="participatie",
                entered_on=date(2026, 1, 5),
            )
            await deadline_service.create_exemption(
                session,
                team_id=team_id,
                client_id=client,
                scope=ExemptionScope.FULL,
                reason=ExemptionReason.MEDICAL,
                start=date(2026, 11, 23),
                end=None,
                review_date=date(2027, 11, 23),
                youngest_turns_five=None,
                owner_staff_id=tara,
                now=bot.clock.now(),
                config=deadlines,
            )
            contact = await session.scalar(
                select(Deadline).where(Deadline.kind == "exemption_contact")
            )
        assert contact is not None
        assert (contact.owner_staff_id, contact.due_date) == (carla, date(2027, 11, 23))
    finally:
        await bot.stop()


# --- Voorschoten: the ontwikkelroute's 24 months, then participatie (004:L81, L106) -----------


async def test_voorschoten_ontwikkelroute_hands_over_at_24_months_but_not_for_2b(
    tmp_path: Path,
) -> None:
    """Two ontwikkelroutes started the same day by the werkconsulent: at 24 months the
    Re-integratie client's handover to Participatie is a deadline for the consulent Inkomen
    (004:L81, L338), in her morning digest and on the weekdate agenda before the team; the 2B
    client's route has no cap and no handover (004:L106). A route that ends early takes its
    handover deadline with it."""
    config = _config(profile=VOORSCHOTEN, role_holders={"inkomensconsulent": [9002]})
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        start = date(2026, 3, 2)
        bot.clock.set(_morning(start))
        wim_id = await _member(bot, 9001, "Wim", Role.CONSULENT)
        ingrid_id = await _member(bot, 9002, "Ingrid", Role.CONSULENT)
        await _member(bot, 9005, "Tara", Role.TEAMLEIDER)
        wim, ingrid, tara = (
            LocalUser(9001, "Wim"),
            LocalUser(9002, "Ingrid"),
            LocalUser(9005, "Tara"),
        )
        async with bot.runtime.db.transaction() as session:
            team_id = (await session.get_one(Staff, wim_id)).team_id
            for ref, category in [
                ("C-61", "re_integratie"),
                ("C-62", "categorie_2b"),
                ("C-63", "re_integratie"),
            ]:
                await make_client(
                    session,
                    team_id=team_id,
                    ref=ref,
                    owner_staff_id=wim_id,
                    now=bot.clock.now(),
                    category=category,
                    entered_on=start,
                )
        for ref in ("C-61", "C-62", "C-63"):
            calls = await bot.driver.text(wim, f"/traject {ref}")
            calls = await caselog_tap(bot, wim, calls, "ontwikkelroute")
            calls = await caselog_tap(bot, wim, calls, "Vandaag")
            saved = only_text(await caselog_tap(bot, wim, calls, "(24 maanden)"))
            assert "Traject opgeslagen" in saved, saved
        handovers = await _open(bot, "development_route")
        refs = await _refs(bot, handovers)
        assert sorted(refs) == ["C-61", "C-63"]
        due = working_due(add_months(start, 24))
        assert {(d.owner_staff_id, d.due_date) for d in handovers} == {(ingrid_id, due)}

        # C-63's route stops after a year: its handover goes with it.
        bot.clock.set(_morning(date(2027, 3, 1)))
        async with bot.runtime.db.transaction() as session:
            end63 = await session.scalar(
                select(Deadline)
                .join(Client, Client.id == Deadline.client_id)
                .where(Deadline.kind == "trajectory_end", Client.ref == "C-63")
            )
        assert end63 is not None
        calls = await bot.driver.tap(wim, DEADLINE_BUTTONS.encode("done", end63.id))
        calls = await caselog_tap(bot, wim, calls, "Voortijdig gestopt")
        assert "voortijdig gestopt" in only_text(await bot.driver.text(wim, "verhuisd"))
        assert await _refs(bot, await _open(bot, "development_route")) == ["C-61"]

        # The week before: the weekdate agenda puts the handover before the team.
        bot.clock.set(_morning(due - timedelta(days=7)))
        agenda = "\n".join(texts(await bot.driver.text(tara, "/agenda")))
        lines = [line for line in agenda.splitlines() if "overdracht naar Participatie" in line]
        assert len(lines) == 1 and "C-61" in lines[0], agenda
        # At 24 months the consulent Inkomen reads it in her morning digest; 2B nowhere.
        sender = RecordingSender()
        bot.clock.set(_morning(due))
        await sweep(bot.runtime, sender)
        mine = "\n".join(r.text for r in sender.to(ingrid.id))
        assert "Einde ontwikkelroute" in mine and "C-61" in mine, mine
        assert "C-62" not in mine and "C-63" not in mine
        assert all("Einde ontwikkelroute" not in r.text for r in sender.to(wim.id))
    finally:
        await bot.stop()


async def _refs(bot: BotHarness, deadlines: list[Deadline]) -> list[str]:
    async with bot.runtime.db.transaction() as session:
        return sorted(
            [(await session.get_one(Client, d.client_id)).ref for d in deadlines if d.client_id]
        )


# --- 004: three municipalities, one vacancy list, no client data shared (004:L203, L224) -------

THREE = ("Voorschoten", "Leidschendam-Voorburg", "Wassenaar")


async def test_three_municipalities_share_vacatures_but_never_client_data(tmp_path: Path) -> None:
    """One deployment, the three teams of 004 and a Dalfsen team. A vacature of the WSP in
    Voorschoten is in every 004 team's /vacatures and agenda, not in Dalfsen's; each agenda
    suggests only its own clients; no team reads another's card or list; a Leidschendam
    consulent fills the Voorschoten vacature with her own client only."""
    config = parse_config(
        {
            "teams": [
                *({"name": name, "profile": VOORSCHOTEN} for name in THREE),
                {"name": "Dalfsen"},
            ]
        },
        {},
    )
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        bot.clock.set(MONDAY_0830)
        consulent = {
            name: await bot.staff(Role.CONSULENT, team=name, name=f"Consulent {name}")
            for name in (*THREE, "Dalfsen")
        }
        leader = {
            name: await bot.staff(Role.TEAMLEIDER, team=name, name=f"Leider {name}")
            for name in THREE
        }
        wsp = await bot.staff(Role.NETWERKER, team="Voorschoten", name="Wendy")
        ids: dict[str, tuple[int, int]] = {}
        async with bot.runtime.db.transaction() as session:
            for name, user in consulent.items():
                ids[name] = await staff_id(session, user.id)
            wsp_id, voorschoten = await staff_id(session, wsp.id)
            for name, ref in (("Voorschoten", "C-71"), ("Leidschendam-Voorburg", "C-72")):
                sid, team_id = ids[name]
                await make_client(
                    session,
                    team_id=team_id,
                    ref=ref,
                    owner_staff_id=sid,
                    now=bot.clock.now(),
                    category="re_integratie",
                    entered_on=date(2026, 9, 1),
                )
            await vacancy_store.add_vacancy(
                session,
                team_id=voorschoten,
                author_staff_id=wsp_id,
                employer="Bakkerij Duin",
                function="verkoopmedewerker",
                branche=None,
                hours_per_week=24,
                place_kind="betaald_werk",
                ladder_step=None,
                closing_date=None,
                source=None,
                contact_note=None,
                now=bot.clock.now(),
            )
        # Every 004 team sees the vacature; Dalfsen does not.
        for name in THREE:
            listed = joined(await bot.driver.text(consulent[name], "/vacatures"))
            assert "Bakkerij Duin" in listed, (name, listed)
        assert "Bakkerij Duin" not in joined(
            await bot.driver.text(consulent["Dalfsen"], "/vacatures")
        )
        # Each agenda shows it with its own clients as candidates only.
        agendas = {
            name: "\n".join(texts(await bot.driver.text(leader[name], "/agenda"))) for name in THREE
        }
        assert all("Bakkerij Duin" in text for text in agendas.values()), agendas
        assert "C-71" in agendas["Voorschoten"] and "C-72" not in agendas["Voorschoten"]
        assert "C-72" in agendas["Leidschendam-Voorburg"]
        assert "C-71" not in agendas["Leidschendam-Voorburg"]
        assert "C-71" not in agendas["Wassenaar"] and "C-72" not in agendas["Wassenaar"]
        # No card or list crosses teams.
        leidschendam = consulent["Leidschendam-Voorburg"]
        card = joined(await bot.driver.text(leidschendam, "/client C-71"))
        assert "ken ik niet in jouw team" in card, card
        assert "C-72" not in joined(await bot.driver.text(consulent["Voorschoten"], "/mijn"))
        # Leidschendam fills the shared vacature: another team's client is not hers to place.
        listed = await bot.driver.text(leidschendam, "/vacatures")
        await bot.driver.tap(leidschendam, button(listed, "Vervuld"))
        refused = joined(await bot.driver.text(leidschendam, "C-71"))
        assert "ken ik niet in jouw team" in refused, refused
        async with bot.runtime.db.transaction() as session:
            filled = await session.scalar(select(Vacancy))
        assert filled is not None and filled.status == "open"
        calls = await bot.driver.text(leidschendam, "C-72")
        assert "C-72" in joined(calls)
        async with bot.runtime.db.transaction() as session:
            filled = await session.scalar(select(Vacancy))
            placed = await session.get_one(Client, filled.filled_client_id) if filled else None
        assert filled is not None and filled.status == "vervuld"
        assert placed is not None and placed.ref == "C-72"
        # Gone from every list; Voorschoten's views never name the placed client.
        for name in THREE:
            assert "Bakkerij Duin" not in joined(
                await bot.driver.text(consulent[name], "/vacatures")
            )
        voorschoten_agenda = "\n".join(
            texts(await bot.driver.text(leader["Voorschoten"], "/agenda"))
        )
        assert "C-72" not in voorschoten_agenda
    finally:
        await bot.stop()
