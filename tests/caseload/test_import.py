"""The caseload import (issue 12 item 4): parsing, refusals, idempotence, history, deadlines,
and the chat upload."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from bot.caseload.service import ImportReport, import_caseload
from bot.core.render import render
from bot.core.roles import Role
from bot.core.workdays import is_working_day
from storage.models import Client, ClientEvent, Deadline, Exemption
from tests.support.harness import BotHarness, texts

HEADER = (
    "referentie;categorie;subcategorie;eigenaar;doelgroepen;recht;start uitkering;status;"
    "ontheffing omvang;ontheffing reden;ontheffing start;ontheffing eind;"
    "ontheffing herbeoordeling;ontheffing grondslag;laatste contact;trajecten;plaatsing lks"
)


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode()


async def run(bot: BotHarness, data: bytes, name: str = "c.csv", **kw: bool) -> ImportReport:
    async with bot.runtime.db.transaction() as session:
        from storage import teams

        team = await teams.get_team_by_name(session, "Team Werk")
        assert team is not None
    return await import_caseload(
        bot.runtime.db,
        team=bot.runtime.settings_for("Team Werk"),
        team_id=team.id,
        filename=name,
        data=data,
        now=bot.clock.now(),
        **kw,
    )


async def count(bot: BotHarness, model: type) -> int:
    async with bot.runtime.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_per_column_errors_have_line_numbers_and_nothing_is_written(sqlite_bot):
    data = csv(
        "C100;zorg;;;;;01-02-2025;actief;;;;;;;;;",
        "C101;onbekend;;;;;;;;;;;;;;;",
        "C102;zorg;;;;;31-02-2025;;;;;;;;;;",
        "C103;zorg;;Niemand;;;;;;;;;;;;;",
        "C100;zorg;;;;;;;;;;;;;;;",
    )
    report = await run(sqlite_bot, data)
    assert report.refused and not report.written
    found = {(p.line, p.code, p.column) for p in report.problems}
    assert (3, "unknown_value", "categorie") in found
    assert (4, "bad_date", "start uitkering") in found
    assert (5, "unknown_owner", "eigenaar") in found
    assert (6, "duplicate_reference", "referentie") in found
    assert await count(sqlite_bot, Client) == 0
    text = render("caseload/report", r=report, limit=50)
    assert "regel 3, kolom categorie" in text and "niets opgeslagen" in text


async def test_a_bsn_cell_is_refused_with_its_line_and_never_echoed(sqlite_bot):
    bsn = "111222333"
    report = await run(
        sqlite_bot, csv("C100;zorg;;;;;;;;;;;;;;;", f"C101;zorg;;{bsn};;;;;;;;;;;;;")
    )
    assert [(p.line, p.code) for p in report.problems] == [(3, "sensitive_number")]
    assert bsn not in render("caseload/report", r=report, limit=50)
    assert bsn not in repr(report)
    assert await count(sqlite_bot, Client) == 0


async def test_windows_1252_with_semicolons_and_a_bom_utf8_with_commas(sqlite_bot):
    await sqlite_bot.staff(Role.CONSULENT, name="Renée")
    # Excel's "CSV (;)" on Windows: cp1252, so the é is one byte that is not valid UTF-8.
    data = csv("C100;Zorg;ontwikkeling verwacht;Renée;;;01-02-2025;;;;;;;;;;").decode()
    report = await run(sqlite_bot, data.encode("cp1252"))
    assert report.written and report.created == 1, report.problems
    comma = "\ufeff" + HEADER.replace(";", ",") + "\nC200,werkfit,,Renée,,,2025-01-31,,,,,,,,,,\n"
    report = await run(sqlite_bot, comma.encode("utf-8"))
    assert report.written and report.created == 1, report.problems
    async with sqlite_bot.runtime.db.transaction() as session:
        owners = set(await session.scalars(select(Client.owner_staff_id)))
    assert len(owners) == 1 and None not in owners


async def test_xlsx_is_read_with_dates_as_cells(sqlite_bot):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(["C300", "zorg", None, None, None, None, date(2025, 2, 1)] + [None] * 10)
    buffer = io.BytesIO()
    book.save(buffer)
    report = await run(sqlite_bot, buffer.getvalue(), name="klanten.xlsx")
    assert report.written and report.created == 1, report.problems
    async with sqlite_bot.runtime.db.transaction() as session:
        client = await session.scalar(select(Client).where(Client.ref == "C300"))
        assert client is not None and client.benefit_start == date(2025, 2, 1)


async def test_dry_run_writes_nothing_but_reports_what_it_would_do(sqlite_bot):
    report = await run(sqlite_bot, csv("C100;zorg;;;;;;;;;;;;;;;"), dry_run=True)
    assert report.created == 1 and not report.written
    assert await count(sqlite_bot, Client) == 0
    assert await count(sqlite_bot, Deadline) == 0


async def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(sqlite_bot):
    report = await run(
        sqlite_bot,
        csv("C100;zorg;;;;;;;;;;;;;;;", "C101;nee;;;;;;;;;;;;;;;"),
        skip_invalid=True,
    )
    assert report.written and report.created == 1
    assert [(p.line, p.code) for p in report.problems] == [(3, "unknown_value")]
    assert "Overgeslagen regels" in render("caseload/report", r=report, limit=50)


async def test_same_file_twice_changes_nothing_and_a_changed_row_is_history(sqlite_bot):
    lb = await sqlite_bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    rows = [
        f"C{100 + i};zorg;;{lb.id};statushouder;ja;01-02-2025;actief;"
        "volledig;medisch;01-03-2025;;;verzekeringsarts;15-01-2026;werkstage vanaf 01-02-2026;"
        for i in range(3)
    ]
    first = await run(sqlite_bot, csv(*rows))
    assert first.written and first.created == 3
    events = await count(sqlite_bot, ClientEvent)
    deadlines = await count(sqlite_bot, Deadline)
    exemptions = await count(sqlite_bot, Exemption)
    second = await run(sqlite_bot, csv(*rows))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert second.history_rows == 0 and second.deadlines == 0
    assert await count(sqlite_bot, ClientEvent) == events
    assert await count(sqlite_bot, Deadline) == deadlines
    assert await count(sqlite_bot, Exemption) == exemptions
    rows[1] = rows[1].replace("C101;zorg;", "C101;werkfit;")
    third = await run(sqlite_bot, csv(*rows))
    assert (third.updated, third.history_rows) == (1, 1)
    async with sqlite_bot.runtime.db.transaction() as session:
        event = await session.scalar(
            select(ClientEvent)
            .join(Client, Client.id == ClientEvent.client_id)
            .where(Client.ref == "C101")
            .order_by(ClientEvent.id.desc())
        )
        assert event is not None
        assert (event.field, event.old_value, event.new_value) == ("category", "zorg", "werkfit")


async def test_implied_deadlines_are_the_bots_own_on_working_days(sqlite_bot):
    lb = await sqlite_bot.staff(Role.LOOPBAANBEGELEIDER, name="Lotte")
    report = await run(
        sqlite_bot,
        csv(
            "C100;zorg;;Lotte;statushouder;ja;01-02-2025;actief;arbeidsplicht;medisch;"
            "01-03-2025;;;;15-01-2026;werkstage vanaf 01-02-2026 tot 01-08-2026;",
            f"C101;werkfit;;{lb.id};;ja;;actief;;;;;;;;;01-03-2026",
        ),
    )
    assert report.written, report.problems
    async with sqlite_bot.runtime.db.transaction() as session:
        rows = (
            await session.execute(
                select(Client.ref, Deadline.kind, Deadline.due_date).join(
                    Client, Client.id == Deadline.client_id
                )
            )
        ).all()
    kinds = {(ref, kind) for ref, kind, _ in rows}
    assert {
        ("C100", "exemption_review"),
        ("C100", "participation_contact"),
        ("C100", "status_holder_review"),
        ("C100", "trajectory_end"),
        ("C101", "wage_value_assessment"),
    } <= kinds
    assert all(is_working_day(due) for _, _, due in rows)
    contact = next(due for ref, kind, due in rows if kind == "participation_contact")
    # 12 months after the last face-to-face contact, moved to a working day (the bot's rule).
    assert date(2027, 1, 8) <= contact <= date(2027, 1, 15)
    assert report.deadlines == len(rows)


async def test_chat_upload_admin_only_with_progress_edits(sqlite_bot):
    admin = await sqlite_bot.staff(Role.ADMIN)
    consulent = await sqlite_bot.staff(Role.CONSULENT)
    data = csv(*(f"C{1000 + i};zorg;;;;;;;;;;;;;;;" for i in range(1200)))
    calls = await sqlite_bot.driver.document(consulent, "c.csv", data)
    assert not [c for c in calls if c.method in ("getFile", "downloadFile")]
    assert await count(sqlite_bot, Client) == 0
    group = sqlite_bot.driver.group_chat(-100123)
    calls = await sqlite_bot.driver.document(admin, "c.csv", data, chat=group)
    assert not [c for c in calls if c.method in ("getFile", "sendMessage", "editMessageText")]
    calls = await sqlite_bot.driver.document(admin, "c.csv", data)
    edits = [c for c in calls if c.method == "editMessageText"]
    # Edits are sent beside the import's transaction; one overtaken by the next is coalesced.
    shown = [e.text for e in edits]
    assert shown and shown[-1] == "Import bezig: 1200 van 1200 regels…"
    assert set(shown) <= {
        "Import bezig: 500 van 1200 regels…",
        "Import bezig: 1000 van 1200 regels…",
        "Import bezig: 1200 van 1200 regels…",
    }
    assert shown == sorted(shown, key=lambda t: int(t.split()[2]))
    assert "Nieuw: 1200" in texts(calls)[-1]
    assert await count(sqlite_bot, Client) == 1200
