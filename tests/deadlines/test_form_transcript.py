"""Every deadline form, word for word: texts, button rows and callback data of each reply,
refusals included, compared with a recorded transcript (``form_transcript.json``).

Set ``RECORD_TRANSCRIPT=1`` to write the transcript anew (only when a text is meant to change).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.core.roles import Role
from bot.transport import BotCall, LocalUser
from storage import deadlines as store
from storage import teams
from storage.models import Client
from tests.support.harness import BotHarness, button

GOLDEN = Path(__file__).with_name("form_transcript.json")
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LONG = "x" * 201


def _rows(call: BotCall) -> list[list[list[str]]]:
    markup = call.params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return []
    return [
        [[b.get("text", ""), b.get("callback_data", "")] for b in row]
        for row in markup.get("inline_keyboard", [])
    ]


class Transcript:
    def __init__(self, bot: BotHarness, user: LocalUser) -> None:
        self.bot, self.user = bot, user
        self.lines: list[Any] = []
        self.last: list[BotCall] = []

    def _keep(self, did: str, calls: list[BotCall]) -> list[BotCall]:
        shown = [
            {"text": c.text, "rows": _rows(c)}
            for c in calls
            if c.method in ("sendMessage", "editMessageText")
        ]
        self.lines.append({"did": did, "got": shown})
        self.last = calls
        return calls

    async def text(self, text: str) -> list[BotCall]:
        return self._keep(f"text {text[:30]}", await self.bot.driver.text(self.user, text))

    async def photo(self) -> list[BotCall]:
        return self._keep("photo", await self.bot.driver.photo(self.user))

    async def tap(self, label: str) -> list[BotCall]:
        data = button(self.last, label)
        return self._keep(f"tap {label}", await self.bot.driver.tap(self.user, data))

    async def data(self, data: str) -> list[BotCall]:
        return self._keep(f"data {data}", await self.bot.driver.tap(self.user, data))


async def _setup(bot: BotHarness) -> tuple[int, int]:
    async with bot.runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None
        ids = []
        for ref in ("C-1", "C-2", "C-3"):
            client = Client(
                team_id=team.id,
                ref=ref,
                owner_staff_id=None,
                category="werkfit",
                tags=[],
                status="actief",
                entered_on=date(2026, 1, 5),
                created_at=bot.clock.now(),
                updated_at=bot.clock.now(),
            )
            session.add(client)
            await session.flush()
            ids.append(client.id)
        return team.id, ids[2]


async def _deadline(bot: BotHarness, team_id: int, client_id: int, kind: str, owner: int) -> int:
    async with bot.runtime.db.transaction() as session:
        return await store.create_deadline(
            session,
            team_id=team_id,
            kind=kind,
            due_date=date(2026, 11, 30),
            owner_staff_id=owner,
            now=bot.clock.now(),
            client_id=client_id,
        )


async def _staff_id(bot: BotHarness, user: LocalUser) -> int:
    from tests.support.deadlines import staff_id

    async with bot.runtime.db.transaction() as session:
        return (await staff_id(session, user.id))[0]


async def test_deadline_forms_word_for_word(bot: BotHarness) -> None:
    bot.clock.set(MONDAY)
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    team_id, c3 = await _setup(bot)
    owner = await _staff_id(bot, me)
    t = Transcript(bot, me)

    # /ontheffing with every refusal on the way: registreer het besluit.
    await t.text("/ontheffing C-1")
    await t.text("medisch")
    await t.photo()
    await t.tap("Medisch")
    await t.text("volledig")
    await t.tap("Volledig")
    await t.photo()
    await t.text("31-02-2026")
    await t.text("12 <b>mrt'x & y")
    await t.text("2-3-2026")
    await t.text("1-1-2020")
    await t.photo()
    await t.tap("Geen einddatum")
    await t.text("1-1-2026")
    await t.text("geen idee")
    await t.photo()
    await t.tap("02-03-2027")
    # The decision: date (not in the future), grondslag, note for "anders", zaaknummer.
    await t.text("morgen")
    await t.tap("Vandaag")
    await t.text("anders")
    await t.tap("Anders")
    await t.text(LONG)
    await t.text("besluit <college> & zo")
    await t.text("zaak met spaties!")
    await t.text("Z-2026/0042")

    # /ontheffing art. 9a: not a single parent, then confirmed, then a second one refused.
    await t.text("/ontheffing C-2")
    await t.tap("Art. 9a")
    await t.tap("Nee")
    await t.text("/ontheffing C-2")
    await t.tap("Art. 9a")
    await t.tap("Ja")
    await t.tap("Vandaag")
    await t.text("1-1-2028")
    await t.text("14-03-2021")
    await t.text("14-03-2022")
    await t.text("72")
    await t.text("abc")
    await t.tap("0")
    await t.tap("Vandaag")
    await t.tap("Geen zaaknummer")
    await t.text("/ontheffing C-2")
    await t.tap("Art. 9a")

    # An art. 9 lid 2 ontheffing "zorg voor kinderen" (no age limit, 001:L302), with an end date.
    await t.text("/ontheffing C-2")
    await t.tap("Zorg voor kind(eren)")
    await t.tap("Sollicitatieplicht")
    await t.tap("Vandaag")
    await t.text("1-1-2028")
    await t.tap("23-11-2027")
    await t.tap("Vandaag")
    await t.tap("Advies verzekeringsarts")
    await t.tap("Geen zaaknummer")

    # /contact with every refusal.
    await t.text("/contact C-1")
    await t.text("telefonisch")
    await t.tap("Telefonisch")
    await t.text("morgen")
    await t.photo()
    await t.tap("Vandaag")
    await t.text("vrijwilligerswerk")
    await t.tap("Vrijwilligerswerk")
    await t.photo()
    await t.text(LONG)
    await t.tap("Geen notitie")
    await t.text("/contact C-2")
    await t.tap("Face-to-face")
    await t.text("20-11-2026")
    await t.tap("Mantelzorg")
    await t.text("kort <gesprek> & zo")

    # Gedaan on an exemption review: gewijzigd, then beëindigd.
    async with bot.runtime.db.transaction() as session:
        review, review2 = [
            d.id
            for d in await store.open_deadlines(session, team_id=team_id)
            if d.kind == "exemption_review"
        ]
    card = await t.data(f"ddl:open:{review}")
    await t.tap("Gedaan")
    await t.text("verlengd")
    await t.tap("Gewijzigd")
    await t.text("gisteren")
    await t.text("1-15-2027")
    await t.text("1-6-2027")
    await t.tap("Vandaag")
    await t.tap("Advies verzekeringsarts")
    await t.tap("Geen zaaknummer")
    await t.data(f"ddl:open:{review2}")
    await t.tap("Gedaan")
    await t.tap("Beëindigd")
    await t.tap("Vandaag")
    await t.tap("Anders")
    await t.text("cliënt werkt")
    await t.text("Z-1")
    assert card

    # Gedaan on a loonwaardemeting and on a werkstage (extended until the maximum).
    wva = await _deadline(bot, team_id, c3, "wage_value_assessment", owner)
    await t.data(f"ddl:open:{wva}")
    await t.tap("Gedaan")
    await t.text("morgen")
    await t.tap("Vandaag")
    await t.text("2")
    await t.tap("2 jaar")
    stage = await _deadline(bot, team_id, c3, "work_internship", owner)
    for _ in range(5):
        await t.data(f"ddl:open:{stage}")
        await t.tap("Gedaan")
        await t.tap("Vandaag")
        await t.text("ja")
        await t.tap("Ja, verlengen")
        if "Volgende termijn" not in t.lines[-1]["got"][0]["text"]:
            await t.tap("Nee, afgerond")
            break
        async with bot.runtime.db.transaction() as session:
            (stage,) = [
                d.id
                for d in await store.open_deadlines(session, team_id=team_id)
                if d.kind == "work_internship"
            ]
    other = await _deadline(bot, team_id, c3, "action_item", owner)
    await t.data(f"ddl:open:{other}")
    await t.tap("Gedaan")
    await t.text("21-11-2026")

    # Uitstellen and Niet van toepassing.
    post = await _deadline(bot, team_id, c3, "action_item", owner)
    await t.data(f"ddl:open:{post}")
    await t.tap("Uitstellen")
    await t.text("week")
    await t.tap("1 week")
    await t.photo()
    await t.text(LONG)
    await t.text("wacht op <rapport>")
    nvt = await _deadline(bot, team_id, c3, "action_item", owner)
    await t.data(f"ddl:open:{nvt}")
    await t.tap("Niet van toepassing")
    await t.photo()
    await t.text(LONG)
    await t.text("verhuisd")

    if os.environ.get("RECORD_TRANSCRIPT"):
        GOLDEN.write_text(json.dumps(t.lines, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert len(t.lines) == len(expected)
    for line, want in zip(t.lines, expected, strict=True):
        assert line == want
