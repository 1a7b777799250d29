"""Reading an existing caseload file (issue 12 item 4): pure, no database.

A file (CSV with ``;`` or ``,``, UTF-8 with or without BOM or Windows-1252 as Excel writes it, or
XLSX) becomes :class:`CaseloadRow` values or :class:`RowProblem` values with the file's own line
numbers. Every text cell passes the same BSN and IBAN filter as chat messages
(:func:`bot.privacy.rules.find_sensitive`); a problem never carries the cell's text, so a refused
number is never echoed back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from bot.caselog.rules import reference_key
from bot.core.vocabulary import ClientStatus, ExemptionBasis, ExemptionReason, ExemptionScope
from bot.privacy.rules import find_sensitive

#: The columns, by their Dutch header (compared without case, spaces, ``-`` or ``_``).
COLUMNS: dict[str, str] = {
    "referentie": "ref",
    "categorie": "category",
    "subcategorie": "subcategory",
    "eigenaar": "owner",
    "doelgroepen": "tags",
    "recht": "entitlement",
    "startuitkering": "benefit_start",
    "status": "status",
    "ontheffingomvang": "ex_scope",
    "ontheffingreden": "ex_reason",
    "ontheffingstart": "ex_start",
    "ontheffingeind": "ex_end",
    "ontheffingherbeoordeling": "ex_review",
    "ontheffinggrondslag": "ex_basis",
    "laatstecontact": "last_contact",
    "trajecten": "trajecten",
    "plaatsinglks": "lks_start",
}
#: The header as the README and the example file spell it, per field (for messages).
HEADERS = {
    "ref": "referentie",
    "category": "categorie",
    "subcategory": "subcategorie",
    "owner": "eigenaar",
    "tags": "doelgroepen",
    "entitlement": "recht",
    "benefit_start": "start uitkering",
    "status": "status",
    "ex_scope": "ontheffing omvang",
    "ex_reason": "ontheffing reden",
    "ex_start": "ontheffing start",
    "ex_end": "ontheffing eind",
    "ex_review": "ontheffing herbeoordeling",
    "ex_basis": "ontheffing grondslag",
    "last_contact": "laatste contact",
    "trajecten": "trajecten",
    "lks_start": "plaatsing lks",
}
#: Statuses an import may set (a client imported as having left is not part of a caseload).
IMPORT_STATUSES = (ClientStatus.REGISTERED, ClientStatus.ACTIVE)
_DATE_NL = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
#: The team's reference check (:func:`bot.caselog.references.validate` with its rule): the
#: reference as stored, or ``None`` when it is no valid reference. Passed in, so these rules stay
#: pure.
RefCheck = Callable[[str], "str | None"]
_TRAJECT = re.compile(r"(.+?)\s+(?:vanaf|van)\s+(\S+)(?:\s+tot\s+(\S+))?")


@dataclass(frozen=True)
class RowProblem:
    """Why one line cannot be imported: a code and the column, never the cell's text."""

    line: int
    code: str
    column: str | None = None


@dataclass(frozen=True)
class ExemptionCells:
    """The active ontheffing of a row."""

    scope: ExemptionScope
    reason: ExemptionReason
    start: date
    end: date | None
    review: date | None
    basis: ExemptionBasis | None


@dataclass(frozen=True)
class TrajectCells:
    """One open traject of a row: instrument, start, optional end."""

    instrument: str
    start: date
    end: date | None


@dataclass(frozen=True)
class CaseloadRow:
    """One valid line of the file."""

    line: int
    ref: str
    category: str | None
    subcategory: str | None
    owner: str | None
    tags: tuple[str, ...]
    entitlement: str | None
    benefit_start: date | None
    status: ClientStatus
    exemption: ExemptionCells | None
    last_contact: date | None
    trajecten: tuple[TrajectCells, ...] = ()
    lks_start: date | None = None
    #: :func:`reference_key` of ``ref``, computed once (the import matches on it per chunk).
    key: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """What the team's cells may say: codes from the team's lists (labels accepted too)."""

    categories: dict[str, str]
    subcategories: dict[str, str]
    tags: dict[str, str]
    entitlements: dict[str, str]
    instruments: dict[str, str]


@dataclass
class ParsedFile:
    """Every row of a file: the valid ones and the problems, in line order."""

    rows: list[CaseloadRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_lines(self) -> set[int]:
        """Lines with at least one problem."""
        return {p.line for p in self.problems}


class FileProblem(Exception):
    """The file as a whole cannot be read (``code`` says why)."""

    def __init__(self, code: str, column: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.column = column


def _key(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


def choices_of(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A lookup by code and by label (both without case) onto the code."""
    found: dict[str, str] = {}
    for code, label in pairs:
        found[code.casefold()] = code
        found[label.casefold()] = code
    return found


def decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 (a BOM is dropped), else Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV whose delimiter (``;`` or ``,``) is sniffed."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    for cells in reader:
        yield reader.line_num, cells


def xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet of an XLSX (read-only mode)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise FileProblem("not_xlsx") from exc
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_xlsx(filename: str, data: bytes) -> bool:
    """An XLSX is a zip file (``PK``); the name only confirms it."""
    return data[:2] == b"PK" or filename.lower().endswith(".xlsx")


def file_lines(filename: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The file's lines, whichever format it is."""
    if is_xlsx(filename, data):
        return xlsx_lines(data)
    return csv_lines(decode(data))


def parse_date_cell(text: str) -> date:
    """A date as dd-mm-jjjj (also with ``/`` or ``.``) or ISO; ``ValueError`` otherwise."""
    if match := _DATE_NL.fullmatch(text):
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _DATE_ISO.fullmatch(text):
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    raise ValueError(text)


class _Row:
    """Collects the problems of one line while its cells are read."""

    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line = line
        self.cells = cells
        self.problems: list[RowProblem] = []

    def text(self, name: str) -> str | None:
        value = " ".join(self.cells.get(name, "").split())
        return value or None

    def problem(self, code: str, name: str | None) -> None:
        self.problems.append(RowProblem(self.line, code, HEADERS[name] if name else None))

    def date(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_date_cell(value)
        except ValueError:
            self.problem("bad_date", name)
            return None

    def choice(self, name: str, options: dict[str, str]) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        found = options.get(value.casefold())
        if found is None:
            self.problem("unknown_value", name)
        return found


def _exemption(row: _Row) -> ExemptionCells | None:
    names = ("ex_scope", "ex_reason", "ex_start", "ex_end", "ex_review", "ex_basis")
    if not any(row.text(n) for n in names):
        return None
    scope = row.choice("ex_scope", choices_of([(s.value, s.value) for s in ExemptionScope]))
    reason = row.choice("ex_reason", choices_of([(r.value, r.value) for r in ExemptionReason]))
    basis = row.choice("ex_basis", choices_of([(b.value, b.value) for b in ExemptionBasis]))
    start, end, review = row.date("ex_start"), row.date("ex_end"), row.date("ex_review")
    for name, value in (("ex_scope", scope), ("ex_reason", reason), ("ex_start", start)):
        if value is None and row.text(name) is None:
            row.problem("exemption_incomplete", name)
    if reason == ExemptionReason.CHILD_UNDER_5:
        # An art. 9a ontheffing needs the request and the youngest child's date: its own form.
        row.problem("art9a_not_importable", "ex_reason")
    if start is not None and end is not None and end < start:
        row.problem("end_before_start", "ex_end")
    if start is not None and review is not None and review <= start:
        row.problem("review_before_start", "ex_review")
    if scope is None or reason is None or start is None:
        return None
    return ExemptionCells(
        ExemptionScope(scope),
        ExemptionReason(reason),
        start,
        end,
        review,
        ExemptionBasis(basis) if basis else None,
    )


def _trajecten(row: _Row, instruments: dict[str, str]) -> tuple[TrajectCells, ...]:
    value = row.text("trajecten")
    if value is None:
        return ()
    found: list[TrajectCells] = []
    for part in value.split("|"):
        match = _TRAJECT.fullmatch(part.strip())
        if match is None:
            row.problem("bad_traject", "trajecten")
            continue
        instrument = instruments.get(match.group(1).strip().casefold())
        try:
            start = parse_date_cell(match.group(2))
            end = parse_date_cell(match.group(3)) if match.group(3) else None
        except ValueError:
            row.problem("bad_date", "trajecten")
            continue
        if instrument is None:
            row.problem("unknown_value", "trajecten")
            continue
        if end is not None and end < start:
            row.problem("end_before_start", "trajecten")
            continue
        found.append(TrajectCells(instrument, start, end))
    return tuple(found)


def parse_row(
    line: int, cells: dict[str, str], vocabulary: Vocabulary, check_ref: RefCheck, today: date
) -> CaseloadRow | list[RowProblem]:
    """One line: a row, or its problems (every problem of the line, not only the first)."""
    row = _Row(line, cells)
    for name, value in cells.items():
        if value and find_sensitive(value):
            # Refused like a chat message; the cell is not read any further nor echoed.
            row.problem("sensitive_number", name)
    if row.problems:
        return row.problems
    ref: str | None = None
    raw_ref = row.text("ref")
    if raw_ref is None:
        row.problem("missing", "ref")
    else:
        ref = check_ref(raw_ref)
        if ref is None:
            row.problem("bad_reference", "ref")
    category = row.choice("category", vocabulary.categories)
    subcategory = row.choice("subcategory", vocabulary.subcategories)
    tags: list[str] = []
    for part in re.split(r"[,|]", row.text("tags") or ""):
        if part.strip():
            tag = vocabulary.tags.get(part.strip().casefold())
            if tag is None:
                row.problem("unknown_value", "tags")
            elif tag not in tags:
                tags.append(tag)
    entitlement = row.choice("entitlement", vocabulary.entitlements)
    status_text = row.choice(
        "status", choices_of([(s.value, s.value) for s in IMPORT_STATUSES])
    ) or (ClientStatus.ACTIVE if row.text("status") is None else None)
    benefit_start = row.date("benefit_start")
    last_contact = row.date("last_contact")
    lks_start = row.date("lks_start")
    for name, day in (("benefit_start", benefit_start), ("last_contact", last_contact)):
        if day is not None and day > today:
            row.problem("in_future", name)
    exemption = _exemption(row)
    trajecten = _trajecten(row, vocabulary.instruments)
    if row.problems or ref is None or status_text is None:
        return row.problems
    return CaseloadRow(
        line=line,
        ref=ref,
        category=category,
        subcategory=subcategory,
        owner=row.text("owner"),
        tags=tuple(tags),
        entitlement=entitlement,
        benefit_start=benefit_start,
        status=ClientStatus(status_text),
        exemption=exemption,
        last_contact=last_contact,
        trajecten=trajecten,
        lks_start=lks_start,
    )


def parse_file(
    filename: str,
    data: bytes,
    vocabulary: Vocabulary,
    check_ref: RefCheck,
    today: date,
) -> ParsedFile:
    """Every line of the file after the header; a reference twice in the file is a problem of
    the later line (which row should win is not ours to guess)."""
    lines = file_lines(filename, data)
    header: list[str] | None = None
    parsed = ParsedFile()
    seen: dict[str, int] = {}
    for number, cells in lines:
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [COLUMNS.get(_key(c), "") for c in cells]
            unknown = [str(i + 1) for i, c in enumerate(cells) if not header[i] and c.strip()]
            if unknown:
                # The column's number, not its header: a header cell is text like any other.
                raise FileProblem("unknown_column", unknown[0])
            if "ref" not in header:
                raise FileProblem("no_reference_column")
            continue
        if not any(c.strip() for c in cells):
            continue
        values = {
            name: cell for name, cell in zip(header, cells, strict=False) if name and cell.strip()
        }
        result = parse_row(number, values, vocabulary, check_ref, today)
        if isinstance(result, list):
            parsed.problems.extend(result)
            continue
        key = reference_key(result.ref)
        result = replace(result, key=key)
        if key in seen:
            parsed.problems.append(RowProblem(number, "duplicate_reference", HEADERS["ref"]))
            continue
        seen[key] = number
        parsed.rows.append(result)
    if header is None:
        raise FileProblem("empty")
    return parsed
