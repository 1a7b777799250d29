"""Turning figures into what people read: labelled tables (shared by chat, XLSX, CSV and PDF),
the ``/cijfers`` text, and the council PDF. Every word comes from ``figures/*.j2``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.caselog.catalog import CaselogConfig, Choice, label_of
from bot.core.render import SEP, environment, render
from bot.figures.rules.definitions import Cell, Figure
from bot.figures.rules.periods import Period


@lru_cache(maxsize=4096)
def label(kind: str, code: str) -> str:
    """The Dutch label of ``code`` (``figures/label.j2``; the code itself if it has none)."""
    return render("figures/label", kind=kind, code=code)


def _deadline_label(kind: str, code: str) -> str:
    return render("deadlines/label", kind=kind, code=code)


@dataclass(frozen=True)
class Labels:
    """How the team calls its codes (categories, doelgroepen, instruments…)."""

    caselog: CaselogConfig
    #: The team's exit reasons (``[caselog] exit_reasons`` first, then the profile's list).
    reasons: tuple[Choice, ...] = ()
    #: Kinds of placement: the uitstroom's kinds of work and the profile's kinds of place.
    place_kinds: tuple[Choice, ...] = ()

    def reason(self, code: str) -> str:
        """An exit reason's label (``unknown``: no reason recorded)."""
        if code == "unknown":
            return label("row", code)
        return label_of(self.reasons, code).replace("_", " ")

    def place_kind(self, code: str) -> str:
        """A placement kind's label (``-``: not known)."""
        if code == "-":
            return label("row", "kind_unknown")
        return label_of(self.place_kinds, code).replace("_", " ")

    def category(self, code: str) -> str:
        """A category's label; ``-`` (none yet) and ``uit`` (the exit column) have their own."""
        if code in ("-", "uit"):
            return label("col", code)
        return label_of(self.caselog.categories, code)

    def subcategory(self, code: str) -> str:
        """A subcategory's label (``-``: none)."""
        return label("col", code) if code == "-" else label_of(self.caselog.subcategories, code)

    def row(self, figure: Figure, code: Cell) -> str:
        """The label of a row's first cell."""
        text = str(code)
        kind = figure.row_kind
        if kind == "category":
            return self.category(text)
        if kind == "category_pair":
            if text == "total":
                return label("row", text)
            cat, sub = text.split("/", 1)
            if cat == "-":
                return label("row", "unclassified")
            sub_label = "" if sub == "-" else f" / {self.subcategory(sub)}"
            return f"{self.category(cat)}{sub_label}"
        if kind == "subcategory_move":
            cat, move = text.split(":", 1)
            old, new = move.split(">", 1)
            return f"{self.category(cat)}: {self.subcategory(old)} → {self.subcategory(new)}"
        if kind == "exemption" and ":" in text:
            group, code_text = text.split(":", 1)
            return f"{label('row', group)}: {_deadline_label(group, code_text)}"
        if kind == "tag":
            return label_of(self.caselog.tags, text)
        if kind == "instrument":
            return label_of(self.caselog.instruments, text)
        if kind == "reason" and text not in ("total", "status_holder"):
            return self.reason(text)
        if kind == "place_kind" and text not in ("total", "with_lks"):
            return self.place_kind(text)
        if kind == "name":
            return text
        return label("row", text)

    def column(self, figure: Figure, code: str) -> str:
        """The label of a column."""
        if code.startswith("cat:"):
            return self.category(code[4:])
        if figure.row_kind == "category" and code not in ("from_to",):
            return self.category(code)
        return label("col", code)


def cell_text(value: Cell) -> str:
    """A cell as shown: counts as numbers, shares as whole percentages, empty as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{round(value * 100)} %"
    return str(value)


@dataclass(frozen=True)
class Table:
    """A figure with every code replaced by its label (the one shape every output renders)."""

    code: str
    title: str
    cite: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: The raw values, for XLSX cells that stay numbers.
    raw: tuple[tuple[Cell, ...], ...]
    missing: str | None
    target: str | None
    met: bool | None
    notes: tuple[str, ...]
    definition: str
    matrix: bool


def table(figure: Figure, labels: Labels) -> Table:
    """``figure`` labelled."""
    return Table(
        code=figure.code,
        title=figure.title or label("title", figure.key),
        cite=figure.cite,
        columns=tuple(labels.column(figure, c) for c in figure.columns),
        rows=tuple(
            (labels.row(figure, row[0]), *[cell_text(v) for v in row[1:]]) for row in figure.rows
        ),
        raw=figure.rows,
        missing=label("missing", figure.missing) if figure.missing else None,
        target=figure.target,
        met=figure.met,
        notes=tuple(label("note", n) for n in figure.notes),
        definition=label("definition", figure.key),
        matrix=figure.code == "D7",
    )


def matrix_text(t: Table) -> str:
    """The doorstroom matrix as monospaced lines (row labels cut to fit a phone)."""
    heads = [c[:7] for c in t.columns[1:]]
    width = max([4, *[len(h) for h in heads], *[len(c) for r in t.rows for c in r[1:]]])
    names = [r[0][:8] for r in t.rows]
    first = max([6, *[len(n) for n in names]])
    lines = [" " * first + " " + " ".join(h.rjust(width) for h in heads)]
    for name, row in zip(names, t.rows, strict=True):
        lines.append(name.ljust(first) + " " + " ".join(c.rjust(width) for c in row[1:]))
    return "\n".join(lines)


@dataclass(frozen=True)
class Report:
    """What a report is about: team, period, peildatum, scope, and the labelled figures."""

    team_name: str
    period: Period
    day: date
    #: ``team`` or ``own`` (a consulent's own caseload).
    scope: str
    tables: tuple[Table, ...]


def cijfers_text(report: Report) -> str:
    """The ``/cijfers`` message (Telegram HTML; split by the sender if long)."""
    return render("figures/cijfers", report=report, matrix_text=matrix_text, SEP=SEP)


def council_pdf(report: Report, charts: Sequence[tuple[str, bytes]]) -> bytes:
    """The council's PDF: figures, charts and definitions, in the agenda PDF's style."""
    import base64

    from weasyprint import HTML  # imported lazily: loading Pango takes a moment

    images = [(title, base64.b64encode(png).decode()) for title, png in charts]
    html = (
        environment()
        .get_template("figures/report_pdf.html.j2")
        .render(report=report, images=images, matrix_text=matrix_text)
    )
    pdf = HTML(string=html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
