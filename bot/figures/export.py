"""``/export``: the same labelled tables as XLSX (one sheet per figure, a sheet of pseudonymous
rows, a sheet of definitions and cites) and CSV. Pure: bytes in, bytes out; no database."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from bot.figures.views import Report, Table, label

#: Excel's limit for a sheet name, and the characters it refuses in one.
SHEET_NAME = 31
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(table: Table, taken: set[str]) -> str:
    name = _BAD_SHEET.sub(" ", f"{table.code} {table.title}")[:SHEET_NAME].strip()
    while name in taken:
        name = name[: SHEET_NAME - 1] + "_"
    taken.add(name)
    return name


def _safe(value: object) -> object:
    """A text cell that Excel would read as a formula is written as text (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value not in ("-", "–"):
        return "'" + value
    return value


def xlsx(report: Report, rows: Sequence[Sequence[object]], headers: Sequence[str]) -> bytes:
    """The workbook. ``rows``/``headers``: the pseudonymous client rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    summary = book.active
    assert summary is not None
    summary.title = label("export", "sheet_summary")[:SHEET_NAME]
    summary.append([f"{report.team_name}", report.period.start, report.period.end, report.day])
    summary.append([])
    taken = {summary.title}
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table, taken))
        sheet.append([f"{table.code} {table.title}"])
        sheet["A1"].font = bold
        if table.target:
            sheet.append([label("export", "target"), table.target])
        if table.missing:
            sheet.append([label("export", "missing"), table.missing])
        else:
            sheet.append([c or "" for c in table.columns])
            for cells in sheet[sheet.max_row]:
                cells.font = bold
            for shown, raw in zip(table.rows, table.raw, strict=True):
                sheet.append([_safe(shown[0]), *[_cell(v) for v in raw[1:]]])
        for note in table.notes:
            sheet.append([note])
        sheet.column_dimensions["A"].width = 40
        summary.append([table.code, table.title, table.missing or ""])
    people = book.create_sheet(label("export", "sheet_rows")[:SHEET_NAME])
    people.append(list(headers))
    for row in rows:
        people.append([_safe(v) for v in row])
    defs = book.create_sheet(label("export", "sheet_definitions")[:SHEET_NAME])
    defs.append(
        [label("export", "code"), label("export", "figure"), label("export", "definition"),
         label("export", "cite"), label("export", "target")]
    )  # fmt: skip
    for table in report.tables:
        defs.append([table.code, table.title, table.definition, table.cite, table.target or ""])
    defs.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Counts stay numbers; shares become a fraction Excel shows as a percentage."""
    if isinstance(value, float):
        return round(value, 4)
    return _safe(value)


def csv_bytes(report: Report) -> bytes:
    """One long table: figure code, figure, row, column, value (``;``, UTF-8 with BOM, as Dutch
    Excel opens it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [label("export", "code"), label("export", "figure"), label("export", "row"),
         label("export", "column"), label("export", "value")]
    )  # fmt: skip
    for table in report.tables:
        if table.missing:
            writer.writerow(
                [table.code, table.title, "", "", f"{label('export', 'missing')}: {table.missing}"]
            )
            continue
        for shown in table.rows:
            for column, value in zip(table.columns[1:], shown[1:], strict=True):
                writer.writerow([table.code, table.title, _safe(shown[0]), column, value])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
