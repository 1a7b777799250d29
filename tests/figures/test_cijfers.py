"""/cijfers and /export through the bot: the rows read from the tables, who sees what, the
album of charts, the files and the audit row."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from bot.core.clock import FakeClock
from bot.core.roles import Role
from bot.core.vocabulary import AuditAction
from bot.transport import BotCall, LocalDriver, LocalUser
from storage import figures as store
from storage import staff as staff_store
from storage import teams
from storage.models import AuditEntry, CaseItem, Client, ClientEvent
from tests.support.harness import BotHarness, texts

NOW = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)
GROUP = LocalDriver.group_chat(-100555)


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(10), tzinfo=UTC)


async def _staff_id(bot: BotHarness, user: LocalUser) -> int:
    async with bot.runtime.db.transaction() as session:
        member = await staff_store.get_active_staff(session, user.id)
        assert member is not None
        return member.staff_id


async def _seed(bot: BotHarness, owner_x: int, owner_y: int) -> None:
    """X: intake 2026-01-10 (benefit 2026-01-01), zorg from 2026-01-20, werkfit from 2026-08-01
    (after 2026H1). Y: intake 2025-05-01, left 2025-10-01, back 2026-03-01 (herinstroom)."""
    async with bot.runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None

        def client(ref: str, owner: int, category: str | None, status: str) -> Client:
            return Client(
                team_id=team.id, ref=ref, owner_staff_id=owner, category=category,
                subcategory=None, tags=[], status=status, entitlement="ja",
                benefit_start=date(2026, 1, 1) if ref == "X-1" else None,
                entered_on=date(2026, 1, 10), created_at=at("2025-05-01"),
                updated_at=at("2026-08-01"),
            )  # fmt: skip

        x = client("X-1", owner_x, "werkfit", "actief")
        y = client("Y-2", owner_y, None, "aangemeld")
        session.add_all([x, y])
        await session.flush()

        def intake(cid: int, day: str, back: bool) -> CaseItem:
            data = {"first_conversation": day, "entitlement": "ja", "tags": [], "herinstroom": back}
            return CaseItem(
                team_id=team.id, client_id=cid, author_staff_id=owner_x, kind="intake",
                text=None, data=data, created_at=at(day),
            )  # fmt: skip

        def event(cid: int, day: str, field: str, old: str | None, new: str) -> ClientEvent:
            return ClientEvent(
                client_id=cid, at=at(day), actor_staff_id=owner_x, field=field, old_value=old,
                new_value=new, reason=None,
            )  # fmt: skip

        session.add_all(
            [
                intake(x.id, "2026-01-10", False),
                event(x.id, "2026-01-10", "status", None, "aangemeld"),
                event(x.id, "2026-01-20", "category", None, "zorg"),
                event(x.id, "2026-08-01", "category", "zorg", "werkfit"),
                intake(y.id, "2025-05-01", False),
                event(y.id, "2025-05-01", "status", None, "aangemeld"),
                event(y.id, "2025-10-01", "status", "aangemeld", "uitgestroomd"),
                intake(y.id, "2026-03-01", True),
                event(y.id, "2026-03-01", "status", "uitgestroomd", "aangemeld"),
            ]
        )


async def _bot(tmp_path: Path) -> tuple[BotHarness, LocalUser, LocalUser]:
    bot = await BotHarness.start(tmp_path, clock=FakeClock(NOW))
    leader = await bot.staff(Role.TEAMLEIDER, name="Tessa")
    worker = await bot.staff(Role.CONSULENT, name="Carla")
    await _seed(bot, await _staff_id(bot, worker), await _staff_id(bot, leader))
    bot.transport.take()
    return bot, leader, worker


def _text(calls: list[BotCall]) -> str:
    return "\n".join(texts(calls))


async def test_rows_come_from_the_history(tmp_path: Path) -> None:
    bot, _, _ = await _bot(tmp_path)
    try:
        async with bot.runtime.db.transaction() as session:
            team = await teams.get_team_by_name(session, "Team Werk")
            assert team is not None
            load = await store.caseload(
                session, team.id, start=date(2025, 7, 1), end=date(2026, 6, 30), zone=UTC
            )
        spells = sorted(
            (e.ref, e.first_conversation, e.exit_on, e.herinstroom) for e in load.episodes
        )
        assert spells == [
            ("X-1", date(2026, 1, 10), None, False),
            ("Y-2", date(2025, 5, 1), date(2025, 10, 1), False),
            ("Y-2", date(2026, 3, 1), None, True),
        ]
        x = next(e for e in load.episodes if e.ref == "X-1")
        # Entitlement ja with a benefit start: the instroom date is the benefit start.
        assert x.instroom == date(2026, 1, 1)
        # The move to werkfit on 2026-08-01 is after the period: on 30-06 X was in zorg.
        assert load.current[x.client_id] == ("zorg", None)
        assert [c.new for c in load.categories if c.client_id == x.client_id] == ["zorg"]
        # The route's events are read (none seeded here): exits carry their reason.
        assert load.placements == [] and load.tag_periods == [] and load.exit_reasons
        assert [e.exit_reason for e in load.episodes if e.exit_on] == [None]
    finally:
        await bot.stop()


async def test_teamleider_gets_text_and_one_album_of_four_charts(tmp_path: Path) -> None:
    bot, leader, _ = await _bot(tmp_path)
    try:
        calls = await bot.driver.text(leader, "/cijfers 2026H1")
        text = _text(calls)
        assert "Cijfers Team Werk" in text and "peildatum 30-06-2026" in text
        # Bestand: 0 on 31-12-2025 (Y had left, X came in January), 2 on 30-06-2026.
        assert "personen: 0 · 2" in text
        # Instroom 2026H1: X new, Y herinstroom.
        assert "nieuw: 1 · 50 %" in text and "herinstroom: 1 · 50 %" in text
        # Exit reasons are recorded now: no "niet te berekenen" for them.
        assert "de reden van uitstroom wordt nog niet vastgelegd" not in text
        albums = [c for c in calls if c.method == "sendMediaGroup"]
        assert len(albums) == 1
        files = albums[0].files
        # Four photos, each attached under its own name, each a PNG.
        assert len(files) == 4
        assert all(data.startswith(b"\x89PNG") for _, data in files.values())
    finally:
        await bot.stop()


async def test_consulent_sees_only_their_own_caseload(tmp_path: Path) -> None:
    bot, _, worker = await _bot(tmp_path)
    try:
        text = _text(await bot.driver.text(worker, "/cijfers 2026H1"))
        assert "je eigen caseload" in text
        # Carla owns X only.
        assert "personen: 0 · 1" in text
        assert "Tessa" not in text
    finally:
        await bot.stop()


async def test_netwerker_and_strangers_get_nothing(tmp_path: Path) -> None:
    bot, _, _ = await _bot(tmp_path)
    try:
        netwerker = await bot.staff(Role.NETWERKER)
        calls = await bot.driver.text(netwerker, "/cijfers")
        assert "Cijfers" not in _text(calls)
        assert not [c for c in calls if c.method == "sendMediaGroup"]
        calls = await bot.driver.text(bot.stranger(), "/cijfers")
        assert "Cijfers" not in _text(calls)
    finally:
        await bot.stop()


async def test_group_gets_totals_only_and_only_from_a_teamleider(tmp_path: Path) -> None:
    bot, leader, worker = await _bot(tmp_path)
    try:
        await bot.driver.bot_status(leader, GROUP, "left", "member")
        await bot.driver.text(leader, "/koppel", chat=GROUP)
        refused = _text(await bot.driver.text(worker, "/cijfers 2026H1", chat=GROUP))
        assert "alleen totalen" in refused and "Cijfers" not in refused
        calls = await bot.driver.text(leader, "/cijfers 2026H1", chat=GROUP)
        text = _text(calls)
        assert "personen: 0 · 2" in text
        # No charts, no colleague's caseload, no ontheffing reasons, no references.
        assert not [c for c in calls if c.method == "sendMediaGroup"]
        assert "Caseload per medewerker" not in text and "Carla" not in text
        assert "Ontheffingen" not in text
        assert "X-1" not in text and "Y-2" not in text
    finally:
        await bot.stop()


async def test_bad_period_says_what_to_type(tmp_path: Path) -> None:
    bot, leader, _ = await _bot(tmp_path)
    try:
        text = _text(await bot.driver.text(leader, "/cijfers 2026Q7"))
        assert "2026Q3" in text and "kwartaal" in text
    finally:
        await bot.stop()


async def test_export_xlsx_and_csv_audited(tmp_path: Path) -> None:
    bot, leader, _ = await _bot(tmp_path)
    try:
        calls = await bot.driver.text(leader, "/export 2026H1")
        documents = [c for c in calls if c.method == "sendDocument"]
        names = [next(iter(c.files.values()))[0] for c in documents]
        assert names == ["cijfers-2026H1.xlsx", "cijfers-2026H1.csv"]
        book = load_workbook(io.BytesIO(next(iter(documents[0].files.values()))[1]))
        assert "D1 Bestand (personen met uitker" in book.sheetnames
        assert "Rijen (pseudoniem)" in book.sheetnames
        assert "Definities en bronnen" in book.sheetnames
        bestand = book["D1 Bestand (personen met uitker"]
        assert ["personen", 0, 2] in [[c.value for c in row] for row in bestand.iter_rows()]
        refs = [row[0].value for row in book["Rijen (pseudoniem)"].iter_rows(min_row=2)]
        assert refs == ["X-1", "Y-2", "Y-2"]
        csv_text = next(iter(documents[1].files.values()))[1].decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
        assert ["D1", "Bestand (personen met uitkering)", "personen", "eind", "2"] in lines
        async with bot.runtime.db.transaction() as session:
            audited = (
                await session.scalars(
                    select(AuditEntry.object).where(AuditEntry.action == AuditAction.FIGURES_EXPORT)
                )
            ).all()
        assert len(audited) == 1 and audited[0].endswith(":2026H1:xlsx")
    finally:
        await bot.stop()


async def test_export_council_pdf(tmp_path: Path) -> None:
    bot, leader, _ = await _bot(tmp_path)
    try:
        calls = await bot.driver.text(leader, "/export 2026H1 pdf")
        documents = [c for c in calls if c.method == "sendDocument"]
        assert len(documents) == 1
        name, data = next(iter(documents[0].files.values()))
        assert name == "cijfers-2026H1.pdf" and data.startswith(b"%PDF")
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "Cijfers Team Werk" in text and "Definities" in text
    finally:
        await bot.stop()


async def test_export_is_for_teamleider_beleid_admin_only(tmp_path: Path) -> None:
    bot, _, worker = await _bot(tmp_path)
    try:
        calls = await bot.driver.text(worker, "/export 2026H1")
        assert not [c for c in calls if c.method == "sendDocument"]
    finally:
        await bot.stop()
