"""The figures that need the route's events, through the database: a small caseload written by
the real storage functions and the uitstroom flow, computed by hand, and the same numbers in
the chat, the XLSX and the CLI export; and each profile's own list.

The caseload (period 2026H1, peildatum 30-06-2026; everyone entitled *ja*):

- W-1: intake 05-01-2026 (benefit 01-01-2026), left for werk with LKS on 01-03-2026
  (/uitstroom flow: status geplaatst, a placement of kind lks).
- H-2: intake 01-03-2025, left for onderwijs on 01-09-2025, back (herinstroom) 01-02-2026.
- T-3: intake 10-01-2026 with statushouder and beschut werk; statushouder removed 01-05-2026.
- S-4: intake 01-06-2025; traject werkstage 15-01-2026 → 15-04-2026, extended once,
  afgerond 10-05-2026; an ontheffing of scope sollicitatieplicht from 01-02-2026.
- G-5: intake 01-06-2025; traject proefplaatsing 01-02-2026, gestopt 15-03-2026; left for
  handhaving on 01-04-2026.

By hand: Bestand 31-12-2025 = S, G (H had left) = 2; 30-06-2026 = H, T, S = 3. Uitstroom in
2026H1: werk 1 (W), handhaving 1 (G) = 2; werk 50 % > 40 %. D4: cohort = intakes in 2026H1 =
W, H, T = 3; W left for werk 59 days after the instroom date → 1 of 3 = 33 % (≥ 30 % met).
Placements in 2026H1: lks 1, with LKS 1. Doelgroepen on 30-06: beschut werk 1 (T), no
statushouder (removed before the peildatum). Trajecten ended in 2026H1: werkstage afgerond (1
extension), proefplaatsing gestopt.
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

from openpyxl import load_workbook

from bot import profiles
from bot.config import Config, TeamConfig
from bot.core.clock import FakeClock
from bot.core.roles import Role
from bot.core.vocabulary import ExemptionReason, ExemptionScope, TrajectoryStatus
from bot.route import exit_service
from bot.transport import LocalUser
from storage import caselog as items
from storage import clients, route_people, teams, trajecten
from storage import deadlines as deadline_store
from storage import staff as staff_store
from storage.db import Database
from tests.support.harness import BotHarness, texts

NOW = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).parents[2]


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(10), tzinfo=UTC)


def d(day: str) -> date:
    return date.fromisoformat(day)


async def seed(db: Database, telegram_id: int) -> None:
    """The caseload of the module docstring, written by the storage functions and the flow."""
    async with db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        actor = await staff_store.get_active_staff(session, telegram_id)
        assert team is not None and actor is not None
        me = actor.staff_id

        async def intake(ref: str, day: str, benefit: str, tags: list[str] | None = None) -> int:
            saved = await clients.register_intake(
                session, team_id=team.id, ref=ref, author_staff_id=me,
                first_conversation=d(day), entitlement="ja", tags=tags or [],
                proposed_category=None, benefit_start=d(benefit), note=None, now=at(day),
            )  # fmt: skip
            return saved.client.id

        async def leave(cid: int, reason: str, day: str, kind: str | None = None) -> None:
            saved = await exit_service.save_exit(
                session, actor, client_id=cid, reason=reason, on=d(day), work_kind=kind,
                hours=24 if kind else None, note=None, vacancy_id=None, now=at(day),
            )  # fmt: skip
            assert saved is not None

        async def traject(cid: int, instrument: str, start: str, end: str) -> int:
            item = await items.add_item(
                session, team_id=team.id, client_id=cid, author_staff_id=me, kind="trajectory",
                text=None, data={"instrument": instrument, "start": start, "end": end},
                now=at(start),
            )  # fmt: skip
            row = await trajecten.add_trajectory(
                session, team_id=team.id, client_id=cid, case_item_id=item.id,
                instrument=instrument, start=d(start), end=d(end), now=at(start),
            )  # fmt: skip
            return row.id

        w = await intake("W-1", "2026-01-05", "2026-01-01")
        await leave(w, "werk", "2026-03-01", kind="lks")
        h = await intake("H-2", "2025-03-01", "2025-03-01")
        await leave(h, "onderwijs", "2025-09-01")
        await intake("H-2", "2026-02-01", "2026-02-01")
        t = await intake("T-3", "2026-01-10", "2026-01-10", ["statushouder", "beschut_werk"])
        await route_people.set_client_tags(
            session, t, ["beschut_werk"], on=d("2026-05-01"), now=at("2026-05-01")
        )
        s = await intake("S-4", "2025-06-01", "2025-06-01")
        done = await traject(s, "werkstage", "2026-01-15", "2026-04-15")
        await trajecten.add_extension(
            session, done, new_end=d("2026-05-15"), staff_id=me, now=at("2026-04-10")
        )
        await trajecten.close(
            session, done, status=TrajectoryStatus.COMPLETED, closed_on=d("2026-05-10"),
            reason=None, now=at("2026-05-10"),
        )  # fmt: skip
        await deadline_store.insert_exemption(
            session, team_id=team.id, client_id=s, scope=ExemptionScope.APPLICATION,
            reason=ExemptionReason.MEDICAL, start=d("2026-02-01"), end=None,
            review_date=d("2026-08-01"), youngest_turns_five=None, staff_id=me,
            now=at("2026-02-01"),
        )  # fmt: skip
        g = await intake("G-5", "2025-06-01", "2025-06-01")
        stopped = await traject(g, "proefplaatsing", "2026-02-01", "2026-06-01")
        await trajecten.close(
            session, stopped, status=TrajectoryStatus.STOPPED, closed_on=d("2026-03-15"),
            reason="ziek", now=at("2026-03-15"),
        )  # fmt: skip
        await leave(g, "handhaving", "2026-04-01")


async def _bot(tmp_path: Path, profile: str = "dalfsen") -> tuple[BotHarness, LocalUser]:
    config = Config(teams=(TeamConfig("Team Werk", profile=profiles.shipped(profile)),))
    bot = await BotHarness.start(tmp_path, clock=FakeClock(NOW), config=config)
    leader = await bot.staff(Role.TEAMLEIDER, name="Tessa")
    await seed(bot.runtime.db, leader.id)
    bot.transport.take()
    return bot, leader


#: The hand-computed lines of the /cijfers text (label: values).
EXPECTED_TEXT = (
    "personen: 2 · 3",
    "werk: 1 · 50 %",
    "handhaving: 1 · 50 %",
    "binnen 12 maanden uit naar werk: 1 · 33 %",
    "met loonkostensubsidie: 1",
    "waarvan met loonkostensubsidie: 1",
    "beschut werk: 1 · 33 %",
    "met indicatie beschut werk: 1",
)


async def test_route_events_in_chat_xlsx_and_cli(tmp_path: Path) -> None:
    bot, leader = await _bot(tmp_path)
    try:
        text = "\n".join(texts(await bot.driver.text(leader, "/cijfers 2026H1")))
        for line in EXPECTED_TEXT:
            assert line in text, line
        # Removed before the peildatum: no statushouder in the doelgroep count; the events that
        # exist no longer say "niet te berekenen", the ones that do not still do.
        doelgroepen = text.split("Bestand per doelgroep</b>")[1].split("<b>")[0]
        assert "beschut werk: 1" in doelgroepen and "statushouder" not in doelgroepen
        for gone in ("reden van uitstroom", "plaatsingen worden", "doelgroepen hebben nog"):
            assert gone not in text
        assert "er wordt geen leeftijdsklasse vastgelegd" in text

        calls = await bot.driver.text(leader, "/export 2026H1")
        book_bytes = next(
            iter(next(c for c in calls if c.method == "sendDocument").files.values())
        )[1]
        sheets = _sheets(book_bytes)
        _assert_numbers(sheets)
        # The pseudonymous rows carry the reason's label.
        reasons = {r[0]: r[5] for r in sheets["Rijen (pseudoniem)"][1:] if r[4] is not None}
        assert reasons == {"W-1": "werk", "G-5": "handhaving", "H-2": "onderwijs"}
    finally:
        await bot.stop()
    # The CLI reads the same database: the same numbers.
    _assert_numbers(_sheets(await asyncio.to_thread(_cli_export, tmp_path)))


def _cli_export(tmp_path: Path) -> bytes:
    out = tmp_path / "cli.xlsx"
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}"
    made = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--period", "2026H1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return out.read_bytes()


def _sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(data))
    return {
        name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames
    }


def _sheet(sheets: dict[str, list[list[object]]], code: str) -> list[list[object]]:
    return next(rows for name, rows in sheets.items() if name.startswith(f"{code} "))


def _assert_numbers(sheets: dict[str, list[list[object]]]) -> None:
    # The XLSX keeps shares as numbers rounded to four decimals.
    assert ["personen", 2, 3] in _sheet(sheets, "D1")
    d3 = _sheet(sheets, "D3")
    assert ["werk", 1, 0.5] in d3 and ["handhaving", 1, 0.5] in d3 and ["totaal", 2, 1.0] in d3
    assert ["binnen 12 maanden uit naar werk", 1, 0.3333] in _sheet(sheets, "D4")
    d11 = _sheet(sheets, "D11")
    assert ["met loonkostensubsidie", 1] in d11 and ["totaal", 1] in d11
    assert ["beschut werk", 1, 0.3333] in _sheet(sheets, "D6t")
    assert "statushouder" not in [r[0] for r in _sheet(sheets, "D6t")]


async def test_midden_drenthe_shows_its_own_list(tmp_path: Path) -> None:
    """Midden-Drenthe: its four figures first under its own names (M4 the traject outcomes),
    and only the scopes it counts in the ontheffing share."""
    bot, leader = await _bot(tmp_path, "midden-drenthe")
    try:
        text = "\n".join(texts(await bot.driver.text(leader, "/cijfers 2026H1")))
        heads = [line for line in text.splitlines() if line.startswith("<b>")]
        assert [h.split()[0] for h in heads[:4]] == ["<b>M2", "<b>M4", "<b>M6", "<b>M11"]
        assert "Re-integratietrajecten bij Stark" in heads[1]
        assert "Casuïstiekbesprekingen" in text and "doel &gt;= 1 per half jaar" in text
        # werkstage: 1 afgerond, 0 gestopt, 0 open, 1 ended, 100 %, 0 / 1 / 0 extensions.
        assert "werkstage: 1 · 0 · 0 · 1 · 100 % · 0 · 1 · 0" in text
        assert "proefplaatsing: 0 · 1 · 0 · 1 · 0 % · 1 · 0 · 0" in text
        # S-4's sollicitatieplicht does not count here (003: arbeidsplicht and volledig).
        assert "cliënten met ontheffing: 0 · 0 %" in text
    finally:
        await bot.stop()


async def test_dalfsen_shows_its_own_list_first(tmp_path: Path) -> None:
    bot, leader = await _bot(tmp_path)
    try:
        text = "\n".join(texts(await bot.driver.text(leader, "/cijfers 2026H1")))
        heads = [line for line in text.splitlines() if line.startswith("<b>")]
        assert "Binnen 12 maanden aan het werk" in heads[0] and "doel &gt;= 30 %" in text
        assert "Re-integratietrajecten bij Stark" not in text
        # Dalfsen counts every scope: S-4's ontheffing is 1 of 3.
        assert "cliënten met ontheffing: 1 · 33 %" in text
    finally:
        await bot.stop()
