"""Issue 10's "done when": one client walks the whole route on the local transport, with the
agenda and the card asserted at each step; the loonwaardemeting a year later and the
herinstroom two years later come through the real jobs and commands (fake clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from bot.core.clock import AMSTERDAM
from bot.core.roles import Role
from bot.deadlines.views import DEADLINE_BUTTONS
from bot.transport import BotCall, LocalUser
from storage.models import Deadline
from tests.support import weekdate_seed as seed
from tests.support.caselog import intake, last_text, tap
from tests.support.harness import BotHarness, only_text, texts

REF = "C-5001"
WORK_HEAD = "Nieuw werk voor jou"


def joined(calls: list[BotCall]) -> str:
    return "\n".join(texts(calls))


def to(calls: list[BotCall], user: LocalUser) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage" and c.chat_id == user.id]


def morning(day: date) -> datetime:
    """09:00 in Amsterdam: after the digest time (08:30)."""
    return datetime.combine(day, time(9, 0), tzinfo=AMSTERDAM).astimezone(UTC)


async def card(bot: BotHarness, user: LocalUser) -> str:
    return only_text(await bot.driver.text(user, f"/client {REF}"))


async def agenda(bot: BotHarness, leader: LocalUser) -> str:
    return joined(await bot.driver.text(leader, "/agenda"))


async def open_deadlines(bot: BotHarness) -> dict[str, Deadline]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(Deadline).where(Deadline.status == "open"))
        return {d.kind: d for d in rows}


async def digest(bot: BotHarness) -> list[BotCall]:
    """Run the real morning digest job (``deadlines:digest``) and return what it sent."""
    queue = bot.application.job_queue
    assert queue is not None
    job = next(j for j in queue.jobs() if j.name == "deadlines:digest")
    bot.transport.take()
    await job.run(bot.application)
    return bot.transport.take()


def assert_in(text: str, *needles: str) -> None:
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"


async def extend(bot: BotHarness, lotte: LocalUser) -> str:
    """Gedaan on the traject's end deadline → Verlengd → the suggested 3 months."""
    end = (await open_deadlines(bot))["trajectory_end"]
    calls = await bot.driver.tap(lotte, DEADLINE_BUTTONS.encode("done", end.id))
    calls = await tap(bot, lotte, calls, "Verlengd")
    return last_text(await tap(bot, lotte, calls, "(+3 maanden)"))


async def test_one_client_walks_the_whole_route(bot: BotHarness) -> None:
    # Tuesday 3 March 2026, 08:00 UTC.
    tara = await bot.staff(Role.TEAMLEIDER, name="Tara")
    anna = await bot.staff(Role.CONSULENT, name="Anna")
    lotte = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    lotte_id = await seed.staff_id(bot, lotte.id)

    # 1. Aanmelding by the consulent.
    assert "Aanmelding opgeslagen" in joined(await intake(bot, anna, REF))
    shown = await card(bot, anna)
    assert_in(shown, f"<b>{REF}</b> · aangemeld", "Eigenaar: Anna", "jongere")
    assert_in(shown, "<b>Trajecten</b>: geen", "<b>Plaatsingen</b>\ngeen")
    assert_in(await agenda(bot, tara), REF, "aanmelding")

    # 2. The weekdate: Werkfit, an LB appointment with Lotte; after stop Lotte hears it once.
    calls = await bot.driver.text(tara, "/weekdate start")
    calls = await tap(bot, tara, calls, "Werkfit")
    calls = await tap(bot, tara, calls, "ontwikkeling")
    calls = await tap(bot, tara, calls, "Lotte")
    stopped = await bot.driver.text(tara, "/weekdate stop")
    [to_lotte] = [t for t in to(stopped, lotte) if WORK_HEAD in t]
    assert_in(to_lotte, REF, "uiterlijk 17 maart 2026")
    [to_anna] = [t for t in to(stopped, anna) if WORK_HEAD in t]
    assert f"{REF} wordt begeleid door Lotte" in to_anna
    shown = await card(bot, lotte)
    assert_in(
        shown,
        f"<b>{REF}</b> · actief sinds 03-03-2026",
        "Categorie: Werkfit (ontwikkeling verwacht) sinds 03-03-2026",
        "Eigenaar: Lotte",
        "17-03-2026 gesprek loopbaanbegeleider inplannen (Lotte)",
        "eigenaar: Anna → Lotte",
    )
    assert lotte_id == (await open_deadlines(bot))["lb_appointment"].owner_staff_id

    # 3. A taalstage (Dalfsen: at most 6 months, 001:L156): one extension is accepted, the
    # next is refused onto the agenda.
    calls = await bot.driver.text(lotte, f"/traject {REF}")
    calls = await tap(bot, lotte, calls, "taalstage")
    calls = await tap(bot, lotte, calls, "Vandaag")
    assert "Traject opgeslagen" in only_text(await tap(bot, lotte, calls, "(3 maanden)"))
    bot.clock.set(morning(date(2026, 6, 1)))
    assert "loopt nu tot 3 september 2026 (1× verlengd)" in await extend(bot, lotte)
    bot.clock.set(morning(date(2026, 9, 1)))
    refused = await extend(bot, lotte)
    assert_in(refused, "Verlengen kan niet", "maximaal 6 maanden (001:L156)")
    assert_in(await agenda(bot, tara), "Verlenging taalstage geweigerd", REF)
    shown = await card(bot, lotte)
    assert_in(
        shown,
        "taalstage 03-03-2026 – 03-09-2026 · verlengd · 1× verlengd",
        "1e verlenging: 03-06-2026 → 03-09-2026",
        "03-09-2026 taalstage (Lotte)",
        "knelpunt: Verlenging taalstage geweigerd: maximaal 6 maanden",
    )

    # 4. A vacature vervuld with this client (Wednesday 2 December): uitstroom to werk with
    # loonkostensubsidie, prefilled from the vacature.
    bot.clock.set(morning(date(2026, 12, 2)))
    await seed.vacancy(
        bot, author=lotte_id, employer="De Bakker", function="Kok",
        place_kind="betaald_werk", hours=24,
    )  # fmt: skip
    calls = await bot.driver.text(lotte, "/vacatures")
    calls = await tap(bot, lotte, calls, "Vervuld")
    filled = await bot.driver.text(lotte, REF)
    assert f"Stroomt <b>{REF}</b> met deze baan uit?" in only_text(filled)
    calls = await tap(bot, lotte, filled, "Ja, uitstroom vastleggen")
    assert "reden werk, 24 uur per week" in only_text(calls)
    calls = await tap(bot, lotte, calls, "Vandaag")
    calls = await tap(bot, lotte, calls, "met loonkostensubsidie")
    calls = await tap(bot, lotte, calls, "Geen notitie")
    assert_in(only_text(calls), "Vacature: Kok bij De Bakker", "Uren per week: 24")
    saved = joined(await tap(bot, lotte, calls, "Opslaan"))
    assert_in(saved, f"{REF}</b> is geplaatst (werk, 2 december 2026)")
    assert_in(saved, "Loonwaardemeting: Lotte, uiterlijk 2 december 2027")
    left = await open_deadlines(bot)
    assert set(left) == {"wage_value_assessment"}  # the traject's deadlines closed: uitstroom
    assessment = left["wage_value_assessment"]
    assert (assessment.owner_staff_id, assessment.due_date) == (lotte_id, date(2027, 12, 2))
    shown = await card(bot, lotte)
    assert_in(
        shown,
        f"<b>{REF}</b> · geplaatst sinds 02-12-2026",
        "Kok bij De Bakker (betaald werk), met loonkostensubsidie, 24 uur per week, "
        "vanaf 02-12-2026",
        "02-12-2027 loonwaardemeting (Lotte)",
        "status: actief → geplaatst",
    )
    doorstroom = (await agenda(bot, tara)).split("Doorstroom en uitstroom", 1)[1]
    assert_in(doorstroom, REF, "werk (geplaatst)")
    assert REF not in joined(await bot.driver.text(lotte, "/mijn"))

    # 5. A year later the loonwaardemeting is in Lotte's morning digest, on its day only.
    bot.clock.set(morning(date(2027, 11, 1)))
    assert to(await digest(bot), lotte) == []
    bot.clock.set(morning(date(2027, 12, 1)))
    [soon] = to(await digest(bot), lotte)
    assert_in(soon, "<b>Binnenkort</b>\n<i>Loonwaardemeting</i>\n1. C-5001 · 02-12-2027")
    bot.clock.set(morning(date(2027, 12, 2)))
    sent = await digest(bot)
    [on_the_day] = to(sent, lotte)
    assert_in(on_the_day, "<b>Vandaag</b>", "<i>Loonwaardemeting</i>\n1. C-5001")
    assert to(sent, tara) == [] and to(sent, anna) == []

    # 6. Two years after the uitstroom the client comes back: a herinstroom.
    bot.clock.set(morning(date(2028, 12, 5)))
    assert "herinstroom" in joined(await bot.driver.text(anna, f"/aanmelding {REF}"))
    await bot.driver.text(anna, "/stop")
    assert "(herinstroom)" in joined(await intake(bot, anna, REF))
    shown = await card(bot, anna)
    assert_in(
        shown,
        f"<b>{REF}</b> · aangemeld sinds 05-12-2028",
        "Eigenaar: Anna",
        "status: geplaatst → aangemeld",
        "Kok bij De Bakker",  # the earlier placement stays on the record
        "taalstage 03-03-2026",
    )
    new_intakes = (await agenda(bot, tara)).split("Nieuwe aanmeldingen", 1)[1].split("<b>2.")[0]
    assert REF in new_intakes
