"""Matching: one pure ranking function (fit, then waiting time), fed by the client's wishes,
used by the agenda and by the "Kandidaten" button of ``/vacatures`` (private only)."""

from __future__ import annotations

from datetime import date

from bot import profiles
from bot.core.roles import Role
from bot.profiles import meaning
from bot.route.rules import Applicant, Opening, fit, rank_candidates, year_before
from bot.transport import LocalDriver
from storage.models import ClientWishes
from tests.route import seed
from tests.support import weekdate_seed
from tests.support.harness import BotHarness, button, only_text, texts

PAID = Opening("betaald_werk", "horeca", 24)
#: The default profile's meaning: which categories suit which kind of place.
MATCH = meaning.matching(profiles.default())


def applicant(ref: str, category: str | None = "werkfit", **wishes: object) -> Applicant:
    entered = wishes.pop("entered", date(2026, 1, 1))
    return Applicant(int(ref.split("-")[1]), ref, category, entered, **wishes)  # type: ignore[arg-type]


def test_the_profile_says_which_categories_suit_a_place() -> None:
    assert "werkfit" in MATCH["betaald_werk"] and "meedoen" not in MATCH["betaald_werk"]
    assert "meedoen" in MATCH["vrijwilligerswerk"] and "zorg" not in MATCH["vrijwilligerswerk"]


def test_only_the_category_that_leads_the_way_of_the_place_fits() -> None:
    assert fit(PAID, applicant("W-1"), MATCH) is not None
    assert fit(PAID, applicant("M-1", "meedoen"), MATCH) is None
    assert fit(PAID, applicant("Z-1", "zorg"), MATCH) is None
    volunteer = Opening("vrijwilligerswerk")
    assert fit(volunteer, applicant("M-1", "meedoen"), MATCH) is not None
    assert fit(volunteer, applicant("W-1"), MATCH) is None
    # A proefplaatsing is a trial for a paid job: towards work.
    assert fit(Opening("proefplaatsing"), applicant("W-1"), MATCH) is not None


def test_a_stated_wish_the_vacature_contradicts_rules_the_client_out() -> None:
    assert fit(PAID, applicant("W-1", branches=frozenset({"groen"})), MATCH) is None
    assert fit(PAID, applicant("W-2", hours_per_week=16), MATCH) is None
    assert fit(PAID, applicant("W-3", place_kinds=frozenset({"werkstage"})), MATCH) is None
    met = fit(
        PAID,
        applicant(
            "W-4",
            branches=frozenset({"Horeca", "groen"}),
            hours_per_week=32,
            place_kinds=frozenset({"betaald_werk"}),
        ),
        MATCH,
    )
    assert met is not None and met.reasons == ("branche", "uren", "soort plek")
    # The vacature does not say: the wish neither counts for nor against.
    unknown = fit(Opening("betaald_werk"), applicant("W-5", branches=frozenset({"groen"})), MATCH)
    assert unknown is not None and unknown.reasons == ()


def test_ranked_by_fit_then_longest_waiting_then_reference() -> None:
    pool = [
        applicant("W-1", entered=date(2025, 6, 1)),
        applicant("W-2", branches=frozenset({"horeca"}), entered=date(2026, 2, 1)),
        applicant("W-3", entered=date(2024, 1, 1)),
        applicant("W-4", entered=None),
        applicant("W-5", branches=frozenset({"horeca"}), hours_per_week=24),
        applicant("W-6", entered=date(2024, 1, 1)),
    ]
    ranked = rank_candidates(PAID, pool, MATCH, limit=10)
    assert [r.ref for r in ranked] == ["W-5", "W-2", "W-3", "W-6", "W-1", "W-4"]
    assert [r.ref for r in rank_candidates(PAID, pool, MATCH, limit=2)] == ["W-5", "W-2"]
    assert rank_candidates(PAID, [], MATCH, limit=3) == []


def test_year_before() -> None:
    assert year_before(date(2026, 3, 3)) == date(2025, 3, 3)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


async def test_kandidaten_button_on_vacatures(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    netwerker = await bot.staff(Role.NETWERKER, name="Nina")
    other = await bot.staff(Role.CONSULENT, name="Zoe", team="Team Zorg")
    nina = await weekdate_seed.staff_id(bot, netwerker.id)
    w1 = await seed.client(bot, "C-1", category="werkfit", entered_on=date(2025, 1, 1))
    w2 = await seed.client(bot, "C-2", category="werkfit", entered_on=date(2026, 1, 1))
    w3 = await seed.client(bot, "C-3", category="werkfit", entered_on=date(2024, 1, 1))
    await seed.client(bot, "C-4", category="meedoen", entered_on=date(2020, 1, 1))
    await seed.client(bot, "C-5", category="werkfit", status="uitgestroomd")
    await seed.client(bot, "C-9", category="werkfit", team="Team Zorg")
    async with bot.runtime.db.transaction() as session:
        now = bot.clock.now()
        for client_id, branches, hours in ((w2, ["horeca_en_toerisme"], 32), (w3, ["groen"], None)):
            session.add(
                ClientWishes(
                    client_id=client_id,
                    branches=branches,
                    hours_per_week=hours,
                    place_kinds=[],
                    updated_at=now,
                )
            )
    del w1
    await weekdate_seed.vacancy(
        bot,
        author=nina,
        employer="Bakkerij Jansen",
        function="verkoper",
        place_kind="betaald_werk",
        branche="horeca_en_toerisme",
        hours=24,
    )
    calls = await bot.driver.text(leader, "/vacatures")
    tap = button(calls, "Kandidaten 1")
    shown = only_text(await bot.driver.tap(leader, tap))
    assert "Kandidaten voor verkoper bij Bakkerij Jansen" in shown
    # C-2 wants horeca and 32 hours: first; then C-1 (waiting since 2025); C-3 wants groen,
    # C-4 is Meedoen, C-5 left, C-9 is another team's.
    assert shown.index("C-2") < shown.index("C-1")
    for absent in ("C-3", "C-4", "C-5", "C-9"):
        assert f"<b>{absent}</b>" not in shown
    assert "past op branche, uren" in shown
    # Another team's member cannot see them; nor can anyone in a group.
    assert "C-2" not in "\n".join(texts(await bot.driver.tap(other, tap)))
    group = LocalDriver.group_chat(-100999)
    await bot.driver.bot_added(leader, group)
    assert "C-2" not in "\n".join(texts(await bot.driver.tap(leader, tap, chat=group)))
    # The agenda's teamleider copy ranks with the same function and the same wishes.
    agenda = "\n".join(texts(await bot.driver.text(leader, "/agenda")))
    assert "Kandidaten: C-2 (branche horeca_en_toerisme, tot 32 uur), C-1" in agenda
